import dev.mp3.tensor.Tensor;
import dev.mp3.tensor.UnaryOp;
public class GeluH {
  public static void main(String[] a) {
    float[] d = new float[1 << 20];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
    Tensor x = Tensor.of(d, 1024, 1024);
    for (int round = 0; round < 6; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 50; i++) { x.unary(UnaryOp.GELU); x.unaryBackward(UnaryOp.GELU, x); }
      System.out.printf("round %d: %.2f ms per fwd+bwd%n", round, (System.nanoTime() - t0) / 50e6);
    }
  }
}
