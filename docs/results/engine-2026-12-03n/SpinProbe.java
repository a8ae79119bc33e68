import dev.mp3.bench.*;
import dev.mp3.tensor.cpu.*;
import java.lang.foreign.*;
import java.lang.management.*;

public class SpinProbe {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        OpenBlas blas = OpenBlas.load();
        blas.threads(2);
        Parallel.setThreads(2);
        Arena arena = Arena.ofConfined();
        MemorySegment na = arena.allocate((long) n * n * 4, 64), nb = arena.allocate((long) n * n * 4, 64), nc = arena.allocate((long) n * n * 4, 64);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int rep = 0; rep < 3; rep++) {
            for (String who : new String[] {"openblas", "ours"}) {
                for (int w = 0; w < 5; w++) {
                    if (who.equals("openblas")) blas.sgemm(false, false, n, n, n, na, nb, nc);
                    else GemmKernels.gemm(1, n, n, n, a, 0, 0, false, b, 0, 0, false, c, 0, 0);
                }
                StringBuilder sb = new StringBuilder(who + " then idle, CPU ms per 20 ms:");
                long t = System.nanoTime(), cpu = os.getProcessCpuTime();
                for (int i = 0; i < 15; i++) {
                    Thread.sleep(20);
                    long t2 = System.nanoTime(), cpu2 = os.getProcessCpuTime();
                    sb.append(String.format(" %.1f", (cpu2 - cpu) / 1e6));
                    t = t2; cpu = cpu2;
                }
                System.out.println(sb);
            }
        }
    }
}
