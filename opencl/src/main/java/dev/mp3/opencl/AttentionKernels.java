package dev.mp3.opencl;

import dev.mp3.tensor.DType;

import java.util.HashMap;
import java.util.Map;

/**
 * Host side of attention.cl. The program is built per head dimension (the kernels keep a row of
 * D floats per work-item) with the largest TILE (work-group size, rows per local-memory tile) that
 * the device's local memory and work-group limits allow; TILE depends on the device and D only.
 *
 * <p>Two paths give the same values. The tiled kernels put TILE queries (forward, dq) or TILE keys
 * (dk, dv) in a work-group; with MP3's small contexts (M of 13 to 64) the dk/dv groups then hold
 * M mostly idle work-items, each summing over all N queries alone, and the forward loads TILE key
 * rows (zeros past M) per 32 queries. The staged kernels, used whenever the M key and value rows
 * fit local memory (whatever M: forward plus backward 1.6-2.0x the tiled path's speed on PoCL from
 * M = 16 to 197, 1.2-2.5x on an H200 from M = 16 to 128; BENCHMARKS.md, 2026-12-04 afternoon),
 * stage them once per work-group of queries sized from the kernel's preferred work-group multiple
 * (64-wide AMD wavefronts stay full), store p and ds ([BH, M, N], twice the size of the scores) and
 * sum dk and dv with M x D / KPT work-items per (batch, head) pair.
 */
final class AttentionKernels {
    private static final int MAX_TILE = 32;
    private static final String[] TILED = {"attention_forward", "attention_backward_dq", "attention_backward_dkdv"};
    /** Keys per work-item in attention_backward_dkdv_staged (the program's KPT). */
    private static final int KPT = 4;
    /** The staged query groups: at least this many work-items (when N allows), at most MAX_GROUP. */
    private static final int MIN_GROUP = 64;
    private static final int MAX_GROUP = 128;

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
    private AttentionPath path = AttentionPath.AUTO;

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
            Program p = cl.program("attention", "-D HEAD_DIM=" + d + " -D TILE=" + tile + " -D KPT=" + KPT);
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

    AttentionPath path() {
        return path;
    }

    void usePath(AttentionPath path) {
        this.path = java.util.Objects.requireNonNull(path, "path");
    }

    /**
     * Whether the staged kernels run for N queries against a context of m keys of width d (see
     * {@link AttentionPath}): the m key and value rows must fit the device's local memory beside
     * what the kernels declare, and the backward's stored p (pairs x N x m floats) one buffer. An
     * empty context stays tiled (a __local argument cannot have size 0).
     */
    boolean staged(int pairs, int n, int m, int d) {
        if (m == 0 || path == AttentionPath.TILED) {
            return false;
        }
        long scores = (long) pairs * n * m;
        if (scores > Integer.MAX_VALUE || scores * Float.BYTES > cl.info.maxAllocBytes()) {
            return false;
        }
        Program p = built(d).program;
        long fixed = Math.max(p.localMemBytes("attention_forward_staged"), p.localMemBytes("attention_backward_staged"));
        return 2L * m * d * Float.BYTES + fixed <= cl.info.localMemBytes();
    }

