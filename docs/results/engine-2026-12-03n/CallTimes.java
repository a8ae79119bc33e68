import dev.mp3.bench.*;
import dev.mp3.tensor.cpu.*;
import java.lang.foreign.*;
import java.util.*;

public class CallTimes {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        OpenBlas blas = OpenBlas.load();
        blas.threads(2);
        Parallel.setThreads(2);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        Arena arena = Arena.ofConfined();
        MemorySegment na = arena.allocate((long) a.length * 4, 64), nb = arena.allocate((long) b.length * 4, 64), nc = arena.allocate((long) c.length * 4, 64);
        MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
        MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);
        double flops = 2.0 * n * n * n;
        for (int w = 0; w < 20; w++) { GemmKernels.gemm(1, n, n, n, a, 0, 0, false, b, 0, 0, false, c, 0, 0); blas.sgemm(false, false, n, n, n, na, nb, nc); }
        double[] ours = new double[calls], theirs = new double[calls];
        for (int i = 0; i < calls; i++) {
            if (args.length > 2) Thread.sleep(Integer.parseInt(args[2]));
            long t0 = System.nanoTime();
            GemmKernels.gemm(1, n, n, n, a, 0, 0, false, b, 0, 0, false, c, 0, 0);
            long t1 = System.nanoTime();
            blas.sgemm(false, false, n, n, n, na, nb, nc);
            long t2 = System.nanoTime();
            if (args.length > 3) { t1 = t2; blas.sgemm(false, false, n, n, n, na, nb, nc); t2 = System.nanoTime(); }
            ours[i] = flops / (t1 - t0);
            theirs[i] = flops / (t2 - t1);
        }
        double[] so = ours.clone(), st = theirs.clone();
        Arrays.sort(so); Arrays.sort(st);
        System.out.printf("n=%d calls=%d%n", n, calls);
        for (double q : new double[] {0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98}) {
            int k = (int) (q * (calls - 1));
            System.out.printf("q%.2f ours %.1f theirs %.1f%n", q, so[k], st[k]);
        }
        System.out.printf("mean ours %.1f theirs %.1f%n", Arrays.stream(ours).average().getAsDouble(), Arrays.stream(theirs).average().getAsDouble());
        StringBuilder sb = new StringBuilder("ours seq:");
        for (int i = 0; i < Math.min(calls, 60); i++) sb.append(String.format(" %.0f", ours[i]));
        System.out.println(sb);
        sb = new StringBuilder("theirs seq:");
        for (int i = 0; i < Math.min(calls, 60); i++) sb.append(String.format(" %.0f", theirs[i]));
        System.out.println(sb);
    }
}
