package dev.mp3.bench;

import dev.mp3.opencl.ClBackend;
import dev.mp3.opencl.GemmConfig;
import dev.mp3.opencl.GemmTuner;
import dev.mp3.opencl.GemmWorkload;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OpenCL SGEMM tuner against the old default, in one run: tunes the device over
 * {@link GemmConfig#space} on square products (a temporary cache file, the user's is not touched),
 * then times the untuned default and the tuned choice in turn at each size, several rounds, and
 * prints the median GFLOP/s of each and their ratio.
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp bench/target/benchmarks.jar dev.mp3.bench.GemmTuneBench [--device 0:0] [--seconds 240] [--rounds 5]</pre>
 */
public final class GemmTuneBench {
    private GemmTuneBench() {}

    public static void main(String[] args) throws Exception {
        String address = GpuBench.arg(args, "--device", "");
        double seconds = Double.parseDouble(GpuBench.arg(args, "--seconds", "240"));
        int rounds = Integer.parseInt(GpuBench.arg(args, "--rounds", "5"));
        int[] sizes = {512, 1024};
        ClBackend cl = ClBackend.open(address);
        System.out.println("device: " + cl.deviceInfo().describe());
        GemmConfig old = GemmConfig.defaultFor(cl.deviceInfo());
        List<GemmWorkload.Product> products = new ArrayList<>();
        for (int s : sizes) {
            products.add(new GemmWorkload.Product(s + "^3", s, s, s, false, false, 1));
        }
        Path cache = Files.createTempDirectory("mp3-tune").resolve("opencl-tuning.json");
        GemmTuner.Result r = GemmTuner.tune(cl, GemmConfig.space(cl.deviceInfo()),
                List.of(new GemmWorkload("square 512 and 1024", products)), seconds, cache, System.out);
        GemmConfig tuned = r.config();
        Rng rng = new Rng(1);
        for (int s : sizes) {
            Tensor a = rng.normal(cl.device(), 0f, 1f, s, s);
            Tensor b = rng.normal(cl.device(), 0f, 1f, s, s);
            double[] tOld = new double[rounds];
            double[] tNew = new double[rounds];
            for (int round = -1; round < rounds; round++) {
                double o = time(cl, old, a, b);
                double n = time(cl, tuned, a, b);
                if (round >= 0) {
                    tOld[round] = o;
                    tNew[round] = n;
                }
            }
            double flops = 2.0 * s * s * s;
            double gOld = flops / GpuBench.median(tOld) * 1e-9;
            double gNew = flops / GpuBench.median(tNew) * 1e-9;
            System.out.printf(Locale.ROOT, "%d^3: default %s %.2f GFLOP/s, tuned %s %.2f GFLOP/s, tuned/default %.2f%n", s,
                    old, gOld, tuned, gNew, gNew / gOld);
        }
    }

    private static double time(ClBackend cl, GemmConfig c, Tensor a, Tensor b) {
        cl.useGemmConfig(c);
        Tensor.matmul(a, false, b, false).get(0, 0);
        long t0 = System.nanoTime();
        Tensor.matmul(a, false, b, false).get(0, 0);
        return (System.nanoTime() - t0) * 1e-9;
    }
}
