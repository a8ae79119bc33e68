package dev.mp3.tensor.cpu;
import java.lang.reflect.Method;
public class Tr2 {
    public static void main(String[] args) throws Exception {
        Method t = DirectGemm.class.getDeclaredMethod("transposeInto", GemmOperand.class, int.class, int.class, int.class, float[].class);
        t.setAccessible(true);
        int m = 50, d = 64, rs = 576, pairs = 192;
        float[] q = new float[pairs * 3 * d + 64 * rs];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
        float[] s1 = new float[d * m], s2 = new float[d * m];
        for (int round = 0; round < 6; round++) {
            long ta = 0, tb = 0;
            for (int rep = 0; rep < 20; rep++) {
                for (int pair = 0; pair < pairs; pair++) {
                    GemmOperand kt = new GemmOperand(q, pair * 3 * d + d, 0, rs, 1).transposed();
                    long t0 = System.nanoTime();
                    for (int p = 0; p < d; p++) for (int j = 0; j < m; j++) s1[p * m + j] = q[kt.at(0, p, j)];
                    long t1 = System.nanoTime();
                    t.invoke(null, kt, 0, d, m, s2);
                    long t2 = System.nanoTime();
                    ta += t1 - t0; tb += t2 - t1;
                    if (!java.util.Arrays.equals(s1, s2)) throw new AssertionError("differ at pair " + pair);
                }
            }
            System.out.printf("scalar %.2f us, transposeInto %.2f us (incl. a reflective call)%n", ta / 1e3 / 20 / pairs, tb / 1e3 / 20 / pairs);
        }
    }
}
