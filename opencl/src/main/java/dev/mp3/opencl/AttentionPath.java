package dev.mp3.opencl;

/**
 * Which attention kernels the OpenCL backend runs (see attention.cl). Both give the same values;
 * the choice is speed only, and {@link #AUTO} is what training uses.
 */
public enum AttentionPath {
    /** The staged kernels whenever the context's keys and values fit local memory, whatever M; tiled otherwise. */
    AUTO,
    /** Always the tiled kernels (TILE queries or keys per work-group, keys streamed through local memory). */
    TILED
}
