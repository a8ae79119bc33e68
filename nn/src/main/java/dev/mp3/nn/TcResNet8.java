package dev.mp3.nn;

import dev.mp3.autograd.Var;
import dev.mp3.tensor.Require;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Shape;

/**
 * TC-ResNet8 (Choi et al., 2019, "Temporal Convolution for Real-time Keyword Spotting on Mobile
 * Devices"), as the authors' code builds it (github.com/hyperconnect/TC-ResNet,
 * {@code audio_nets/tc_resnet.py}): the MFCC coefficients [B, mfcc, T] are the channels of 1-D
 * convolutions over time. A kernel-3 convolution to 16 channels with batch norm and ReLU, then
 * three residual blocks of widths 24, 32 and 48 (each times {@code width}), global average pooling
 * over time, dropout (0.5 in their recipe) and a linear layer to the classes. No layer has a bias
 * (theirs sets none; batch norm's shift stands in). Batch norm: eps 1e-3 and running statistics
 * that move 0.003 towards each batch's (TensorFlow's decay 0.997; {@link TcResNetConfig#bnMomentum}). With 40 coefficients, 12
 * classes and width 1 it has 65,168 parameters (the paper's 66K).
 *
 * <p>Differences from theirs: TensorFlow's "SAME" padding of a stride-2 kernel-9 convolution pads
 * 3 frames before and 4 after, this one 4 on each side (the same output length, shifted by one
 * frame); their initialisation is Xavier's, this one timm's truncated normal.
 *
 * <p>Names as a PyTorch port would have them: {@code conv}, {@code bn}, {@code blocks.{i}.conv1},
 * {@code bn1}, {@code conv2}, {@code bn2}, {@code downsample.0} (1x1 convolution) and
 * {@code downsample.1} (its batch norm), {@code fc}.
 */
public final class TcResNet8 extends Module {
    private static final int FIRST = 16;
    private static final int[] WIDTHS = {24, 32, 48};

    /** TensorFlow slim's batch norm, as the authors' code uses it. */
    static final float BN_EPS = 1e-3f;

    public final TcResNetConfig config;
    public final Conv1d conv;
    public final BatchNorm1d bn;
    public final ModuleList<Residual> blocks;
    public final Dropout dropout;
    public final Linear fc;

    public TcResNet8(int mfcc, int classes, float width, float dropout, Rng rng) {
        this(new TcResNetConfig(mfcc, classes, width, dropout, TcResNetConfig.BN_MOMENTUM), rng);
    }

    public TcResNet8(TcResNetConfig config, Rng rng) {
        this.config = config;
        int mfcc = config.features();
        int classes = config.numClasses();
        float width = config.width();
        float dropout = config.dropout();
        int channels = Math.round(FIRST * width);
        this.conv = child("conv", new Conv1d(mfcc, channels, 3, 1, 1, false, rng));
        this.bn = child("bn", new BatchNorm1d(channels, BN_EPS, config.bnMomentum()));
        this.blocks = child("blocks", new ModuleList<>());
        for (int w : WIDTHS) {
            int out = Math.round(w * width);
            blocks.add(new Residual(channels, out, 2, config.bnMomentum(), rng));
            channels = out;
        }
        this.dropout = child("dropout", new Dropout(dropout));
        this.fc = child("fc", new Linear(channels, classes, false, rng));
    }

    /** The paper's TC-ResNet8: width 1, dropout 0.5. */
    public TcResNet8(int mfcc, int classes, Rng rng) {
        this(mfcc, classes, 1f, 0.5f, rng);
    }

    /** MFCC features [B, mfcc, T] to class logits [B, classes]. */
    public Var forward(Var mfcc) {
        Require.that(mfcc.rank() == 3 && mfcc.dim(1) == conv.weight.shape()[1], () -> "TcResNet8: input must be [B, "
                + conv.weight.shape()[1] + ", T], got " + Shape.str(mfcc.shape()));
        Var h = bn.forward(conv.forward(mfcc)).relu();
        for (Residual block : blocks) {
            h = block.forward(h);
        }
        return fc.forward(dropout.forward(h.mean(2, false)));
    }

    /**
     * Two kernel-9 convolutions (the first with the block's stride), each followed by batch norm,
     * ReLU after the first and after the sum with the shortcut; the shortcut is a 1x1 convolution
     * and batch norm when the stride or the width changes, else the identity.
     */
    public static final class Residual extends Module {
        public final Conv1d conv1;
        public final BatchNorm1d bn1;
        public final Conv1d conv2;
        public final BatchNorm1d bn2;
        /** Null when the block keeps its input's shape. */
        public final Downsample downsample;

        Residual(int in, int out, int stride, float bnMomentum, Rng rng) {
            this.conv1 = child("conv1", new Conv1d(in, out, 9, stride, 4, false, rng));
            this.bn1 = child("bn1", new BatchNorm1d(out, BN_EPS, bnMomentum));
            this.conv2 = child("conv2", new Conv1d(out, out, 9, 1, 4, false, rng));
            this.bn2 = child("bn2", new BatchNorm1d(out, BN_EPS, bnMomentum));
            this.downsample = stride != 1 || in != out ? child("downsample", new Downsample(in, out, stride, bnMomentum, rng)) : null;
        }

        public Var forward(Var x) {
            Var h = bn1.forward(conv1.forward(x)).relu();
            h = bn2.forward(conv2.forward(h));
            Var shortcut = downsample == null ? x : downsample.forward(x);
            return h.add(shortcut).relu();
        }
    }

    /**
     * The shortcut that changes shape: "0" a 1x1 convolution with the block's stride, "1" its batch
     * norm, then a ReLU, as public ports of TC-ResNet have it.
     */
    public static final class Downsample extends Module {
        public final Conv1d conv;
        public final BatchNorm1d bn;

        Downsample(int in, int out, int stride, float bnMomentum, Rng rng) {
            this.conv = child("0", new Conv1d(in, out, 1, stride, 0, false, rng));
            this.bn = child("1", new BatchNorm1d(out, BN_EPS, bnMomentum));
        }

        public Var forward(Var x) {
            return bn.forward(conv.forward(x)).relu();
        }
    }
}
