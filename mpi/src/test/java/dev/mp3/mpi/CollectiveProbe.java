package dev.mp3.mpi;

import dev.mp3.nn.parallel.Collective;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * Run by {@link MpiCollectiveTest} under {@code mpirun -np N}: every collective on known data,
 * each rank checking the result against the value computed by hand in double, printing one
 * "rank R ok ..." line or exiting with a message.
 */
public final class CollectiveProbe {
    public static void main(String[] args) {
        try (MpiCollective c = MpiCollective.world()) {
            int r = c.rank();
            int n = c.size();
            check(c, n == Integer.parseInt(args[0]), "size " + n + ", expected " + args[0]);

            // Sum: rank r contributes (r + 1) * (i + 0.5); the sum is (i + 0.5) * n(n+1)/2 exactly.
            int count = 1000;
            float[] mine = new float[count];
            for (int i = 0; i < count; i++) {
                mine[i] = (r + 1) * (i + 0.5f);
            }
            float[] summed = c.sum(mine);
            for (int i = 0; i < count; i++) {
                double expected = (i + 0.5) * n * (n + 1) / 2.0;
                check(c, summed[i] == (float) expected, "sum[" + i + "] = " + summed[i] + ", expected " + expected);
            }

            // Non-blocking sum of two buffers at once, progressed with test() and finished with await().
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment a = arena.allocateFrom(JAVA_FLOAT, filled(4096, r + 1f));
                MemorySegment b = arena.allocateFrom(JAVA_FLOAT, filled(17, -2f * r));
                Collective.Pending pa = c.startSumInPlace(a);
                Collective.Pending pb = c.startSumInPlace(b);
                while (!pa.test()) {
                    Thread.onSpinWait();
                }
                pb.await();
                float want = n * (n + 1) / 2f;
                float wantB = -2f * n * (n - 1) / 2f;
                check(c, Arrays.equals(a.toArray(JAVA_FLOAT), filled(4096, want)), "Iallreduce a: expected all " + want);
                check(c, Arrays.equals(b.toArray(JAVA_FLOAT), filled(17, wantB)), "Iallreduce b: expected all " + wantB);
            }

            // Broadcast from the last rank, min/max, barrier.
            double v = c.broadcast(r == n - 1 ? 42.25 : -1, n - 1);
            check(c, v == 42.25, "broadcast gave " + v + ", expected 42.25");
            long[] mm = c.minMax(10L * r - 3);
            check(c, mm[0] == -3 && mm[1] == 10L * (n - 1) - 3, "minMax " + Arrays.toString(mm));
            c.barrier();
            System.out.println("rank " + r + " of " + n + " ok (local " + c.localRank() + " of " + c.localSize() + ")");
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static void check(Collective c, boolean ok, String what) {
        if (!ok) {
            System.err.println("rank " + c.rank() + ": " + what);
            System.exit(3);
        }
    }
}
