package dev.mp3.opencl;

import java.util.ArrayList;
import java.util.List;

/**
 * The SGEMMs of one training step of a model, as {@link GemmTuner} times them. A linear layer
 * y = x W^T + b on R rows makes three: the forward x W^T (nt), the input gradient dY W (nn) and the
 * weight gradient dY^T X (tn), as {@code Var.linear} computes them. Attention itself is a fused
 * kernel, not an SGEMM.
 *
 * @param name     what the step trains
 * @param products each distinct product with the number of times a step runs it
 */
public record GemmWorkload(String name, List<Product> products) {

    /** C [m, n] = op(A) op(B) over k, run {@code count} times a step. */
    public record Product(String what, int m, int n, int k, boolean transA, boolean transB, int count) {
        public double flops() {
            return 2.0 * m * n * k * count;
        }
    }

    public GemmWorkload {
        products = List.copyOf(products);
    }

    public double flops() {
        return products.stream().mapToDouble(Product::flops).sum();
    }

    /**
     * MP3 pretraining of the paper's CIFAR-100 ViT-S (recipe cifar100-vits: nn.ViTConfig.cifar100(),
     * batch 256, eta 0.5): 64 patch tokens of 4x4x3 = 48 values, width 384, MLP 1536, 12 blocks;
     * queries and the MLP see all 64 tokens, keys and values the 32 context tokens; a 64-way position head.
     */
    public static GemmWorkload vitSmallCifarPretraining() {
        int batch = 256;
        int tokens = 64;
        int context = 32;
        int dim = 384;
        int depth = 12;
        List<Product> p = new ArrayList<>();
        linear(p, "patch embed", batch * tokens, 48, dim, 1, false);
        linear(p, "q", batch * tokens, dim, dim, depth, true);
        linear(p, "k, v", batch * context, dim, dim, 2 * depth, true);
        linear(p, "attention proj", batch * tokens, dim, dim, depth, true);
        linear(p, "mlp fc1", batch * tokens, dim, 4 * dim, depth, true);
        linear(p, "mlp fc2", batch * tokens, 4 * dim, dim, depth, true);
        linear(p, "position head", batch * tokens, dim, tokens, 1, true);
        return new GemmWorkload("ViT-S CIFAR-100 MP3 pretraining, batch 256", p);
    }

    /**
     * MP3 pretraining of the paper's speech Transformer (nn.SpeechConfig.paper(), SpeechRecipe
     * batch 256): 100 frames of 40 MFCCs, width 32, feed-forward 64, 8 blocks, a 100-way position head.
     */
    public static GemmWorkload speechPretraining() {
        int rows = 256 * 100;
        int dim = 32;
        int depth = 8;
        List<Product> p = new ArrayList<>();
        linear(p, "frame embed", rows, 40, dim, 1, false);
        linear(p, "q, k, v", rows, dim, dim, 3 * depth, true);
        linear(p, "attention proj", rows, dim, dim, depth, true);
        linear(p, "ff 1", rows, dim, 64, depth, true);
        linear(p, "ff 2", rows, 64, dim, depth, true);
        linear(p, "position head", rows, dim, 100, 1, true);
        return new GemmWorkload("speech Transformer MP3 pretraining, batch 256", p);
    }

    /** What the tuner times unless told otherwise: this project's GPU workloads. */
    public static List<GemmWorkload> models() {
        return List.of(vitSmallCifarPretraining(), speechPretraining());
    }

    /** The products of a linear layer in -> out on {@code rows} rows, {@code count} times a step. Equal
     *  shapes (q and proj share one) are merged by adding their counts. */
    static void linear(List<Product> into, String what, int rows, int in, int out, int count, boolean inputGradient) {
        add(into, new Product(what + " forward", rows, out, in, false, true, count));
        if (inputGradient) {
            add(into, new Product(what + " input gradient", rows, in, out, false, false, count));
        }
        add(into, new Product(what + " weight gradient", out, in, rows, true, false, count));
    }

    private static void add(List<Product> into, Product p) {
        for (int i = 0; i < into.size(); i++) {
            Product q = into.get(i);
            if (q.m == p.m && q.n == p.n && q.k == p.k && q.transA == p.transA && q.transB == p.transB) {
                into.set(i, new Product(q.what + ", " + p.what, q.m, q.n, q.k, q.transA, q.transB, q.count + p.count));
                return;
            }
        }
        into.add(p);
    }
}
