package dev.mp3.opencl;

/**
 * Host side of conv.cl: unfold and fold one work-item per element; batch norm one work-group per
 * channel, sized from the channel's element count alone (as rows.cl sizes a row's group), so its
 * sums always run in the same order. Every input is dense.
 */
final class ConvKernels {
    private static final int LOCAL = 256;
    private static final int SHORT_CHANNEL_GROUP = 32;
    private static final int MAX_CHANNEL_GROUP = 128;

    private final ClContext cl;

    ConvKernels(ClContext cl) {
        this.cl = cl;
    }

    private Program program() {
        return cl.program("conv", "");
    }

    /** cols [channels * kernel, batch, outLength] from x [batch, channels, length]. */
    void unfold1d(ClBuffer x, int batch, int channels, int length, int kernel, int stride, int padding, int dilation,
                  int outLength, ClBuffer cols) {
        Program p = program();
        cl.launch(p, "unfold_1d").buffer(x).i32(batch).i32(channels).i32(length).i32(kernel).i32(stride).i32(padding)
                .i32(dilation).i32(outLength).buffer(cols)
                .run((long) channels * kernel * batch * outLength, p.groupSize("unfold_1d", LOCAL));
    }

    /** x [batch, channels, length] from cols [channels * kernel, batch, outLength], every element written. */
    void fold1d(ClBuffer cols, int batch, int channels, int length, int kernel, int stride, int padding, int dilation,
                int outLength, ClBuffer x) {
        Program p = program();
        cl.launch(p, "fold_1d").buffer(cols).i32(batch).i32(channels).i32(length).i32(kernel).i32(stride).i32(padding)
                .i32(dilation).i32(outLength).buffer(x).run((long) batch * channels * length, p.groupSize("fold_1d", LOCAL));
    }

    /** A channel's work-group: two sizes only, because some runtimes (PoCL) compile a kernel once per size. */
    private static int channelGroup(Program p, String kernel, int n) {
        return p.groupSize(kernel, n <= SHORT_CHANNEL_GROUP ? SHORT_CHANNEL_GROUP : MAX_CHANNEL_GROUP);
    }

    void batchNorm(ClBuffer x, ClBuffer gamma, ClBuffer beta, float eps, int batch, int channels, int length, ClBuffer y,
                   ClBuffer mean, ClBuffer rstd) {
        Program p = program();
        int g = channelGroup(p, "batch_norm_forward", batch * length);
        cl.launch(p, "batch_norm_forward").buffer(x).buffer(gamma).buffer(beta).f32(eps).i32(batch).i32(channels)
                .i32(length).buffer(y).buffer(mean).buffer(rstd).local(4L * g).run((long) channels * g, g);
    }

    void batchNormBackward(ClBuffer gy, ClBuffer x, ClBuffer gamma, ClBuffer rstd, int batch, int channels, int length,
                           ClBuffer dx, ClBuffer dgamma, ClBuffer dbeta) {
        Program p = program();
        int g = channelGroup(p, "batch_norm_backward", batch * length);
        cl.launch(p, "batch_norm_backward").buffer(gy).buffer(x).buffer(gamma).buffer(rstd).i32(batch).i32(channels)
                .i32(length).buffer(dx).buffer(dgamma).buffer(dbeta).local(4L * g).run((long) channels * g, g);
    }
}
