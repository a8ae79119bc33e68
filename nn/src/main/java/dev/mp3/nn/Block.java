package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Rng;

/** A pre-norm Transformer block: x + attn(norm1(x)), then x + mlp(norm2(x)), each branch with drop-path. */
public final class Block extends Module {
    public final LayerNorm norm1;
    public final Attention attn;
    public final LayerNorm norm2;
    public final Mlp mlp;
    private final DropPath dropPath1;
    private final DropPath dropPath2;

    public Block(int dim, int heads, int mlpHidden, Mlp.Activation activation, float dropout, float dropPath,
                 float eps, RelativePosition relative, Rng rng) {
        this.norm1 = child("norm1", new LayerNorm(dim, eps));
        this.attn = child("attn", new Attention(dim, heads, relative, dropout, rng));
        this.dropPath1 = child("drop_path1", new DropPath(dropPath));
        this.norm2 = child("norm2", new LayerNorm(dim, eps));
        this.mlp = child("mlp", new Mlp(dim, mlpHidden, activation, dropout, rng));
        this.dropPath2 = child("drop_path2", new DropPath(dropPath));
    }

    /**
     * x [B, N, D]; context null for full attention. Without drop-path (evaluation, or rate 0) each
     * branch adds x in its last product's epilogue rather than in a separate pass; same bits.
     */
    public Var forward(Var x, Context context) {
        x = dropPath1.active() ? x.add(dropPath1.forward(attn.forward(norm1.forward(x), context)))
                : attn.forward(norm1.forward(x), context, x);
        return dropPath2.active() ? x.add(dropPath2.forward(mlp.forward(norm2.forward(x))))
                : mlp.forward(norm2.forward(x), x);
    }
}
