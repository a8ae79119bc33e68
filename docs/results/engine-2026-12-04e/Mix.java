import dev.mp3.tensor.*;
import dev.mp3.tensor.cpu.Parallel;
import java.util.*;
public class Mix {
    record Op(String name, Tensor a, boolean ta, Tensor b, boolean tb, boolean sums, double flop) {
        void run() { if (sums) Tensor.matmulWithSums(a, ta, b, tb); else Tensor.matmul(a, ta, b, tb); }
    }
    public static void main(String[] args) {
        Parallel.setThreads(2);
        boolean flush = args.length > 0 && args[0].equals("flush");
        Rng rng = new Rng(1);
        int r = 6400;
        List<Op> ops = new ArrayList<>();
        int[][] lin = {{192, 576}, {192, 192}, {192, 768}, {768, 192}}; // in -> out
        for (int[] l : lin) {
            int in = l[0], out = l[1];
            Tensor x = rng.normal(0f, 1f, r, in), w = rng.normal(0f, 1f, out, in), dy = rng.normal(0f, 1f, r, out);
            double f = 2.0 * r * in * out;
            ops.add(new Op("fwd NT " + in + "->" + out, x, false, w, true, false, f));
            ops.add(new Op("dX NN " + in + "->" + out, dy, false, w, false, false, f));
            ops.add(new Op("dW TN " + in + "->" + out, dy, true, x, false, true, f));
        }
        float[] junk = new float[32 << 20];
        int reps = 10;
        for (int round = 0; round < 5; round++) {
            // (a) mixed: the sequence, repeated
            double[] mixed = new double[ops.size()];
            for (int rep = 0; rep < reps; rep++) {
                for (int i = 0; i < ops.size(); i++) {
                    if (flush) for (int j = 0; j < junk.length; j += 16) junk[j] += 1f;
                    long t0 = System.nanoTime(); ops.get(i).run(); mixed[i] += System.nanoTime() - t0;
                }
            }
            // (b) each op repeated on its own
            double[] alone = new double[ops.size()];
            for (int i = 0; i < ops.size(); i++) {
                for (int rep = 0; rep < reps; rep++) {
                    if (flush) for (int j = 0; j < junk.length; j += 16) junk[j] += 1f;
                    long t0 = System.nanoTime(); ops.get(i).run(); alone[i] += System.nanoTime() - t0;
                }
            }
            StringBuilder sb = new StringBuilder("round " + round + (flush ? " (flushed)" : "") + ":");
            double tm = 0, ta = 0, f = 0;
            for (int i = 0; i < ops.size(); i++) {
                sb.append(String.format(" %s %.0f/%.0f;", ops.get(i).name, ops.get(i).flop * reps / mixed[i], ops.get(i).flop * reps / alone[i]));
                tm += mixed[i]; ta += alone[i]; f += ops.get(i).flop * reps;
            }
            sb.append(String.format("%n  all: mixed %.0f GFLOP/s, alone %.0f GFLOP/s", f / tm, f / ta));
            System.out.println(sb);
        }
    }
}
