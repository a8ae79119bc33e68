import jdk.incubator.vector.*;
public class Bw {
    static float[][] DST = {new float[256*768], new float[256*768]};
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    public static void main(String[] a) throws Exception {
        int n = 768, k = 6400, kb = 256;
        float[] src = new float[n * k];
        for (int i = 0; i < src.length; i++) src[i] = i;
        for (int threads = 1; threads <= 2; threads++) {
            for (int mode = 0; mode < 3; mode++) {
                final int md = mode, th = threads;
                double best = 0;
                for (int rep = 0; rep < 30; rep++) {
                    Thread[] ts = new Thread[th];
                    long t0 = System.nanoTime();
                    for (int t = 0; t < th; t++) {
                        final int tt = t;
                        ts[t] = new Thread(() -> {
                            float[] dst = DST[tt];
                            float acc = 0;
                            int rows = k / th;
                            for (int p = tt * rows; p < (tt + 1) * rows; p++) {
                                int from = p * n;
                                if (md == 0) { // pack like packRowsOfB: panels of 64
                                    int to = (p % kb) * 64;
                                    for (int j = 0; j < n / 64; j++, from += 64, to += kb * 64)
                                        for (int v = 0; v < 64; v += 16) FloatVector.fromArray(S, src, from + v).intoArray(dst, to + v);
                                } else if (md == 1) { // pure read
                                    FloatVector s = FloatVector.zero(S);
                                    for (int v = 0; v < n; v += 16) s = s.add(FloatVector.fromArray(S, src, from + v));
                                    acc += s.reduceLanes(VectorOperators.ADD);
                                } else { // contiguous copy
                                    int to = (p % kb) * n;
                                    for (int v = 0; v < n; v += 16) FloatVector.fromArray(S, src, from + v).intoArray(dst, to + v);
                                }
                            }
                            if (acc == 1.5f) System.out.println(acc);
                        });
                        ts[t].start();
                    }
                    for (Thread t : ts) t.join();
                    double gbs = (double) src.length * 4 / (System.nanoTime() - t0);
                    if (rep >= 5) best = Math.max(best, gbs);
                }
                System.out.printf("threads %d mode %s: best %.1f GB/s of source read%n", threads, new String[]{"pack","read","copy"}[mode], best);
            }
        }
    }
}
