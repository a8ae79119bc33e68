import jdk.incubator.vector.*;
public class Tr {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  static final VectorShuffle<Float> LO32 = VectorShuffle.fromValues(S, 0, 8, 1, 9, 4, 12, 5, 13);
  static final VectorShuffle<Float> HI32 = VectorShuffle.fromValues(S, 2, 10, 3, 11, 6, 14, 7, 15);
  static final VectorShuffle<Float> LO64 = VectorShuffle.fromValues(S, 0, 1, 8, 9, 4, 5, 12, 13);
  static final VectorShuffle<Float> HI64 = VectorShuffle.fromValues(S, 2, 3, 10, 11, 6, 7, 14, 15);
  static final VectorShuffle<Float> LO128 = VectorShuffle.fromValues(S, 0, 1, 2, 3, 8, 9, 10, 11);
  static final VectorShuffle<Float> HI128 = VectorShuffle.fromValues(S, 4, 5, 6, 7, 12, 13, 14, 15);
  // src: 8 rows at s + q*ss (8 contiguous floats each); dst: 8 rows at d + q*ds: dst[q][r] = src[r][q]
  static void t8(float[] src, int s, int ss, float[] dst, int d, int ds) {
    FloatVector r0 = FloatVector.fromArray(S, src, s), r1 = FloatVector.fromArray(S, src, s + ss),
      r2 = FloatVector.fromArray(S, src, s + 2 * ss), r3 = FloatVector.fromArray(S, src, s + 3 * ss),
      r4 = FloatVector.fromArray(S, src, s + 4 * ss), r5 = FloatVector.fromArray(S, src, s + 5 * ss),
      r6 = FloatVector.fromArray(S, src, s + 6 * ss), r7 = FloatVector.fromArray(S, src, s + 7 * ss);
    // stage 1: within 128-bit halves, interleave 32-bit
    FloatVector t0 = r0.rearrange(LO32, r1), t1 = r0.rearrange(HI32, r1), t2 = r2.rearrange(LO32, r3), t3 = r2.rearrange(HI32, r3);
    FloatVector t4 = r4.rearrange(LO32, r5), t5 = r4.rearrange(HI32, r5), t6 = r6.rearrange(LO32, r7), t7 = r6.rearrange(HI32, r7);
    // t0 = [r0_0 r1_0 r0_1 r1_1 | r0_4 r1_4 r0_5 r1_5]
    FloatVector u0 = t0.rearrange(LO64, t2), u1 = t0.rearrange(HI64, t2), u2 = t1.rearrange(LO64, t3), u3 = t1.rearrange(HI64, t3);
    FloatVector u4 = t4.rearrange(LO64, t6), u5 = t4.rearrange(HI64, t6), u6 = t5.rearrange(LO64, t7), u7 = t5.rearrange(HI64, t7);
    // u0 = [r0_0 r1_0 r2_0 r3_0 | r0_4 r1_4 r2_4 r3_4], u1 = col1|col5, u2 = col2|col6, u3 = col3|col7
    u0.rearrange(LO128, u4).intoArray(dst, d);
    u1.rearrange(LO128, u5).intoArray(dst, d + ds);
    u2.rearrange(LO128, u6).intoArray(dst, d + 2 * ds);
    u3.rearrange(LO128, u7).intoArray(dst, d + 3 * ds);
    u0.rearrange(HI128, u4).intoArray(dst, d + 4 * ds);
    u1.rearrange(HI128, u5).intoArray(dst, d + 5 * ds);
    u2.rearrange(HI128, u6).intoArray(dst, d + 6 * ds);
    u3.rearrange(HI128, u7).intoArray(dst, d + 7 * ds);
  }
  public static void main(String[] a) {
    int n = 64, k = 64; int ss = 576;
    float[] src = new float[n * ss], dst = new float[k * n], ref = new float[k * n];
    for (int i = 0; i < src.length; i++) src[i] = i;
    // op(B)[p][j] = K[j][p] = src[j*ss + p]; scratch[p*n + j]
    for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) ref[p * n + j] = src[j * ss + p];
    for (int jb = 0; jb < n; jb += 8) for (int pb = 0; pb < k; pb += 8) t8(src, jb * ss + pb, ss, dst, pb * n + jb, n);
    System.out.println("equal: " + java.util.Arrays.equals(ref, dst));
    for (int r = 0; r < 6; r++) {
      long t0 = System.nanoTime(); long f = 0;
      while (System.nanoTime() - t0 < 300_000_000L) { for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) ref[p * n + j] = src[j * ss + p]; f += n * k; }
      double sc = (System.nanoTime() - t0) / (double) f;
      t0 = System.nanoTime(); f = 0;
      while (System.nanoTime() - t0 < 300_000_000L) { for (int jb = 0; jb < n; jb += 8) for (int pb = 0; pb < k; pb += 8) t8(src, jb * ss + pb, ss, dst, pb * n + jb, n); f += n * k; }
      double ve = (System.nanoTime() - t0) / (double) f;
      System.out.printf("scalar %.3f ns/float, 8x8 vector %.3f ns/float%n", sc, ve);
    }
  }
}
