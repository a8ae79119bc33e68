package dev.mp3.nn;

/** How a Transformer learns where its tokens are. */
public enum PositionEmbedding {
    /** A trained table added to the tokens, {@code pos_embed} [1, T, D] (timm's default). */
    LEARNED,
    /** A fixed Vaswani sinusoid over the token index, saved as the buffer {@code pos_embed}. */
    SINCOS_1D,
    /** A fixed 2D sin-cos table over patch rows and columns (MAE), saved as the buffer {@code pos_embed}. */
    SINCOS_2D,
    /** A per-layer 2D relative position bias inside attention (BEiT), zero-initialised. */
    RELATIVE,
    /** No position information: MP3 pretraining, and the paper's finetuning without PE. */
    NONE
}