    /**
     * The work-group size for {@code items} work-items of a staged kernel: a multiple of the kernel's
     * preferred work-group multiple (whole wavefronts), from MIN_GROUP (or the items rounded up to
     * the multiple, when fewer) to MAX_GROUP, within the kernel's limit, wasting the fewest
     * work-items past the end; the smaller on ties (more groups to spread over compute units).
     */
    static int stagedGroup(long items, long multiple, long kernelMax) {
        long mult = Math.max(1, Math.min(multiple, kernelMax));
        long hi = Math.max(mult, Math.min(Math.max(MAX_GROUP, mult), kernelMax) / mult * mult);
        long lo = Math.min(Math.min(ceil(MIN_GROUP, mult), ceil(Math.max(1, items), mult)) * mult, hi);
        long best = lo;
        long bestPadded = Long.MAX_VALUE;
        for (long g = lo; g <= hi; g += mult) {
            long padded = ceil(items, g) * g;
            if (padded < bestPadded) {
                best = g;
                bestPadded = padded;
            }
        }
        return (int) best;
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    private int stagedGroup(Program p, String kernel, long items) {
        return stagedGroup(items, p.preferredMultiple(kernel), p.maxWorkGroupSize(kernel));
    }

    /** q [B, H, N, D], k and v [B, H, M, D] and out as views; bias [H, N, M] dense or null; lse dense. */
    void forward(HeadView q, HeadView k, HeadView v, ClBuffer bias, int pairs, int heads, int n, int m, int d,
                 float scale, HeadView out, ClBuffer lse) {
        Built b = built(d);
        boolean staged = staged(pairs, n, m, d);
        String kernel = staged ? "attention_forward_staged" : "attention_forward";
        Launch l = cl.launch(b.program, kernel);
        view(view(view(view(l, q), k), v).buffer(bias == null ? out.buffer : bias)
                .i32(bias == null ? 0 : 1).i32(heads).i32(n).i32(m).f32(scale), out).buffer(lse);
        if (staged) {
            int group = stagedGroup(b.program, kernel, n);
            l.local((long) m * d * Float.BYTES).local((long) m * d * Float.BYTES)
                    .run(new long[] {n, pairs}, new long[] {group, 1});
        } else {
            l.run(new long[] {roundUp(n, b.tile), pairs}, new long[] {b.tile, 1});
        }
    }

    /** The gradients of q, k, v (written as views) and bias; q, k, v, out and gOut as views, lse dense. */
    void backward(HeadView q, HeadView k, HeadView v, ClBuffer bias, int pairs, int heads, int n, int m, int d,
                  float scale, HeadView out, ClBuffer lse, HeadView gOut, HeadView dq, HeadView dk, HeadView dv,
                  ClBuffer dbias) {
        Built b = built(d);
        Program p = b.program;
        ClBuffer biasArg = bias == null ? lse : bias;
        int hasBias = bias == null ? 0 : 1;
        if (staged(pairs, n, m, d)) {
            stagedBackward(p, q, k, v, biasArg, hasBias, pairs, heads, n, m, d, scale, lse, out, gOut, dq, dk, dv,
                    dbias);
            return;
        }
        ClBuffer delta = cl.pool.allocate(DType.F32, pairs * n);
        view(view(cl.launch(p, "attention_delta"), out), gOut).i32(heads).i32(n).i32(pairs * n).buffer(delta)
                .run((long) pairs * n, p.groupSize("attention_delta", 256));
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

    /**
     * The staged backward: dq with p and ds stored (each query's delta = gOut . out computed in the
     * same kernel, no attention_delta launch), then dk and dv, then dbias, from them.
     */
    private void stagedBackward(Program p, HeadView q, HeadView k, HeadView v, ClBuffer biasArg, int hasBias, int pairs,
                                int heads, int n, int m, int d, float scale, ClBuffer lse, HeadView out,
                                HeadView gOut, HeadView dq, HeadView dk, HeadView dv, ClBuffer dbias) {
        int scores = pairs * n * m; // checked by staged()
        ClBuffer pT = cl.pool.allocate(DType.F32, scores);
        ClBuffer dsT = cl.pool.allocate(DType.F32, scores);
        String main = "attention_backward_staged";
        Launch l = view(view(view(cl.launch(p, main), q), k), v).buffer(biasArg).i32(hasBias).i32(heads).i32(n).i32(m)
                .f32(scale);
        view(view(view(l, gOut).buffer(lse), out), dq).buffer(pT).buffer(dsT)
                .local((long) m * d * Float.BYTES).local((long) m * d * Float.BYTES)
                .run(new long[] {n, pairs}, new long[] {stagedGroup(p, main, n), 1});
        String sums = "attention_backward_dkdv_staged";
        long items = (long) (m + KPT - 1) / KPT * d;
        view(view(view(view(cl.launch(p, sums), q), gOut).i32(heads).i32(n).i32(m).f32(scale).buffer(pT).buffer(dsT),
                dk), dv).run(new long[] {items, pairs}, new long[] {stagedGroup(p, sums, items), 1});
        if (dbias != null) {
            cl.launch(p, "attention_dbias_staged").buffer(dsT).i32(pairs / heads).i32(heads).i32(n).i32(m).buffer(dbias)
                    .run((long) heads * n * m, p.groupSize("attention_dbias_staged", 256));
        }
        // Queued in order: the pool may hand the scratch out again now.
        pT.release();
        dsT.release();
    }
}
