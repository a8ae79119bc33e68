package dev.mp3.tensor.cpu;
public class Pk {
    public static void main(String[] x) {
        int n = Integer.parseInt(x[0]);
        float[] a = new float[n*n], b = new float[n*n], c = new float[n*n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat(); b[i] = r.nextFloat(); }
        GemmOperand ga = GemmOperand.of(a, 0, 0, false, n, n), gb = GemmOperand.of(b, 0, 0, false, n, n), gc = GemmOperand.of(c, 0, 0, false, n, n);
        MicroKernel kern = MicroKernel.forThisMachine();
        int nr = kern.cols, panels = (n + nr - 1)/nr;
        int panelSize = (int) GemmPacking.oddLines((long) n * nr);
        float[] pb = new float[panels * panelSize];
        int lda = GemmPacking.packedARowStride(256);
        float[] pa = new float[120 * lda];
        for (int rep = 0; rep < 6; rep++) {
            int calls = 400;
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) PackedGemm.gemm(kern, 1, n, n, n, ga, gb, gc);
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) GemmPacking.packRowsOfB(gb, 0, n, 0, n, 0, nr, panelSize, pb, 0);
            long t2 = System.nanoTime();
            for (int i = 0; i < calls; i++) for (int i0 = 0; i0 < n; i0 += 102) for (int p0 = 0; p0 < n; p0 += 256)
                GemmPacking.packA(ga, 0, n, i0, 6, 17, p0, 256, pa, 0, lda);
            long t3 = System.nanoTime();
            System.out.printf("n=%d gemm %.1f us (%.1f GFLOP/s)  packB %.1f us  packA(all rows, every K block) %.1f us%n", n,
                (t1-t0)/1e3/calls, 2.0*n*n*n*calls/(t1-t0), (t2-t1)/1e3/calls, (t3-t2)/1e3/calls);
        }
    }
}
