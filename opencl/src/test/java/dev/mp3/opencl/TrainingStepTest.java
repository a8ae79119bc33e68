package dev.mp3.opencl;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.DType;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mp3.opencl.ClTestSupport.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole MP3-style training step of a small Transformer, built from autograd ops, on the CPU and
 * on the OpenCL device from the same initial weights and batch: patch embedding without position
 * embedding, two pre-norm blocks whose keys and values come from a context subset of the tokens
 * (gathered with indexSelect; the second block adds a learned attention bias), GELU MLPs and
 * residuals, a final layer norm, a linear position head and cross entropy against each token's
 * own position, then backward and an AdamW update; twice.
 *
 * <p>Both runs must give the same loss, gradients and updated weights within tolerance, and the
 * device run must read back nothing but the loss scalar. Tolerance: the device adds in other
 * orders (attention's online softmax, reductions, row sums), and two layers of backward
 * propagation amplify rounding differences, so gradients agree to 1e-4 relative error (relative
 * to each tensor's RMS, see {@link ClTestSupport#assertClose}) and the loss to 1e-5.
 */
class TrainingStepTest {
    private static final int B = 2;
    private static final int N = 9;
    private static final int P = 12;
    private static final int D = 16;
    private static final int H = 2;
    private static final int M = 5;
    private static final int HIDDEN = 32;
    private static final int BLOCKS = 2;
    private static final float LR = 1e-3f;

    private static Map<String, Tensor> initialWeights() {
        Rng rng = new Rng(2024);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("embed.weight", rng.normal(0f, 0.2f, D, P));
        w.put("embed.bias", rng.normal(0f, 0.02f, D));
        for (int l = 0; l < BLOCKS; l++) {
            String b = "blocks." + l + ".";
            w.put(b + "norm1.weight", rng.normal(1f, 0.1f, D));
            w.put(b + "norm1.bias", rng.normal(0f, 0.1f, D));
            w.put(b + "attn.q.weight", rng.normal(0f, 0.3f, D, D));
            w.put(b + "attn.q.bias", rng.normal(0f, 0.02f, D));
            // No key bias: softmax ignores it, so its gradient is 0 up to rounding noise, which
            // AdamW's first step would blow up to +-lr and the two runs could not agree on.
            w.put(b + "attn.k.weight", rng.normal(0f, 0.3f, D, D));
            w.put(b + "attn.v.weight", rng.normal(0f, 0.3f, D, D));
            w.put(b + "attn.v.bias", rng.normal(0f, 0.02f, D));
            if (l == 1) {
                w.put(b + "attn.bias", rng.normal(0f, 0.5f, H, N, M));
            }
            w.put(b + "attn.proj.weight", rng.normal(0f, 0.3f, D, D));
            w.put(b + "attn.proj.bias", rng.normal(0f, 0.02f, D));
            w.put(b + "norm2.weight", rng.normal(1f, 0.1f, D));
            w.put(b + "norm2.bias", rng.normal(0f, 0.1f, D));
            w.put(b + "mlp.fc1.weight", rng.normal(0f, 0.3f, HIDDEN, D));
            w.put(b + "mlp.fc1.bias", rng.normal(0f, 0.02f, HIDDEN));
            w.put(b + "mlp.fc2.weight", rng.normal(0f, 0.2f, D, HIDDEN));
            w.put(b + "mlp.fc2.bias", rng.normal(0f, 0.02f, D));
        }
        w.put("norm.weight", rng.normal(1f, 0.1f, D));
        w.put("norm.bias", rng.normal(0f, 0.1f, D));
        w.put("head.weight", rng.normal(0f, 0.3f, N, D));
        w.put("head.bias", rng.normal(0f, 0.02f, N));
        return w;
    }

    /** Patches, the context rows (b*N + the first M of a random permutation) and own-position targets. */
    private record Batch(Tensor patches, Tensor context, Tensor targets) {
        static Batch make(int step) {
            Rng rng = new Rng(7 + step);
            int[] perm = rng.permutationArray(B, N);
            int[] ctx = new int[B * M];
            int[] own = new int[B * N];
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < M; j++) {
                    ctx[b * M + j] = b * N + perm[b * N + j];
                }
                for (int i = 0; i < N; i++) {
                    own[b * N + i] = i;
                }
            }
            return new Batch(rng.normal(0f, 1f, B, N, P), Tensor.ofInts(ctx, B, M), Tensor.ofInts(own, B, N));
        }

        Batch to(Device d) {
            return new Batch(patches.to(d), context.to(d), targets.to(d));
        }
    }

    private static Var forward(Map<String, Var> w, Batch batch) {
        Var h = Var.constant(batch.patches).linear(w.get("embed.weight"), w.get("embed.bias"));
        int dh = D / H;
        for (int l = 0; l < BLOCKS; l++) {
            String b = "blocks." + l + ".";
            Var a = h.layerNorm(w.get(b + "norm1.weight"), w.get(b + "norm1.bias"), 1e-6f);
            Var q = a.linear(w.get(b + "attn.q.weight"), w.get(b + "attn.q.bias")).reshape(B, N, H, dh).permute(0, 2, 1, 3);
            Var ctx = a.reshape(B * N, D).indexSelect(batch.context);
            Var k = ctx.linear(w.get(b + "attn.k.weight"), null).reshape(B, M, H, dh).permute(0, 2, 1, 3);
            Var v = ctx.linear(w.get(b + "attn.v.weight"), w.get(b + "attn.v.bias")).reshape(B, M, H, dh).permute(0, 2, 1, 3);
            Var att = Var.attention(q, k, v, w.get(b + "attn.bias"), (float) (1 / Math.sqrt(dh)));
            Var o = att.permute(0, 2, 1, 3).reshape(B, N, D).linear(w.get(b + "attn.proj.weight"), w.get(b + "attn.proj.bias"));
            h = h.add(o);
            Var m = h.layerNorm(w.get(b + "norm2.weight"), w.get(b + "norm2.bias"), 1e-6f)
                    .linear(w.get(b + "mlp.fc1.weight"), w.get(b + "mlp.fc1.bias")).gelu()
                    .linear(w.get(b + "mlp.fc2.weight"), w.get(b + "mlp.fc2.bias"));
            h = h.add(m);
        }
        Var logits = h.layerNorm(w.get("norm.weight"), w.get("norm.bias"), 1e-6f).linear(w.get("head.weight"), w.get("head.bias"));
        return logits.crossEntropy(batch.targets, 0.1f).mean();
    }

    /** What one run records: per step the loss and the gradients, and the final weights. */
    private record Run(List<Float> losses, List<Map<String, Tensor>> grads, Map<String, Tensor> weights, List<Long> downloads) {}

    private static Run train(Device device, ClBackend counter) {
        Map<String, Var> w = new LinkedHashMap<>();
        Map<String, Tensor[]> adam = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : initialWeights().entrySet()) {
            w.put(e.getKey(), Var.param(e.getValue().to(device)));
            int[] shape = e.getValue().shape();
            adam.put(e.getKey(), new Tensor[] {Tensor.zeros(device, DType.F32, shape), Tensor.zeros(device, DType.F32, shape)});
        }
        List<Float> losses = new ArrayList<>();
        List<Map<String, Tensor>> grads = new ArrayList<>();
        List<Long> downloads = new ArrayList<>();
        for (int step = 1; step <= 2; step++) {
            Batch batch = Batch.make(step).to(device);
            long before = counter == null ? 0 : counter.downloadCount();
            Var loss = forward(w, batch);
            losses.add(loss.item());
            loss.backward();
            Map<String, Tensor> g = new LinkedHashMap<>();
            float bias1 = (float) (1 - Math.pow(0.9, step));
            float bias2 = (float) (1 - Math.pow(0.999, step));
            for (Map.Entry<String, Var> e : w.entrySet()) {
                Var p = e.getValue();
                Tensor[] mv = adam.get(e.getKey());
                p.value().backend().adamInPlace(p.value(), p.grad(), mv[0], mv[1], LR, 0.9f, 0.999f, 1e-8f, 0.05f, true,
                        bias1, bias2);
                g.put(e.getKey(), p.grad());
                p.zeroGrad();
            }
            if (counter != null) {
                downloads.add(counter.downloadCount() - before);
            }
            grads.add(g);
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        w.forEach((k, v) -> weights.put(k, v.value()));
        return new Run(losses, grads, weights, downloads);
    }

    @Test
    void deviceStepMatchesCpuStepAndReadsBackOnlyTheLoss() {
        ClBackend cl = ClTestSupport.backend();
        Run cpu = train(Device.CPU, null);
        Run dev = train(cl.device(), cl);
        assertThat(dev.downloads()).as("tensors read back per step (the loss only)").containsExactly(1L, 1L);
        for (int s = 0; s < 2; s++) {
            assertThat(dev.losses().get(s)).as("loss of step " + (s + 1))
                    .isCloseTo(cpu.losses().get(s), org.assertj.core.data.Percentage.withPercentage(1e-3));
            for (String name : cpu.grads().get(s).keySet()) {
                Tensor g = dev.grads().get(s).get(name);
                assertThat(g.device()).isEqualTo(cl.device());
                assertClose("step " + (s + 1) + " gradient of " + name, cpu.grads().get(s).get(name), g, 1e-4);
            }
        }
        for (String name : cpu.weights().keySet()) {
            assertClose("weights after two AdamW steps: " + name, cpu.weights().get(name), dev.weights().get(name), 1e-5);
        }
        assertThat(cpu.losses().get(1)).as("the step changed the weights").isNotEqualTo(cpu.losses().get(0));
    }

    /**
     * The same two steps with the optimizer update as the trainer queues it: backward, then one
     * Tensor.adamStep over all parameters with the gradient norm clipped (to a bound the norm
     * exceeds) and the loss as the guard, then loss and norm read back together. On the device the
     * host waits once per step (that read), and the update takes ceil(P/64) + 1 + ceil(P/16)
     * launches for P parameters; the results agree with the CPU's reference path.
     */
    @Test
    void fusedUpdateMatchesCpuAndTheDeviceWaitsOncePerStep() {
        ClBackend cl = ClTestSupport.backend();
        Fused cpu = trainFused(Device.CPU, null);
        Fused dev = trainFused(cl.device(), cl);
        int params = initialWeights().size();
        for (int s = 0; s < 2; s++) {
            assertThat(dev.losses().get(s)).as("loss of step " + (s + 1))
                    .isCloseTo(cpu.losses().get(s), org.assertj.core.data.Percentage.withPercentage(1e-3));
            assertThat(dev.norms().get(s)).as("gradient norm of step " + (s + 1))
                    .isCloseTo(cpu.norms().get(s), org.assertj.core.data.Percentage.withPercentage(1e-3));
            assertThat(cpu.norms().get(s)).as("the norm exceeds the clip bound").isGreaterThan(CLIP);
            ClBackend.Counters c = dev.counters().get(s);
            assertThat(c.reads()).as("blocking reads of step " + (s + 1)).isEqualTo(1);
            assertThat(c.writes() + c.finishes()).as("blocking writes and finishes of step " + (s + 1)).isZero();
            Map<String, Long> k = dev.kernels().get(s);
            assertThat(k.get("elementwise.adam_multi")).isEqualTo((params + 15) / 16);
            assertThat(k.get("elementwise.sum_squares_multi")).isEqualTo((params + 63) / 64);
            assertThat(k.get("elementwise.adam_prepare")).isEqualTo(1);
            assertThat(k).doesNotContainKey("elementwise.adam");
        }
        for (String name : cpu.weights().keySet()) {
            assertClose("weights after two clipped AdamW steps: " + name, cpu.weights().get(name),
                    dev.weights().get(name), 1e-5);
        }
    }

    private static final float CLIP = 0.05f;

    private record Fused(List<Float> losses, List<Float> norms, Map<String, Tensor> weights,
                         List<ClBackend.Counters> counters, List<Map<String, Long>> kernels) {}

    private static Fused trainFused(Device device, ClBackend counter) {
        Map<String, Var> w = new LinkedHashMap<>();
        List<Tensor> ms = new ArrayList<>();
        List<Tensor> vs = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : initialWeights().entrySet()) {
            w.put(e.getKey(), Var.param(e.getValue().to(device)));
            int[] shape = e.getValue().shape();
            ms.add(Tensor.zeros(device, DType.F32, shape));
            vs.add(Tensor.zeros(device, DType.F32, shape));
        }
        boolean[] decayed = new boolean[w.size()];
        java.util.Arrays.fill(decayed, true);
        List<Float> losses = new ArrayList<>();
        List<Float> norms = new ArrayList<>();
        List<ClBackend.Counters> counters = new ArrayList<>();
        List<Map<String, Long>> kernels = new ArrayList<>();
        for (int step = 1; step <= 2; step++) {
            Batch batch = Batch.make(step).to(device);
            if (counter != null) {
                counter.synchronize();
                counter.resetCounters();
            }
            Var loss = forward(w, batch);
            loss.backward();
            List<Tensor> params = new ArrayList<>();
            List<Tensor> grads = new ArrayList<>();
            for (Var p : w.values()) {
                params.add(p.value());
                grads.add(p.grad());
            }
            float bias1 = (float) (1 - Math.pow(0.9, step));
            float bias2 = (float) (1 - Math.pow(0.999, step));
            Tensor status = Tensor.adamStep(params, grads, ms, vs, decayed, LR, 0.9f, 0.999f, 1e-8f, 0.05f, true, bias1,
                    bias2, CLIP, loss.value());
            w.values().forEach(Var::zeroGrad);
            float[] read = status.toFloatArray();
            norms.add(read[0]);
            losses.add(read[1]);
            if (counter != null) {
                counters.add(counter.counters());
                kernels.add(counter.launchesByKernel());
            }
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        w.forEach((k, v) -> weights.put(k, v.value()));
        return new Fused(losses, norms, weights, counters, kernels);
    }
}
