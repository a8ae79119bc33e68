package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.nn.Module;
import dev.mp3.tensor.Rng;

/**
 * What one training run optimises, as the {@link Trainer} sees it: a model, the batch of every
 * update, the loss of a batch, and optionally a validation metric. Four tasks exist: MP3's
 * position pretraining on images and on speech ({@code dev.mp3.method}), and image and keyword
 * classification ({@link ImageClassification}, {@link SpeechClassification}), which serve both
 * finetuning and the supervised baselines.
 *
 * <p>Batches are a pure function of the update number (and the run's seed), so a resumed run needs
 * no data-loader state. Every other random choice of a step comes from the two streams the trainer
 * owns and checkpoints: {@code masks} passed to {@link #loss} (MP3's contexts, position masks) and
 * the model's dropout stream.
 *
 * @param <B> a batch
 */
public interface Task<B> {

    /** The model being trained; its parameters are what the optimizer updates. */
    Module model();

    /** The model's configuration record, stored in the checkpoint. */
    Record modelConfig();

    /** Batches in one pass over the training data. */
    int stepsPerEpoch();

    /** The batch of update {@code step} (counted from 0 over the whole run). */
    B batch(long step);

    /**
     * Makes {@link #batch} return only this process's share of every batch (data-parallel rank
     * {@code rank} of {@code ranks}) and {@link #loss} draw its masks as the whole batch would: the
     * ranks' gradients then average to the whole batch's.
     */
    default void shard(int rank, int ranks) {
        if (ranks != 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " cannot be trained data-parallel"
                    + " yet; run it as one process (without mpirun)");
        }
    }

    /** The loss of one batch in training mode, drawing any random mask from {@code masks}. */
    Var loss(B batch, Rng masks);

    /** The unit of the progress bar's rate ("images", "clips"). */
    String unit();

    /** The name of the validation metric (higher is better), or null when the task does not validate while training. */
    default String metric() {
        return null;
    }

    /** The validation metric of the model in eval mode; NaN for a task without validation. */
    default double validate() {
        return Double.NaN;
    }
}
