package dev.mp3.opencl;

import dev.mp3.tensor.DType;

import java.util.HashMap;
import java.util.Map;

/**
 * Host side of attention.cl. The program is built per head dimension (the kernels keep a row of
 * D floats per work-item) with the largest TILE (work-group size, rows per local-memory tile) that
 * the device's local memory and work-group limits allow; TILE depends on the device and D only.
 */
final class AttentionKernels {
    private static final int MAX_TILE = 32;
    private static final String[] TILED = {"attention_forward", "attention_backward_dq", "attention_backward_dkdv"};

    private record Built(Program program, int tile) {}

    /**
     * A [B, H, rows, D] operand where it lies: element offset, batch, head and row strides, D
     * contiguous (the heads of a [B, rows, H, D] projection, permuted, need no copy).
     */
    record HeadView(ClBuffer buffer, int offset, int batchStride, int headStride, int rowStride) {}

    private static Launch view(Launch l, HeadView v) {
        return l.buffer(v.buffer).i32(v.offset).i32(v.batchStride).i32(v.headStride).i32(v.rowStride);
    }

    private final ClContext cl;
    private final Map<Integer, Built> byDim = new HashMap<>();

    AttentionKernels(ClContext cl) {
        this.cl = cl;
    }

    private Built built(int d) {
        Built b = byDim.get(d);
        if (b != null) {
            return b;
        }
        for (int tile = MAX_TILE; tile >= 1; tile /= 2) {
            // attention_backward_dkdv is the hungriest: four TILE x D tiles and two TILE vectors.
            long local = 4L * (4L * tile * d + 2L * tile);
            if (local > cl.info.localMemBytes() || tile > cl.info.maxWorkGroupSize()) {
                continue;
            }
            Program p = cl.program("attention", "-D HEAD_DIM=" + d + " -D TILE=" + tile);
            boolean fits = true;
            for (String k : TILED) {
                fits &= p.maxWorkGroupSize(k) >= tile;
            }
            if (fits) {
                b = new Built(p, tile);
                byDim.put(d, b);
                return b;
            }
        }
        throw new ClException("attention with head dimension " + d + " does not fit " + cl.info.name() + ": even one row "
                + "per work-group needs " + (4L * (4L * d + 2)) + " bytes of local memory, the device has "
                + cl.info.localMemBytes());
    }

    private static long roundUp(int n, int tile) {
        return (long) (n + tile - 1) / tile * tile;
    }

    /** q [B, H, N, D], k and v [B, H, M, D] and out as views; bias [H, N, M] dense or null; lse dense. */
    void forward(HeadView q, HeadView k, HeadView v, ClBuffer bias, int pairs, int heads, int n, int m, int d,
                 float scale, HeadView out, ClBuffer lse) {
        Built b = built(d);
        Launch l = cl.launch(b.program, "attention_forward");
        view(view(view(view(l, q), k), v).buffer(bias == null ? out.buffer : bias)
                .i32(bias == null ? 0 : 1).i32(heads).i32(n).i32(m).f32(scale), out).buffer(lse)
                .run(new long[] {roundUp(n, b.tile), pairs}, new long[] {b.tile, 1});
    }

    /** The gradients of q, k, v (written as views) and bias; q, k, v, out and gOut as views, lse dense. */
    void backward(HeadView q, HeadView k, HeadView v, ClBuffer bias, int pairs, int heads, int n, int m, int d,
                  float scale, HeadView out, ClBuffer lse, HeadView gOut, HeadView dq, HeadView dk, HeadView dv,
                  ClBuffer dbias) {
        Built b = built(d);
        Program p = b.program;
        ClBuffer delta = cl.pool.allocate(DType.F32, pairs * n);
        view(view(cl.launch(p, "attention_delta"), out), gOut).i32(heads).i32(n).i32(pairs * n).buffer(delta)
                .run((long) pairs * n, p.groupSize("attention_delta", 256));
        ClBuffer biasArg = bias == null ? lse : bias;
        int hasBias = bias == null ? 0 : 1;
        Launch dqLaunch = view(view(view(cl.launch(p, "attention_backward_dq"), q), k), v).buffer(biasArg)
                .i32(hasBias).i32(heads).i32(n).i32(m).f32(scale);
        view(view(dqLaunch, gOut).buffer(lse).buffer(delta), dq)
                .run(new long[] {roundUp(n, b.tile), pairs}, new long[] {b.tile, 1});
        Launch dkdvLaunch = view(view(view(cl.launch(p, "attention_backward_dkdv"), q), k), v).buffer(biasArg)
                .i32(hasBias).i32(heads).i32(n).i32(m).f32(scale);
        view(view(view(dkdvLaunch, gOut).buffer(lse).buffer(delta), dk), dv)
                .run(new long[] {roundUp(m, b.tile), pairs}, new long[] {b.tile, 1});
        if (bias != null) {
            view(view(view(view(cl.launch(p, "attention_backward_dbias"), q), k), v).buffer(bias).i32(pairs / heads)
                    .i32(heads).i32(n).i32(m).f32(scale), gOut).buffer(lse).buffer(delta).buffer(dbias)
                    .run((long) heads * n * m, p.groupSize("attention_backward_dbias", 256));
        }
        delta.release();
    }
}
