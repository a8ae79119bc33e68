package dev.mp3.tensor;

/** Reductions over one axis. */
public enum ReduceOp {
    SUM,
    MEAN,
    MAX
}
