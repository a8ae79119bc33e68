package dev.mp3.tensor.cpu;
import jdk.incubator.vector.FloatVector;
import java.util.*;
import java.util.concurrent.*;
public class Pk3 {
    static final int L = ElementwiseKernels.L;
    static volatile float sink;
    static float readRows(float[] src, int from, int count) {
        FloatVector a0 = FloatVector.zero(ElementwiseKernels.S), a1 = a0, a2 = a0, a3 = a0;
        for (int i = from; i < from + count; i += 64) {
            a0 = a0.add(FloatVector.fromArray(ElementwiseKernels.S, src, i));
            a1 = a1.add(FloatVector.fromArray(ElementwiseKernels.S, src, i + 16));
            a2 = a2.add(FloatVector.fromArray(ElementwiseKernels.S, src, i + 32));
            a3 = a3.add(FloatVector.fromArray(ElementwiseKernels.S, src, i + 48));
        }
        return a0.add(a1).add(a2).add(a3).lane(0);
    }
    static void copyVec(float[] src, int from, float[] dst, int count) {
        for (int i = 0; i < count; i += 16) FloatVector.fromArray(ElementwiseKernels.S, src, from + i).intoArray(dst, i);
    }
    static void packBlocks(float[] src, int n, int p0, int kb, int r, float[] dst, int panelSize) {
        for (int b0 = 0; b0 < kb; b0 += r) {
            for (int j = 0, to0 = 0; j < n; j += 64, to0 += panelSize) {
                for (int p = b0; p < b0 + r; p++) {
                    int from = (p0 + p) * n + j, to = to0 + p * 64;
                    FloatVector.fromArray(ElementwiseKernels.S, src, from).intoArray(dst, to);
                    FloatVector.fromArray(ElementwiseKernels.S, src, from + 16).intoArray(dst, to + 16);
                    FloatVector.fromArray(ElementwiseKernels.S, src, from + 32).intoArray(dst, to + 32);
                    FloatVector.fromArray(ElementwiseKernels.S, src, from + 48).intoArray(dst, to + 48);
                }
            }
        }
    }
    static void packStaged(float[] src, int n, int p0, int kb, int r, float[] dst, int panelSize, float[] stage) {
        for (int b0 = 0; b0 < kb; b0 += r) {
            System.arraycopy(src, (p0 + b0) * n, stage, 0, r * n);
            for (int j = 0, to0 = 0; j < n; j += 64, to0 += panelSize) {
                for (int p = 0; p < r; p++) {
                    int from = p * n + j, to = to0 + (b0 + p) * 64;
                    FloatVector.fromArray(ElementwiseKernels.S, stage, from).intoArray(dst, to);
                    FloatVector.fromArray(ElementwiseKernels.S, stage, from + 16).intoArray(dst, to + 16);
                    FloatVector.fromArray(ElementwiseKernels.S, stage, from + 32).intoArray(dst, to + 32);
                    FloatVector.fromArray(ElementwiseKernels.S, stage, from + 48).intoArray(dst, to + 48);
                }
            }
        }
    }
    static void packUnrolled(float[] src, int n, int p0, int kb, float[] dst, int panelSize) {
        for (int p = 0; p < kb; p++) {
            int from = (p0 + p) * n, to = p * 64;
            for (int j = 0; j < n; j += 64, from += 64, to += panelSize) {
                FloatVector v0 = FloatVector.fromArray(ElementwiseKernels.S, src, from);
                FloatVector v1 = FloatVector.fromArray(ElementwiseKernels.S, src, from + 16);
                FloatVector v2 = FloatVector.fromArray(ElementwiseKernels.S, src, from + 32);
                FloatVector v3 = FloatVector.fromArray(ElementwiseKernels.S, src, from + 48);
                v0.intoArray(dst, to); v1.intoArray(dst, to + 16); v2.intoArray(dst, to + 32); v3.intoArray(dst, to + 48);
            }
        }
    }
    static void packArraycopy(float[] src, int n, int p0, int kb, float[] dst, int panelSize) {
        for (int p = 0; p < kb; p++) {
            int from = (p0 + p) * n, to = p * 64;
            for (int j = 0; j < n; j += 64, from += 64, to += panelSize) System.arraycopy(src, from, dst, to, 64);
        }
    }
    public static void main(String[] args) throws Exception {
        int n = 768, k = 6400, kb = 400, copies = 6;
        int threads = Integer.parseInt(args[0]);
        float[][] x = new float[copies][k * n];
        for (float[] c : x) for (int i = 0; i < c.length; i++) c[i] = i;
        int panels = n / 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        String[] names = {"pack400", "readonly", "copy400", "unroll4", "arraycopy64", "unroll4b", "blk16", "pack400b"};
        for (int round = 0; round < 6; round++) {
            StringBuilder sb = new StringBuilder(threads + " threads:");
            for (int v = 0; v < names.length; v++) {
                int variant = v;
                long t0 = System.nanoTime();
                List<Future<?>> fs = new ArrayList<>();
                for (int th = 0; th < threads; th++) {
                    int me = th;
                    fs.add(pool.submit(() -> {
                        int rows = kb;
                        int panelSize = (int) GemmPacking.oddLines((long) rows * 64);
                        float[] dst = new float[Math.max(panels * panelSize, rows * n)];
                        float s = 0; float[] stage = new float[16 * n];
                        for (int rep = 0; rep < 10; rep++) for (int c = 0; c < copies; c++) {
                            float[] src = x[(c + me * 3) % copies];
                            GemmOperand b = new GemmOperand(src, 0, 0, n, 1);
                            for (int p0 = me * kb; p0 + kb <= k; p0 += threads * kb) {
                                for (int q = p0; q < p0 + kb; q += rows) {
                                    switch (variant) {
                                        case 0 -> GemmPacking.packRowsOfB(b, 0, n, q, q + rows, q, 64, panelSize, dst, 0);
                                        case 3, 5 -> packUnrolled(src, n, q, rows, dst, panelSize);
                                        case 4 -> packArraycopy(src, n, q, rows, dst, panelSize);
                                                                                case 6 -> packBlocks(src, n, q, rows, 16, dst, panelSize);
                                        case 7 -> GemmPacking.packRowsOfB(b, 0, n, q, q + rows, q, 64, panelSize, dst, 0);
                                        case 1 -> s += readRows(src, q * n, rows * n);
                                        default -> copyVec(src, q * n, dst, rows * n);
                                    }
                                }
                            }
                        }
                        sink = s;
                    }));
                }
                for (Future<?> f : fs) f.get();
                long t = System.nanoTime() - t0;
                double bytes = 10.0 * copies * (k / (threads * kb)) * threads * kb * n * 4;
                sb.append(String.format(Locale.ROOT, "  %s %.1f", names[v], bytes / t));
            }
            System.out.println(sb + " GB/s");
        }
        pool.shutdown();
    }
}
