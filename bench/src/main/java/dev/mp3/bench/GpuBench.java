package dev.mp3.bench;

import dev.mp3.autograd.Var;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The device benchmarks of the OpenCL issue, for one device: SGEMM at 1024², 4096², 8192² and the
 * ViT shapes; fused masked attention forward and forward+backward for (B=256, H=6, N=65, d=64) and
 * (B=64, H=12, N=197, d=64) with M = N and M = N/4; and whole training steps of ViT-S on 32x32
 * images (patch 4, the paper's CIFAR-100 setting), supervised and MP3 eta = 0.75, batch 256.
 * Every time is a median after warm-up with the queue drained (a one-element read-back), on fresh
 * random inputs. bench/pytorch/gpu_reference.py measures the same on CUDA; bench/gpu-bench.sh runs both.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp benchmarks.jar \
 *      dev.mp3.bench.GpuBench --device opencl [--quick true]</pre>
 * {@code --quick true} shrinks every size (a smoke test for a CPU OpenCL runtime).
 */
public final class GpuBench {

    public static void main(String[] args) {
        Device device = Device.parse(arg(args, "--device", "opencl"));
        boolean quick = Boolean.parseBoolean(arg(args, "--quick", "false"));
        device = Backends.get(device).device();
        System.out.println("GpuBench on " + device + (quick ? " (quick sizes)" : ""));

        int[][] gemms = quick ? new int[][] {{256, 256, 256}, {512, 512, 512}}
                : new int[][] {{1024, 1024, 1024}, {4096, 4096, 4096}, {8192, 8192, 8192},
                        {6400, 576, 192}, {6400, 768, 192}, {6400, 192, 768}, {6400, 192, 192}};
        for (int[] s : gemms) {
            double t = sgemm(device, s[0], s[1], s[2], quick ? 3 : 10);
            System.out.printf(Locale.ROOT, "sgemm m=%d n=%d k=%d: %.3f ms, %.1f GFLOP/s%n", s[0], s[1], s[2], t * 1e3,
                    2.0 * s[0] * s[1] * s[2] / t / 1e9);
        }

        int[][] attn = quick ? new int[][] {{4, 2, 17, 16}} : new int[][] {{256, 6, 65, 64}, {64, 12, 197, 64}};
        for (int[] a : attn) {
            for (int m : new int[] {a[2], Math.max(1, a[2] / 4)}) {
                double[] t = attention(device, a[0], a[1], a[2], m, a[3], quick ? 3 : 10);
                System.out.printf(Locale.ROOT, "attention B=%d H=%d N=%d M=%d d=%d: forward %.3f ms, forward+backward %.3f ms%n",
                        a[0], a[1], a[2], m, a[3], t[0] * 1e3, t[1] * 1e3);
            }
        }

        ViTConfig vitS = quick
                ? new ViTConfig(32, 8, 3, 64, 2, 2, 4f, 100, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f)
                : ViTConfig.cifar100();
        int batch = quick ? 8 : 256;
        var steps = StepBench.ourSteps(vitS, List.of("supervised", "mp3-eta0.75"), batch, quick ? 1 : 3, quick ? 2 : 5,
                device);
        for (String mode : steps.keySet()) {
            double t = steps.get(mode);
            System.out.printf(Locale.ROOT, "step %s ViT %d/%d/%d on %dx%d patch %d, batch %d: %.1f ms, %.0f img/s%n", mode,
                    vitS.dim(), vitS.depth(), vitS.heads(), vitS.imageSize(), vitS.imageSize(), vitS.patchSize(), batch,
                    t * 1e3, batch / t);
        }
    }

    static double sgemm(Device device, int m, int n, int k, int reps) {
        Rng rng = new Rng(1);
        Tensor a = rng.normal(device, 0f, 1f, m, k);
        Tensor b = rng.normal(device, 0f, 1f, k, n);
        Tensor.matmul(a, false, b, false).get(0, 0);
        double[] t = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            Tensor.matmul(a, false, b, false).get(0, 0);
            t[r] = (System.nanoTime() - t0) / 1e9;
        }
        return median(t);
    }

    /** Median seconds of the forward pass and of forward plus backward. */
    static double[] attention(Device device, int b, int h, int n, int m, int d, int reps) {
        Rng rng = new Rng(2);
        double[] fwd = new double[reps];
        double[] both = new double[reps];
        for (int r = -1; r < reps; r++) {
            Var q = Var.param(rng.normal(device, 0f, 1f, b, h, n, d));
            Var k = Var.param(rng.normal(device, 0f, 1f, b, h, m, d));
            Var v = Var.param(rng.normal(device, 0f, 1f, b, h, m, d));
            Tensor g = rng.normal(device, 0f, 1f, b, h, n, d);
            g.get(0, 0, 0, 0);
            long t0 = System.nanoTime();
            Var out = Var.attention(q, k, v, null, (float) (1 / Math.sqrt(d)));
            out.value().get(0, 0, 0, 0);
            long t1 = System.nanoTime();
            out.backward(g);
            q.grad().get(0, 0, 0, 0);
            long t2 = System.nanoTime();
            if (r >= 0) {
                fwd[r] = (t1 - t0) / 1e9;
                both[r] = (t2 - t0) / 1e9;
            }
        }
        return new double[] {median(fwd), median(both)};
    }

    static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
