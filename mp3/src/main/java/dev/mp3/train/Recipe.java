package dev.mp3.train;

import dev.mp3.nn.LrSchedule;
import dev.mp3.nn.Optimizer;
import dev.mp3.nn.Parameter;

import java.util.Map;

/**
 * What the {@link Trainer} reads from a recipe. Each kind of run keeps its own record with the
 * paper's defaults for it ({@link ImageRecipe}: epochs, AdamW, warm-up and cosine decay as DeiT;
 * {@link SpeechRecipe}: updates, Adam and step decay as Section 4.3, or TC-ResNet's SGD); the loop sees only this, and
 * a checkpoint stores the record itself so a resumed run continues with exactly the same recipe.
 */
public interface Recipe {

    /** Examples per update. */
    int batchSize();

    /** Every random choice of the run derives from it. */
    long seed();

    /** Updates in the whole run, given the updates in one pass over the training data. */
    long updates(int stepsPerEpoch);

    /** The learning rate of every update. */
    LrSchedule schedule(int stepsPerEpoch);

    /** A fresh optimiser of {@code params} (the model's trainable parameters) with this recipe's settings. */
    Optimizer newOptimizer(Map<String, Parameter> params);

    /** Updates between two rows of the history, and between validations when the task validates. */
    long reportEvery(int stepsPerEpoch);

    /** Validations in a row without improvement before the run stops early; 0 never stops early. */
    int patience();

    /**
     * Whether a run with this recipe may take up a run trained with {@code earlier} and carry it on
     * past the earlier one's end (a finished run extended to more updates), ending bit for bit as a
     * run of this recipe from the start: only when the two differ in nothing but the length and
     * nothing the earlier run did depended on its length. Never, by default.
     */
    default boolean continues(Record earlier) {
        return false;
    }
}
