package dev.mp3.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import java.util.*;
import java.util.concurrent.*;

/** Packing 400 rows of a row-major [6400, n] B into 64-wide panels from memory: one stream of rows vs several. */
public class Pk {
    static final int L = ElementwiseKernels.L;

    /** packRowsOfB's copy with `streams` row streams interleaved (rows p0 + q * (kb / streams) + i). */
    static void packStreams(float[] src, int n, int p0, int kb, int streams, float[] dst, int panelSize) {
        int per = kb / streams;
        for (int i = 0; i < per; i++) {
            for (int q = 0; q < streams; q++) {
                int p = q * per + i;
                int from = (p0 + p) * n;
                int to = p * 64;
                for (int j = 0; j < n; j += 64, from += 64, to += panelSize) {
                    FloatVector.fromArray(ElementwiseKernels.S, src, from).intoArray(dst, to);
                    FloatVector.fromArray(ElementwiseKernels.S, src, from + L).intoArray(dst, to + L);
                    FloatVector.fromArray(ElementwiseKernels.S, src, from + 2 * L).intoArray(dst, to + 2 * L);
                    FloatVector.fromArray(ElementwiseKernels.S, src, from + 3 * L).intoArray(dst, to + 3 * L);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int n = 768, k = 6400, kb = 400, copies = 6;
        int threads = Integer.parseInt(args[0]);
        float[][] x = new float[copies][k * n];
        for (float[] c : x) for (int i = 0; i < c.length; i++) c[i] = i;
        int panels = n / 64;
        int panelSize = (int) GemmPacking.oddLines((long) kb * 64);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        float[][] dst = new float[threads][panels * panelSize];
        int[] variants = {0, 1, 2, 4, 8};
        for (int round = 0; round < 6; round++) {
            StringBuilder sb = new StringBuilder(threads + " threads:");
            for (int v : variants) {
                long t0 = System.nanoTime();
                List<Future<?>> fs = new ArrayList<>();
                for (int th = 0; th < threads; th++) {
                    int me = th;
                    fs.add(pool.submit(() -> {
                        for (int c = 0; c < copies; c++) {
                            float[] src = x[(c + me * 3) % copies];
                            GemmOperand b = new GemmOperand(src, 0, 0, n, 1);
                            for (int p0 = me * kb; p0 + kb <= k; p0 += threads * kb) {
                                if (v == 0) GemmPacking.packRowsOfB(b, 0, n, p0, p0 + kb, p0, 64, panelSize, dst[me], 0);
                                else packStreams(src, n, p0, kb, v, dst[me], panelSize);
                            }
                        }
                    }));
                }
                for (Future<?> f : fs) f.get();
                long t = System.nanoTime() - t0;
                double bytes = (double) copies * (k / (threads * kb)) * threads * kb * n * 4;
                sb.append(String.format(Locale.ROOT, "  %s %.1f GB/s", v == 0 ? "packRowsOfB" : v + " streams", bytes / t));
            }
            System.out.println(sb);
        }
        pool.shutdown();
    }
}
