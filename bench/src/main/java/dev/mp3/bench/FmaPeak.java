package dev.mp3.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float multiply-add peak as the Vector API reaches it: {@value #CHAINS} independent
 * chains of fused multiply-adds on preferred-width vectors, registers only. {@link MatMulBench}
 * runs it on the same threads right next to each SGEMM, so that "ours / peak" reads the kernel's
 * efficiency against what the cores delivered at that moment, on a machine shared with other work.
 */
final class FmaPeak {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** More chains than FMA latency x FMA pipes, so the pipes never wait for a result. */
    static final int CHAINS = 12;
    static final int STEPS = 1 << 20;

    private FmaPeak() {}

    /** Flops of one {@link #run} (a multiply-add counts as two). */
    static double flops() {
        return 2.0 * CHAINS * S.length() * STEPS;
    }

    /** x, y come from a field so the compiler cannot fold the loop; the sum keeps it alive. */
    static float run(float x, float y) {
        FloatVector a = FloatVector.broadcast(S, x);
        FloatVector b = FloatVector.broadcast(S, y);
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        FloatVector c8 = c0;
        FloatVector c9 = c0;
        FloatVector c10 = c0;
        FloatVector c11 = c0;
        for (int i = 0; i < STEPS; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
            c10 = a.fma(b, c10);
            c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
