import dev.mp3.tensor.*;
public class Head {
    public static void main(String[] args) {
        Tensor x = Tensor.random(Device.CPU, Rng.Kind.NORMAL, 1, 128, 50, 192);
        Tensor w = Tensor.random(Device.CPU, Rng.Kind.NORMAL, 2, 10, 192);
        Tensor bias = Tensor.random(Device.CPU, Rng.Kind.NORMAL, 3, 10);
        Tensor sel = x.select(1, 0);
        Tensor dense = Tensor.random(Device.CPU, Rng.Kind.NORMAL, 4, 128, 192);
        for (int round = 0; round < 5; round++) {
            for (int v = 0; v < 2; v++) {
                Tensor a = v == 0 ? sel : dense;
                long t0 = System.nanoTime();
                int n = 0;
                while (System.nanoTime() - t0 < 200_000_000L) { Tensor.matmul(a, false, w, true, bias); n++; }
                System.out.printf("%s: %.1f us/call%n", v == 0 ? "select view" : "dense", (System.nanoTime() - t0) / 1e3 / n);
            }
        }
    }
}
