package dev.mp3.tensor.cpu;
import java.util.*;
/** expShifted row by row, the commit before (VectorMathOld) against this build's, rows of c floats, blocks alternating. */
public class Ex {
    public static void main(String[] args) {
        for (String a : args) {
            int c = Integer.parseInt(a), rows = 200_000 / c;
            float[] x = new float[rows * c], y0 = new float[x.length], y1 = new float[x.length], s0 = new float[rows], s1 = new float[rows];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) x[i] = (float) (20 * (r.nextDouble() - .5));
            double[] rel = new double[12];
            for (int round = -4; round < 12; round++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < 20; k++) for (int i = 0; i < rows; i++) s0[i] = VectorMathOld.expShifted(x, i * c, 3f, y0, i * c, c);
                long t1 = System.nanoTime();
                for (int k = 0; k < 20; k++) for (int i = 0; i < rows; i++) s1[i] = VectorMath.expShifted(x, i * c, 3f, y1, i * c, c);
                long t2 = System.nanoTime();
                if (round >= 0) rel[round] = (double) (t2 - t1) / (t1 - t0);
            }
            Arrays.sort(rel);
            System.out.printf("row of %d: new/old median %.2f (%.2f-%.2f), %s%n", c, rel[6], rel[0], rel[11], Arrays.equals(y0, y1) && Arrays.equals(s0, s1) ? "same bits" : "DIFFERENT");
        }
    }
}
