package dev.mp3.tensor;

/** Elementwise functions of one argument; each backend implements the value and its derivative. */
public enum UnaryOp {
    NEG,
    EXP,
    LOG,
    SQRT,
    RSQRT,
    TANH,
    RELU,
    /** GELU, exact form: x * Phi(x) = x/2 * (1 + erf(x / sqrt 2)). timm's default. */
    GELU,
    /** GELU, tanh approximation: x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))). */
    GELU_TANH,
    SIGMOID,
    SQUARE,
    ABS
}
