package dev.mp3.tensor;

import dev.mp3.tensor.testing.TestData;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A fixed workload over the CPU kernels whose results are reduced to one checksum of their bits.
 * {@link JitIndependenceTest} runs it in a fresh interpreter-only JVM and in its own warmed-up JVM:
 * the two checksums must agree.
 */
public final class JitProbe {
    private JitProbe() {}

    public static void main(String[] args) {
        System.out.println(checksum());
    }

    static long checksum() {
        CRC32 crc = new CRC32();
        for (Tensor t : outputs()) {
            for (float f : t.toFloatArray()) {
                int b = Float.floatToIntBits(f);
                crc.update(new byte[] {(byte) b, (byte) (b >> 8), (byte) (b >> 16), (byte) (b >> 24)});
            }
        }
        return crc.getValue();
    }

    static List<Tensor> outputs() {
        Backend cpu = Backends.cpu();
        int rows = 9;
        int c = 33;
        Tensor x = Tensor.of(TestData.normal(1, rows * c, 2), rows, c);
        Tensor pos = Tensor.of(TestData.uniform(2, rows * c, 0.1, 4), rows, c);
        Tensor g = Tensor.of(TestData.normal(3, rows * c, 1), rows, c);
        Tensor gamma = Tensor.of(TestData.normal(4, c, 1), c);
        Tensor beta = Tensor.of(TestData.normal(5, c, 1), c);
        Tensor targets = Tensor.ofInts(TestData.ints(6, rows, 0, c), rows);
        Tensor gl = Tensor.of(TestData.normal(7, rows, 1), rows);
        List<Tensor> out = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            Tensor in = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT ? pos : x;
            out.add(in.unary(op));
            out.add(cpu.unaryBackward(op, in, g));
        }
        out.add(x.sum(1, false));
        out.add(x.sum(0, false));
        out.add(x.mean(1, true));
        Tensor p = x.softmax();
        Tensor lp = x.logSoftmax();
        out.add(p);
        out.add(lp);
        out.add(cpu.softmaxBackward(p, g, false));
        out.add(cpu.softmaxBackward(lp, g, true));
        var ln = cpu.layerNorm(x, gamma, beta, 1e-5f);
        var lg = cpu.layerNormBackward(g, x, gamma, ln.mean(), ln.rstd());
        out.addAll(List.of(ln.y(), ln.mean(), ln.rstd(), lg.dx(), lg.dgamma(), lg.dbeta()));
        out.add(cpu.crossEntropy(x, targets, 0.1f));
        out.add(cpu.crossEntropyBackward(x, targets, 0.1f, gl));
        Tensor q = x.reshape(1, 1, rows, c);
        Tensor k = g.reshape(1, 1, rows, c);
        var at = cpu.attention(q, k, k, null, 0.2f);
        var ag = cpu.attentionBackward(q, k, k, null, 0.2f, at.out(), at.logSumExp(), q);
        out.addAll(List.of(at.out(), at.logSumExp(), ag.dq(), ag.dk(), ag.dv()));
        Tensor param = x.copy();
        Tensor m = g.mul(0.1f);
        Tensor v = g.square();
        cpu.adamInPlace(param, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.1f, true, 0.1f, 0.001f);
        out.addAll(List.of(param, m, v));
        return out;
    }
}
