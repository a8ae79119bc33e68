package dev.mp3.bench;

import dev.mp3.opencl.AttentionPath;
import dev.mp3.opencl.ClBackend;
import dev.mp3.tensor.Backend;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * The OpenCL attention kernels' two paths (tiled and staged, {@link AttentionPath}) on MP3's
 * shapes, in the same run: forward, and forward plus backward (with a bias when asked), of q, k, v
 * and the output gradient laid out as models lay them out (the heads of [B, rows, H*D]
 * projections). The paths alternate every repetition, so drift of a busy machine hits both;
 * each time is a median, with the queue drained by a one-element read-back.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp benchmarks.jar \
 *      dev.mp3.bench.AttentionPathBench [--device opencl] [--reps 7] [--bias false]
 *      [--shapes B:H:N:M:D,...]</pre>
 */
public final class AttentionPathBench {
    private AttentionPathBench() {}

    public static void main(String[] args) {
        Device device = Device.parse(arg(args, "--device", "opencl"));
        int reps = Integer.parseInt(arg(args, "--reps", "7"));
        boolean withBias = Boolean.parseBoolean(arg(args, "--bias", "false"));
        String shapes = arg(args, "--shapes", "16:6:65:16:64,16:3:197:49:64,16:4:64:13:32");
        if (!(Backends.get(device) instanceof ClBackend cl)) {
            throw new IllegalArgumentException("AttentionPathBench needs an OpenCL device, not " + device);
        }
        System.out.println("AttentionPathBench on " + cl.deviceInfo().describe() + ", " + reps + " repetitions"
                + (withBias ? ", with bias" : ""));
        System.out.println("| B | H | N | M | d | tiled fwd ms | staged fwd ms | tiled fwd+bwd ms | staged fwd+bwd ms"
                + " | fwd+bwd tiled / staged |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String s : shapes.split(",")) {
            int[] a = Arrays.stream(s.split(":")).mapToInt(Integer::parseInt).toArray();
            if (a.length != 5) {
                throw new IllegalArgumentException("--shapes: '" + s + "' is not B:H:N:M:D");
            }
            double[][] t = measure(cl, device, a[0], a[1], a[2], a[3], a[4], withBias, reps);
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", a[0], a[1],
                    a[2], a[3], a[4], t[0][0] * 1e3, t[1][0] * 1e3, t[0][1] * 1e3, t[1][1] * 1e3, t[0][1] / t[1][1]);
        }
        cl.useAttentionPath(AttentionPath.AUTO);
    }

    /** [path (tiled, staged)][forward, forward + backward]: median seconds. */
    static double[][] measure(ClBackend cl, Device device, int b, int h, int n, int m, int d, boolean withBias,
                              int reps) {
        Rng rng = new Rng(3);
        Tensor q = rng.normal(device, 0f, 1f, b, n, h * d).reshape(b, n, h, d).permute(0, 2, 1, 3);
        Tensor k = rng.normal(device, 0f, 1f, b, m, h * d).reshape(b, m, h, d).permute(0, 2, 1, 3);
        Tensor v = rng.normal(device, 0f, 1f, b, m, h * d).reshape(b, m, h, d).permute(0, 2, 1, 3);
        Tensor g = rng.normal(device, 0f, 1f, b, n, h * d).reshape(b, n, h, d).permute(0, 2, 1, 3);
        Tensor bias = withBias ? rng.normal(device, 0f, 1f, h, n, m) : null;
        float scale = (float) (1 / Math.sqrt(d));
        // AUTO stages the context wherever it fits local memory: the "staged" column (tiled where it does not fit).
        AttentionPath[] paths = {AttentionPath.TILED, AttentionPath.AUTO};
        double[][][] t = new double[2][2][reps];
        for (int r = -1; r < reps; r++) {
            for (int p = 0; p < 2; p++) {
                cl.useAttentionPath(paths[p]);
                cl.synchronize();
                long t0 = System.nanoTime();
                Backend.AttentionOut o = Tensor.attention(q, k, v, bias, scale);
                o.logSumExp().get(0, 0, 0);
                long t1 = System.nanoTime();
                Backend.AttentionGrads gr = Tensor.attentionBackward(q, k, v, bias, scale, o.out(), o.logSumExp(), g);
                gr.dk().get(0, 0, 0, 0);
                long t2 = System.nanoTime();
                if (r >= 0) {
                    t[p][0][r] = (t1 - t0) / 1e9;
                    t[p][1][r] = (t2 - t0) / 1e9;
                }
            }
        }
        return new double[][] {{median(t[0][0]), median(t[0][1])}, {median(t[1][0]), median(t[1][1])}};
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
