package dev.mp3.train;

import dev.mp3.eval.Evaluation;
import dev.mp3.nn.Module;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechBatches;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.tensor.Device;

/**
 * What every speech task shares: the model (the speech Transformer, or TC-ResNet8 for the
 * convolutional baseline) and its configuration, the recipe's seeded batches of the training split,
 * a clean validation split, and the seed of the validation's position masks. Subclasses say what
 * the loss and the validation metric are.
 */
public abstract class SpeechTask<M extends Module> implements Task<SpeechBatch> {
    private static final long VALIDATION_STREAM = 0x56414c44L; // "VALD"

    protected final M model;
    private final Record config;
    protected final SpeechSplit validation;
    protected final SpeechRecipe recipe;
    protected final Device device;
    private final SpeechBatches batches;

    protected SpeechTask(M model, Record config, SpeechSplit train, SpeechSplit validation, SpeechRecipe recipe,
                         Device device) {
        Evaluation.requireEvaluationSplit(validation);
        this.model = model;
        this.config = config;
        this.validation = validation;
        this.recipe = recipe;
        this.device = device;
        this.batches = new SpeechBatches(train, recipe.batchSize(), recipe.seed());
    }

    /** Validation masks are drawn from this seed, so every validation of the run sees the same ones. */
    protected final long validationSeed() {
        return recipe.seed() ^ VALIDATION_STREAM;
    }

    @Override
    public final Module model() {
        return model;
    }

    @Override
    public final Record modelConfig() {
        return config;
    }

    @Override
    public final int stepsPerEpoch() {
        return batches.stepsPerEpoch();
    }

    @Override
    public final SpeechBatch batch(long step) {
        return batches.batch(step);
    }

    @Override
    public final String unit() {
        return "clips";
    }
}
