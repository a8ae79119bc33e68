package dev.mp3.train;

import dev.mp3.nn.Adam;
import dev.mp3.nn.LrSchedule;
import dev.mp3.nn.Optimizer;
import dev.mp3.nn.Parameter;
import dev.mp3.nn.Sgd;

import java.util.Map;

/**
 * One speech training run's recipe, defaults from the paper's Section 4.3: Adam, batch 256, 500
 * warm-up updates at a constant 1e-4, then 1e-3 halved every 10k updates (counted from update 0),
 * label smoothing 0.1 for the supervised baseline and finetuning, 30k updates, early stopping on
 * validation accuracy. {@link #tcResNet()} is the Table 5 baseline's own recipe (Choi et al. 2019):
 * SGD with momentum 0.9 and L2 weight decay 1e-3, batch 100, 0.1 divided by 10 at 10k and 20k of
 * 30k updates, no warm-up, no label smoothing.
 *
 * <p>What the paper leaves open, chosen here: validation every {@code evalEvery} updates; training
 * stops once {@code patience} validations in a row bring no improvement, and the run ends with the
 * weights of its best validation (early stopping in the usual sense). For pretraining the
 * validation metric is top-1 position accuracy; for classification, keyword accuracy.
 *
 * @param task             PRETRAIN (position loss over frames) or CLASSIFY (keywords)
 * @param updates          the most updates the run takes (paper: 30k for classification; Table 6
 *                         pretrains 1k to 50k)
 * @param batchSize        clips per update (256)
 * @param warmupLr         the constant learning rate of the warm-up (1e-4)
 * @param warmupUpdates    warm-up length (500)
 * @param lr               the learning rate after warm-up (1e-3)
 * @param decayEvery       the learning rate is multiplied by {@code decayFactor} every this many
 *                         updates (10k)
 * @param decayFactor      0.5 (TC-ResNet: 0.1)
 * @param labelSmoothing   classification only (0.1); 0 for pretraining
 * @param positionFraction share of each example's frames that get the sinusoidal position
 *                         embedding, drawn per example ({@link dev.mp3.method.PositionMask}): 0.05 for MP3
 *                         pretraining, 1 (every frame) for finetuning and the supervised baseline
 * @param optimizer        ADAM (the paper's Transformers: PyTorch's defaults, no weight decay) or SGD
 *                         (TC-ResNet: momentum SGD)
 * @param momentum         SGD's momentum (0.9); unused by Adam
 * @param weightDecay      L2 coefficient added to the gradient of weights (not of biases or norms):
 *                         0 for the Transformers, 1e-3 for TC-ResNet
 * @param evalEvery        updates between validations (and the last update is always validated)
 * @param patience         validations without improvement before stopping; 0 never stops early
 * @param seed             every random choice (initialisation, batch order, augmentation, masks,
 *                         dropout) derives from it
 */
