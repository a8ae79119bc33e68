import dev.mp3.tensor.cpu.*;
import java.util.*;

public class Tl {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Parallel.setThreads(2);
        Parallel.CALLER = Thread.currentThread();
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        for (int w = 0; w < 3000; w++) GemmKernels.gemm(1, n, n, n, a, 0, 0, false, b, 0, 0, false, c, 0, 0);
        double flops = 2.0 * n * n * n;
        for (int call = 0; call < 12; call++) {
            Parallel.TRACE_AT.set(0);
            long t0 = System.nanoTime();
            GemmKernels.gemm(1, n, n, n, a, 0, 0, false, b, 0, 0, false, c, 0, 0);
            long t1 = System.nanoTime();
            int cnt = Parallel.TRACE_AT.get();
            StringBuilder sb = new StringBuilder(String.format("call %d: %.0f us, %.0f GFLOP/s |", call, (t1 - t0) / 1e3, flops / (t1 - t0)));
            long[] T = Parallel.TRACE;
            for (int i = 0; i < cnt; i++) sb.append(String.format(" %s%d[%d-%d]", T[4*i+2]==0?"c":"h", T[4*i+3], (T[4*i]-t0)/1000, (T[4*i+1]-t0)/1000));
            System.out.println(sb);
        }
    }
}
