package dev.mp3.tensor.cpu;
import java.util.*;
import jdk.incubator.vector.*;
/** Transposing a pair's m x d rows (row stride rs) into d x w: three loops. */
public class Tp {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static int[] idx;
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), d = Integer.parseInt(args[1]), rs = Integer.parseInt(args[2]);
        int w = (m + 15) / 16 * 16;
        float[] x = new float[64 * rs + 64];
        for (int i = 0; i < x.length; i++) x[i] = i;
        float[] a = new float[d * w], b = new float[d * w], c = new float[d * w];
        idx = new int[16]; for (int l = 0; l < 16; l++) idx[l] = l * rs;
        for (int rep = 0; rep < 6; rep++) {
            int calls = 200000;
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) rowsOuter(x, i & 7, rs, m, d, w, a);
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) colsOuter(x, i & 7, rs, m, d, w, b);
            long t2 = System.nanoTime();
            for (int i = 0; i < calls; i++) gather(x, i & 7, rs, m, d, w, c);
            long t3 = System.nanoTime();
            System.out.printf("m %d d %d: rows outer %.0f ns, cols outer %.0f ns, gather %.0f ns  %b %b%n", m, d, (t1 - t0) / (double) calls, (t2 - t1) / (double) calls, (t3 - t2) / (double) calls, Arrays.equals(a, b), Arrays.equals(a, c));
        }
    }
    static void rowsOuter(float[] x, int off, int rs, int m, int d, int w, float[] xT) {
        for (int j = 0; j < m; j++) { int row = off + j * rs; for (int cc = 0; cc < d; cc++) xT[cc * w + j] = x[row + cc]; }
    }
    static void colsOuter(float[] x, int off, int rs, int m, int d, int w, float[] xT) {
        for (int cc = 0; cc < d; cc++) { int o = cc * w; for (int j = 0; j < m; j++) xT[o + j] = x[off + j * rs + cc]; }
    }
    static void gather(float[] x, int off, int rs, int m, int d, int w, float[] xT) {
        int j = 0;
        for (; j + 16 <= m; j += 16) {
            for (int cc = 0; cc < d; cc++) FloatVector.fromArray(S, x, off + j * rs + cc, idx, 0).intoArray(xT, cc * w + j);
        }
        for (; j < m; j++) { int row = off + j * rs; for (int cc = 0; cc < d; cc++) xT[cc * w + j] = x[row + cc]; }
    }
}
