package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;
import dev.mp3.tensor.Tensor;

/**
 * Multi-head self-attention, optionally masked as in MP3 (paper, Algorithm 1): with a
 * {@link Context}, queries come from all N tokens but keys and values only from the M context
 * tokens, and the key/value projections run on those M rows alone, so a high masking ratio
 * saves their cost. Without a context it is ordinary full attention.
 *
 * <p>The projection keeps timm's layout, one {@code qkv} weight [3D, D] whose row blocks are the
 * query, key and value projections; they are used as slices so a checkpoint maps one to one.
 * Dropout applies after the output projection only: the fused attention kernel never materialises
 * the probabilities, so timm's attn_drop (0 in every config here) has no counterpart.
 */
public final class Attention extends Module {
    public final Linear qkv;
    public final Linear proj;
    /** [(2H-1)(2W-1)+3, heads], zero-initialised; null without a relative position bias. */
    public final Parameter relativePositionBiasTable;
    private final Dropout projDrop;
    private final RelativePosition relative;
    private final int dim;
    private final int heads;
    private final float scale;
    private Tensor relativeIndex;
    /** Receives the attention probabilities of every forward pass; null (the default) during training. */
    private Recorder recorder;

    /**
     * An observer of the attention probabilities, for analyses (the paper's relative attention maps).
     * The fused attention kernel never materialises them, so while a recorder is set the forward pass
     * also computes softmax(q k^T * scale + bias) explicitly, without gradients; with none set
     * (training) nothing extra runs.
     */
    @FunctionalInterface
    public interface Recorder {
        /**
         * @param probabilities [B, heads, N, M]: for each query token the distribution over the M key
         *                      tokens (M = N for full attention, else the context's tokens in its order)
         */
        void record(Tensor probabilities);
    }

    /** Sets (or, with null, removes) the recorder of this layer's attention probabilities. */
    public void recorder(Recorder r) {
        this.recorder = r;
    }

    /** {@code relative} is null for attention without a relative position bias. */
    public Attention(int dim, int heads, RelativePosition relative, float dropout, Rng rng) {
        Require.that(heads > 0 && dim % heads == 0, () -> "Attention: width " + dim + " is not divisible by " + heads + " heads");
        this.dim = dim;
        this.heads = heads;
        this.scale = (float) (1.0 / Math.sqrt(dim / heads));
        this.relative = relative;
        this.relativePositionBiasTable = relative == null ? null
                : parameter("relative_position_bias_table", Init.zeros(relative.tableRows(), heads), false);
        this.qkv = child("qkv", new Linear(dim, 3 * dim, true, rng));
        this.proj = child("proj", new Linear(dim, dim, true, rng));
        this.projDrop = child("proj_drop", new Dropout(dropout));
    }

    /** x [B, N, D] to [B, N, D]; context null for full attention. */
    public Var forward(Var x, Context context) {
        return forward(x, context, null);
    }

    /**
     * residual + forward(x, context) (residual null for none). Without dropout after the output
     * projection (evaluation, or p = 0) the residual goes into the projection's epilogue; the
     * result is the same bits either way.
     */
    public Var forward(Var x, Context context, Var residual) {
        Require.that(x.rank() == 3 && x.dim(2) == dim, () -> "Attention: input " + Shape.str(x.shape())
                + " must be [batch, tokens, " + dim + "]");
        int b = x.dim(0);
        int n = x.dim(1);
        Var w = qkv.weight.var();
        Var qkvBias = qkv.bias.var();
        Var bias;
        Var y;
        if (context == null) {
            // Every token is a key and a value: one product [B, N, 3D] for q, k and v, whose heads
            // attention reads as views ([B, N, 3, heads, D/heads], one of the 3 picked and the heads
            // moved forward) and whose gradient it writes in one piece (Var.attention of a packed
            // projection).
            Var all = x.linear(w, qkvBias).reshape(b, n, 3, heads, dim / heads);
            bias = relativeBias(n, null);
            record(Var.packedHeads(all.value(), 0), Var.packedHeads(all.value(), 1), bias);
            y = Var.attention(null, all, bias, scale);
        } else {
            // MP3: queries from every token; keys and values from the context's rows only, as one
            // product [B, M, 2D] packed as above (the gathered rows are not kept).
            Require.that(context.batch() == b && context.tokens() == n, () -> "Attention: context for " + context.batch()
                    + " examples of " + context.tokens() + " tokens does not fit input " + Shape.str(x.shape()));
            Var qh = splitHeads(x.linear(w.slice(0, 0, dim), qkvBias.slice(0, 0, dim)));
            Var rows = x.reshape(b * n, dim);
            Var kv = rows.linearOfRows(context.flatRows(), context.inverse(), w.slice(0, dim, 3 * dim),
                    qkvBias.slice(0, dim, 3 * dim)).reshape(b, context.size(), 2, heads, dim / heads);
            bias = relativeBias(n, context);
            record(qh.value(), Var.packedHeads(kv.value(), 0), bias);
            y = Var.attention(qh, kv, bias, scale);
        }
        Var merged = mergeHeads(y);
        if (residual == null) {
            return projDrop.forward(proj.forward(merged));
        }
        return projDrop.active() ? residual.add(projDrop.forward(proj.forward(merged))) : proj.forward(merged, residual);
    }

    /** softmax(q k^T * scale + bias) over the keys: [B, heads, N, M], what the fused kernel computes internally. */
    private Tensor probabilities(Tensor q, Tensor k, Tensor bias) {
        Tensor scores = Tensor.matmul(q.contiguous(), false, k.contiguous(), true).mul(scale);
        if (bias != null) {
            scores = scores.add(bias);
        }
        return scores.softmax();
    }

    /** Hands the recorder, if one is set, this pass's attention probabilities. */
    private void record(Tensor q, Tensor k, Var bias) {
        if (recorder != null) {
            recorder.record(probabilities(q, k, bias == null ? null : bias.value()));
        }
    }

    /** [B, T, D] to [B, heads, T, D/heads]. */
    private Var splitHeads(Var t) {
        return t.reshape(t.dim(0), t.dim(1), heads, dim / heads).permute(0, 2, 1, 3);
    }

    /** [B, heads, N, D/heads] to [B, N, D]. */
    private Var mergeHeads(Var t) {
        return t.permute(0, 2, 1, 3).reshape(t.dim(0), t.dim(2), dim);
    }

    /** The bias [heads, N, N] gathered from the table, or null without one. */
    private Var relativeBias(int n, Context context) {
        if (relative == null) {
            return null;
        }
        // The bias is shared across the batch while contexts differ per example, so the two do not mix;
        // MP3 pretrains without position information and finetunes with full attention.
        if (context != null) {
            throw new IllegalArgumentException("Attention: a relative position bias needs full attention, but a context of "
                    + context.size() + " tokens was given");
        }
        Require.that(n == relative.tokens(), () -> "Attention: relative position bias is for " + relative.tokens()
                + " tokens, input has " + n);
        Var table = relativePositionBiasTable.var();
        Device device = table.value().device();
        if (relativeIndex == null || !relativeIndex.device().equals(device)) {
            relativeIndex = MemoryScope.keep(Tensor.ofInts(relative.index(), n, n).to(device));  // a cache: outlives the step
        }
        return table.indexSelect(relativeIndex).permute(2, 0, 1);
    }
}
