package dev.mp3.tensor.cpu;
import jdk.incubator.vector.*;
import static dev.mp3.tensor.cpu.ElementwiseKernels.S;
/** C^T tile (TC columns of C x 16R rows, C^T's rows ldc apart) += A's rows x B's columns over kb steps; A step p at a[ai + p*lda], B step p at b[bi + p*ldb]. */
final class VmKernel {
  static int R = Integer.getInteger("vr", 2), C = 24 / R;
  static void run(int kb, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean acc) {
    switch (R) { case 2 -> r2(kb, a, ai, lda, b, bi, ldb, c, ci, ldc, acc); case 3 -> r3(kb, a, ai, lda, b, bi, ldb, c, ci, ldc, acc); default -> r4(kb, a, ai, lda, b, bi, ldb, c, ci, ldc, acc); }
  }
  static void r2(int kb, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean acc) {
    FloatVector c0_0, c0_1, c0_2, c0_3, c0_4, c0_5, c0_6, c0_7, c0_8, c0_9, c0_10, c0_11, c1_0, c1_1, c1_2, c1_3, c1_4, c1_5, c1_6, c1_7, c1_8, c1_9, c1_10, c1_11;
    if (acc) {
      c0_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 0);
      c0_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 0);
      c0_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 0);
      c0_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 0);
      c0_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 0);
      c0_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 0);
      c0_6 = FloatVector.fromArray(S, c, ci + 6 * ldc + 0);
      c0_7 = FloatVector.fromArray(S, c, ci + 7 * ldc + 0);
      c0_8 = FloatVector.fromArray(S, c, ci + 8 * ldc + 0);
      c0_9 = FloatVector.fromArray(S, c, ci + 9 * ldc + 0);
      c0_10 = FloatVector.fromArray(S, c, ci + 10 * ldc + 0);
      c0_11 = FloatVector.fromArray(S, c, ci + 11 * ldc + 0);
      c1_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 16);
      c1_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 16);
      c1_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 16);
      c1_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 16);
      c1_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 16);
      c1_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 16);
      c1_6 = FloatVector.fromArray(S, c, ci + 6 * ldc + 16);
      c1_7 = FloatVector.fromArray(S, c, ci + 7 * ldc + 16);
      c1_8 = FloatVector.fromArray(S, c, ci + 8 * ldc + 16);
      c1_9 = FloatVector.fromArray(S, c, ci + 9 * ldc + 16);
      c1_10 = FloatVector.fromArray(S, c, ci + 10 * ldc + 16);
      c1_11 = FloatVector.fromArray(S, c, ci + 11 * ldc + 16);
    } else {
      c0_0 = c0_1 = c0_2 = c0_3 = c0_4 = c0_5 = c0_6 = c0_7 = c0_8 = c0_9 = c0_10 = c0_11 = c1_0 = c1_1 = c1_2 = c1_3 = c1_4 = c1_5 = c1_6 = c1_7 = c1_8 = c1_9 = c1_10 = c1_11 = FloatVector.zero(S);
    }
    for (int p = 0; p < kb; p++) {
      int ap = ai + p * lda; int bp = bi + p * ldb;
      FloatVector a0 = FloatVector.fromArray(S, a, ap + 0);
      FloatVector a1 = FloatVector.fromArray(S, a, ap + 16);
      FloatVector b0 = FloatVector.broadcast(S, b[bp + 0]);
      c0_0 = a0.fma(b0, c0_0); c1_0 = a1.fma(b0, c1_0);
      FloatVector b1 = FloatVector.broadcast(S, b[bp + 1]);
      c0_1 = a0.fma(b1, c0_1); c1_1 = a1.fma(b1, c1_1);
      FloatVector b2 = FloatVector.broadcast(S, b[bp + 2]);
      c0_2 = a0.fma(b2, c0_2); c1_2 = a1.fma(b2, c1_2);
      FloatVector b3 = FloatVector.broadcast(S, b[bp + 3]);
      c0_3 = a0.fma(b3, c0_3); c1_3 = a1.fma(b3, c1_3);
      FloatVector b4 = FloatVector.broadcast(S, b[bp + 4]);
      c0_4 = a0.fma(b4, c0_4); c1_4 = a1.fma(b4, c1_4);
      FloatVector b5 = FloatVector.broadcast(S, b[bp + 5]);
      c0_5 = a0.fma(b5, c0_5); c1_5 = a1.fma(b5, c1_5);
      FloatVector b6 = FloatVector.broadcast(S, b[bp + 6]);
      c0_6 = a0.fma(b6, c0_6); c1_6 = a1.fma(b6, c1_6);
      FloatVector b7 = FloatVector.broadcast(S, b[bp + 7]);
      c0_7 = a0.fma(b7, c0_7); c1_7 = a1.fma(b7, c1_7);
      FloatVector b8 = FloatVector.broadcast(S, b[bp + 8]);
      c0_8 = a0.fma(b8, c0_8); c1_8 = a1.fma(b8, c1_8);
      FloatVector b9 = FloatVector.broadcast(S, b[bp + 9]);
      c0_9 = a0.fma(b9, c0_9); c1_9 = a1.fma(b9, c1_9);
      FloatVector b10 = FloatVector.broadcast(S, b[bp + 10]);
      c0_10 = a0.fma(b10, c0_10); c1_10 = a1.fma(b10, c1_10);
      FloatVector b11 = FloatVector.broadcast(S, b[bp + 11]);
      c0_11 = a0.fma(b11, c0_11); c1_11 = a1.fma(b11, c1_11);
    }
    c0_0.intoArray(c, ci + 0 * ldc + 0);
    c0_1.intoArray(c, ci + 1 * ldc + 0);
    c0_2.intoArray(c, ci + 2 * ldc + 0);
    c0_3.intoArray(c, ci + 3 * ldc + 0);
    c0_4.intoArray(c, ci + 4 * ldc + 0);
    c0_5.intoArray(c, ci + 5 * ldc + 0);
    c0_6.intoArray(c, ci + 6 * ldc + 0);
    c0_7.intoArray(c, ci + 7 * ldc + 0);
    c0_8.intoArray(c, ci + 8 * ldc + 0);
    c0_9.intoArray(c, ci + 9 * ldc + 0);
    c0_10.intoArray(c, ci + 10 * ldc + 0);
    c0_11.intoArray(c, ci + 11 * ldc + 0);
    c1_0.intoArray(c, ci + 0 * ldc + 16);
    c1_1.intoArray(c, ci + 1 * ldc + 16);
    c1_2.intoArray(c, ci + 2 * ldc + 16);
    c1_3.intoArray(c, ci + 3 * ldc + 16);
    c1_4.intoArray(c, ci + 4 * ldc + 16);
    c1_5.intoArray(c, ci + 5 * ldc + 16);
    c1_6.intoArray(c, ci + 6 * ldc + 16);
    c1_7.intoArray(c, ci + 7 * ldc + 16);
    c1_8.intoArray(c, ci + 8 * ldc + 16);
    c1_9.intoArray(c, ci + 9 * ldc + 16);
    c1_10.intoArray(c, ci + 10 * ldc + 16);
    c1_11.intoArray(c, ci + 11 * ldc + 16);
  }
  static void r3(int kb, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean acc) {
    FloatVector c0_0, c0_1, c0_2, c0_3, c0_4, c0_5, c0_6, c0_7, c1_0, c1_1, c1_2, c1_3, c1_4, c1_5, c1_6, c1_7, c2_0, c2_1, c2_2, c2_3, c2_4, c2_5, c2_6, c2_7;
    if (acc) {
      c0_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 0);
      c0_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 0);
      c0_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 0);
      c0_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 0);
      c0_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 0);
      c0_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 0);
      c0_6 = FloatVector.fromArray(S, c, ci + 6 * ldc + 0);
      c0_7 = FloatVector.fromArray(S, c, ci + 7 * ldc + 0);
      c1_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 16);
      c1_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 16);
      c1_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 16);
      c1_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 16);
      c1_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 16);
      c1_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 16);
      c1_6 = FloatVector.fromArray(S, c, ci + 6 * ldc + 16);
      c1_7 = FloatVector.fromArray(S, c, ci + 7 * ldc + 16);
      c2_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 32);
      c2_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 32);
      c2_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 32);
      c2_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 32);
      c2_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 32);
      c2_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 32);
      c2_6 = FloatVector.fromArray(S, c, ci + 6 * ldc + 32);
      c2_7 = FloatVector.fromArray(S, c, ci + 7 * ldc + 32);
    } else {
      c0_0 = c0_1 = c0_2 = c0_3 = c0_4 = c0_5 = c0_6 = c0_7 = c1_0 = c1_1 = c1_2 = c1_3 = c1_4 = c1_5 = c1_6 = c1_7 = c2_0 = c2_1 = c2_2 = c2_3 = c2_4 = c2_5 = c2_6 = c2_7 = FloatVector.zero(S);
    }
    for (int p = 0; p < kb; p++) {
      int ap = ai + p * lda; int bp = bi + p * ldb;
      FloatVector a0 = FloatVector.fromArray(S, a, ap + 0);
      FloatVector a1 = FloatVector.fromArray(S, a, ap + 16);
      FloatVector a2 = FloatVector.fromArray(S, a, ap + 32);
      FloatVector b0 = FloatVector.broadcast(S, b[bp + 0]);
      c0_0 = a0.fma(b0, c0_0); c1_0 = a1.fma(b0, c1_0); c2_0 = a2.fma(b0, c2_0);
      FloatVector b1 = FloatVector.broadcast(S, b[bp + 1]);
      c0_1 = a0.fma(b1, c0_1); c1_1 = a1.fma(b1, c1_1); c2_1 = a2.fma(b1, c2_1);
      FloatVector b2 = FloatVector.broadcast(S, b[bp + 2]);
      c0_2 = a0.fma(b2, c0_2); c1_2 = a1.fma(b2, c1_2); c2_2 = a2.fma(b2, c2_2);
      FloatVector b3 = FloatVector.broadcast(S, b[bp + 3]);
      c0_3 = a0.fma(b3, c0_3); c1_3 = a1.fma(b3, c1_3); c2_3 = a2.fma(b3, c2_3);
      FloatVector b4 = FloatVector.broadcast(S, b[bp + 4]);
      c0_4 = a0.fma(b4, c0_4); c1_4 = a1.fma(b4, c1_4); c2_4 = a2.fma(b4, c2_4);
      FloatVector b5 = FloatVector.broadcast(S, b[bp + 5]);
      c0_5 = a0.fma(b5, c0_5); c1_5 = a1.fma(b5, c1_5); c2_5 = a2.fma(b5, c2_5);
      FloatVector b6 = FloatVector.broadcast(S, b[bp + 6]);
      c0_6 = a0.fma(b6, c0_6); c1_6 = a1.fma(b6, c1_6); c2_6 = a2.fma(b6, c2_6);
      FloatVector b7 = FloatVector.broadcast(S, b[bp + 7]);
      c0_7 = a0.fma(b7, c0_7); c1_7 = a1.fma(b7, c1_7); c2_7 = a2.fma(b7, c2_7);
    }
    c0_0.intoArray(c, ci + 0 * ldc + 0);
    c0_1.intoArray(c, ci + 1 * ldc + 0);
    c0_2.intoArray(c, ci + 2 * ldc + 0);
    c0_3.intoArray(c, ci + 3 * ldc + 0);
    c0_4.intoArray(c, ci + 4 * ldc + 0);
    c0_5.intoArray(c, ci + 5 * ldc + 0);
    c0_6.intoArray(c, ci + 6 * ldc + 0);
    c0_7.intoArray(c, ci + 7 * ldc + 0);
    c1_0.intoArray(c, ci + 0 * ldc + 16);
    c1_1.intoArray(c, ci + 1 * ldc + 16);
    c1_2.intoArray(c, ci + 2 * ldc + 16);
    c1_3.intoArray(c, ci + 3 * ldc + 16);
    c1_4.intoArray(c, ci + 4 * ldc + 16);
    c1_5.intoArray(c, ci + 5 * ldc + 16);
    c1_6.intoArray(c, ci + 6 * ldc + 16);
    c1_7.intoArray(c, ci + 7 * ldc + 16);
    c2_0.intoArray(c, ci + 0 * ldc + 32);
    c2_1.intoArray(c, ci + 1 * ldc + 32);
    c2_2.intoArray(c, ci + 2 * ldc + 32);
    c2_3.intoArray(c, ci + 3 * ldc + 32);
    c2_4.intoArray(c, ci + 4 * ldc + 32);
    c2_5.intoArray(c, ci + 5 * ldc + 32);
    c2_6.intoArray(c, ci + 6 * ldc + 32);
    c2_7.intoArray(c, ci + 7 * ldc + 32);
  }
  static void r4(int kb, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean acc) {
    FloatVector c0_0, c0_1, c0_2, c0_3, c0_4, c0_5, c1_0, c1_1, c1_2, c1_3, c1_4, c1_5, c2_0, c2_1, c2_2, c2_3, c2_4, c2_5, c3_0, c3_1, c3_2, c3_3, c3_4, c3_5;
    if (acc) {
      c0_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 0);
      c0_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 0);
      c0_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 0);
      c0_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 0);
      c0_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 0);
      c0_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 0);
      c1_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 16);
      c1_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 16);
      c1_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 16);
      c1_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 16);
      c1_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 16);
      c1_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 16);
      c2_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 32);
      c2_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 32);
      c2_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 32);
      c2_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 32);
      c2_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 32);
      c2_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 32);
      c3_0 = FloatVector.fromArray(S, c, ci + 0 * ldc + 48);
      c3_1 = FloatVector.fromArray(S, c, ci + 1 * ldc + 48);
      c3_2 = FloatVector.fromArray(S, c, ci + 2 * ldc + 48);
      c3_3 = FloatVector.fromArray(S, c, ci + 3 * ldc + 48);
      c3_4 = FloatVector.fromArray(S, c, ci + 4 * ldc + 48);
      c3_5 = FloatVector.fromArray(S, c, ci + 5 * ldc + 48);
    } else {
      c0_0 = c0_1 = c0_2 = c0_3 = c0_4 = c0_5 = c1_0 = c1_1 = c1_2 = c1_3 = c1_4 = c1_5 = c2_0 = c2_1 = c2_2 = c2_3 = c2_4 = c2_5 = c3_0 = c3_1 = c3_2 = c3_3 = c3_4 = c3_5 = FloatVector.zero(S);
    }
    for (int p = 0; p < kb; p++) {
      int ap = ai + p * lda; int bp = bi + p * ldb;
      FloatVector a0 = FloatVector.fromArray(S, a, ap + 0);
      FloatVector a1 = FloatVector.fromArray(S, a, ap + 16);
      FloatVector a2 = FloatVector.fromArray(S, a, ap + 32);
      FloatVector a3 = FloatVector.fromArray(S, a, ap + 48);
      FloatVector b0 = FloatVector.broadcast(S, b[bp + 0]);
      c0_0 = a0.fma(b0, c0_0); c1_0 = a1.fma(b0, c1_0); c2_0 = a2.fma(b0, c2_0); c3_0 = a3.fma(b0, c3_0);
      FloatVector b1 = FloatVector.broadcast(S, b[bp + 1]);
      c0_1 = a0.fma(b1, c0_1); c1_1 = a1.fma(b1, c1_1); c2_1 = a2.fma(b1, c2_1); c3_1 = a3.fma(b1, c3_1);
      FloatVector b2 = FloatVector.broadcast(S, b[bp + 2]);
      c0_2 = a0.fma(b2, c0_2); c1_2 = a1.fma(b2, c1_2); c2_2 = a2.fma(b2, c2_2); c3_2 = a3.fma(b2, c3_2);
      FloatVector b3 = FloatVector.broadcast(S, b[bp + 3]);
      c0_3 = a0.fma(b3, c0_3); c1_3 = a1.fma(b3, c1_3); c2_3 = a2.fma(b3, c2_3); c3_3 = a3.fma(b3, c3_3);
      FloatVector b4 = FloatVector.broadcast(S, b[bp + 4]);
      c0_4 = a0.fma(b4, c0_4); c1_4 = a1.fma(b4, c1_4); c2_4 = a2.fma(b4, c2_4); c3_4 = a3.fma(b4, c3_4);
      FloatVector b5 = FloatVector.broadcast(S, b[bp + 5]);
      c0_5 = a0.fma(b5, c0_5); c1_5 = a1.fma(b5, c1_5); c2_5 = a2.fma(b5, c2_5); c3_5 = a3.fma(b5, c3_5);
    }
    c0_0.intoArray(c, ci + 0 * ldc + 0);
    c0_1.intoArray(c, ci + 1 * ldc + 0);
    c0_2.intoArray(c, ci + 2 * ldc + 0);
    c0_3.intoArray(c, ci + 3 * ldc + 0);
    c0_4.intoArray(c, ci + 4 * ldc + 0);
    c0_5.intoArray(c, ci + 5 * ldc + 0);
    c1_0.intoArray(c, ci + 0 * ldc + 16);
    c1_1.intoArray(c, ci + 1 * ldc + 16);
    c1_2.intoArray(c, ci + 2 * ldc + 16);
    c1_3.intoArray(c, ci + 3 * ldc + 16);
    c1_4.intoArray(c, ci + 4 * ldc + 16);
    c1_5.intoArray(c, ci + 5 * ldc + 16);
    c2_0.intoArray(c, ci + 0 * ldc + 32);
    c2_1.intoArray(c, ci + 1 * ldc + 32);
    c2_2.intoArray(c, ci + 2 * ldc + 32);
    c2_3.intoArray(c, ci + 3 * ldc + 32);
    c2_4.intoArray(c, ci + 4 * ldc + 32);
    c2_5.intoArray(c, ci + 5 * ldc + 32);
    c3_0.intoArray(c, ci + 0 * ldc + 48);
    c3_1.intoArray(c, ci + 1 * ldc + 48);
    c3_2.intoArray(c, ci + 2 * ldc + 48);
    c3_3.intoArray(c, ci + 3 * ldc + 48);
    c3_4.intoArray(c, ci + 4 * ldc + 48);
    c3_5.intoArray(c, ci + 5 * ldc + 48);
  }
}