public record SpeechRecipe(Task task, int updates, int batchSize, float warmupLr, int warmupUpdates, float lr,
                           int decayEvery, float decayFactor, float labelSmoothing, float positionFraction,
                           Method optimizer, float momentum, float weightDecay, int evalEvery, int patience,
                           long seed) implements Recipe {

    public enum Task { PRETRAIN, CLASSIFY }

    /** The optimiser's algorithm. */
    public enum Method { ADAM, SGD }

    public SpeechRecipe {
        require(task != null, "the task must be set");
        require(updates > 0, "--updates must be positive, got " + updates);
        require(batchSize > 0, "--batch must be positive, got " + batchSize);
        require(warmupLr > 0 && lr > 0 && Float.isFinite(warmupLr) && Float.isFinite(lr),
                "learning rates must be positive and finite, got --warmup-lr " + warmupLr + " and --lr " + lr);
        require(warmupUpdates >= 0, "--warmup-updates must be >= 0, got " + warmupUpdates);
        require(decayEvery > 0, "--decay-every must be positive, got " + decayEvery);
        require(decayFactor > 0 && decayFactor <= 1, "--decay-factor must lie in (0, 1], got " + decayFactor);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing must lie in [0, 1), got "
                + labelSmoothing);
        require(positionFraction >= 0 && positionFraction <= 1, "--pe-fraction must lie in [0, 1], got "
                + positionFraction);
        require(optimizer != null, "the optimizer must be set");
        require(momentum >= 0 && momentum < 1, "--momentum must lie in [0, 1), got " + momentum);
        require(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
        require(evalEvery > 0, "--eval-every must be positive, got " + evalEvery);
        require(patience >= 0, "--patience must be >= 0 (0: no early stopping), got " + patience);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("speech recipe: " + message);
        }
    }

    /** MP3 pretraining as the paper: position information on 5% of the frames, 10k updates (Table 6's best). */
    public static SpeechRecipe pretrain() {
        return new SpeechRecipe(Task.PRETRAIN, 10_000, 256, 1e-4f, 500, 1e-3f, 10_000, 0.5f, 0f, 0.05f, Method.ADAM,
                0.9f, 0f, 500, 10, 0);
    }

    /** Finetuning or the supervised baseline as the paper: 30k updates, label smoothing 0.1, every frame's position. */
    public static SpeechRecipe classify() {
        return new SpeechRecipe(Task.CLASSIFY, 30_000, 256, 1e-4f, 500, 1e-3f, 10_000, 0.5f, 0.1f, 1f, Method.ADAM,
                0.9f, 0f, 500, 10, 0);
    }

    /**
     * TC-ResNet8's recipe from its authors' code (github.com/hyperconnect/TC-ResNet): momentum SGD
     * (0.9) with L2 weight decay 1e-3 on the convolution and classifier weights, batch 100, learning
     * rate 0.1, 0.01 from update 10k and 0.001 from 20k, 30k updates, no warm-up, plain cross
     * entropy. The position fraction has no use (the network has no position embedding).
     */
    public static SpeechRecipe tcResNet() {
        return new SpeechRecipe(Task.CLASSIFY, 30_000, 100, 0.1f, 0, 0.1f, 10_000, 0.1f, 0f, 1f, Method.SGD, 0.9f,
                1e-3f, 500, 10, 0);
    }

    @Override
    public long updates(int stepsPerEpoch) {
        return updates;
    }

    /** The paper's learning-rate schedule with this recipe's numbers (it does not depend on the epoch length). */
    @Override
    public LrSchedule schedule(int stepsPerEpoch) {
        return LrSchedule.stepDecay(decimal(warmupLr), warmupUpdates, decimal(lr), decimal(decayFactor), decayEvery);
    }

    /**
     * Adam with PyTorch's defaults and no clipping, as the paper (with {@code weightDecay} folded into
     * the gradient, 0 by default), or momentum SGD.
     */
    @Override
    public Optimizer newOptimizer(Map<String, Parameter> params) {
        return switch (optimizer) {
            case ADAM -> new Adam(params, new Adam.Config(0.9f, 0.999f, 1e-8f, weightDecay, false, 0f));
            case SGD -> new Sgd(params, new Sgd.Config(momentum, weightDecay));
        };
    }

    @Override
    public long reportEvery(int stepsPerEpoch) {
        return evalEvery;
    }

    /** The double that prints as the float does (1e-3f widens to 0.0010000000474974513, this gives 0.001). */
    private static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /**
     * Speech runs can be extended: the schedule (warm-up, then a step every {@code decayEvery} counted
     * from update 0) and everything else here ignore the run's length, except that a run validates
     * at its last update; so the earlier length must be a multiple of {@code evalEvery}, where a run
     * of this length validates too.
     */
    @Override
    public boolean continues(Record earlier) {
        return earlier instanceof SpeechRecipe e && e.updates <= updates && e.updates % evalEvery == 0
                && withUpdates(e.updates).equals(e);
    }

    public SpeechRecipe withUpdates(int n) {
        return new SpeechRecipe(task, n, batchSize, warmupLr, warmupUpdates, lr, decayEvery, decayFactor,
                labelSmoothing, positionFraction, optimizer, momentum, weightDecay, evalEvery, patience, seed);
    }

    public SpeechRecipe withBatchSize(int b) {
        return new SpeechRecipe(task, updates, b, warmupLr, warmupUpdates, lr, decayEvery, decayFactor,
                labelSmoothing, positionFraction, optimizer, momentum, weightDecay, evalEvery, patience, seed);
    }

    /** Warm-up at {@code warmup} for {@code warmupSteps} updates, then {@code peak} times decayFactor every decayEvery. */
    public SpeechRecipe withSchedule(float warmup, int warmupSteps, float peak, int every) {
        return new SpeechRecipe(task, updates, batchSize, warmup, warmupSteps, peak, every, decayFactor,
                labelSmoothing, positionFraction, optimizer, momentum, weightDecay, evalEvery, patience, seed);
    }

    public SpeechRecipe withDecayFactor(float factor) {
        return new SpeechRecipe(task, updates, batchSize, warmupLr, warmupUpdates, lr, decayEvery, factor,
                labelSmoothing, positionFraction, optimizer, momentum, weightDecay, evalEvery, patience, seed);
    }

    public SpeechRecipe withLabelSmoothing(float s) {
        return new SpeechRecipe(task, updates, batchSize, warmupLr, warmupUpdates, lr, decayEvery, decayFactor, s,
                positionFraction, optimizer, momentum, weightDecay, evalEvery, patience, seed);
    }

    public SpeechRecipe withPositionFraction(float fraction) {
        return new SpeechRecipe(task, updates, batchSize, warmupLr, warmupUpdates, lr, decayEvery, decayFactor,
                labelSmoothing, fraction, optimizer, momentum, weightDecay, evalEvery, patience, seed);
    }

    public SpeechRecipe withValidation(int every, int patienceEvaluations) {
        return new SpeechRecipe(task, updates, batchSize, warmupLr, warmupUpdates, lr, decayEvery, decayFactor,
                labelSmoothing, positionFraction, optimizer, momentum, weightDecay, every, patienceEvaluations, seed);
    }

    public SpeechRecipe withSeed(long s) {
        return new SpeechRecipe(task, updates, batchSize, warmupLr, warmupUpdates, lr, decayEvery, decayFactor,
                labelSmoothing, positionFraction, optimizer, momentum, weightDecay, evalEvery, patience, s);
    }

    /** SGD with {@code m} momentum, or Adam, with L2 weight decay {@code wd}. */
    public SpeechRecipe withOptimizer(Method method, float m, float wd) {
        return new SpeechRecipe(task, updates, batchSize, warmupLr, warmupUpdates, lr, decayEvery, decayFactor,
                labelSmoothing, positionFraction, method, m, wd, evalEvery, patience, seed);
    }
}
