package dev.mp3.train;

import dev.mp3.nn.Module;
import dev.mp3.tensor.MemoryScope;
import dev.mp3.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Early stopping on a validation metric (higher is better): remembers the best value, the update
 * it came at and a copy of the weights then, and says stop once {@code patience} validations in a
 * row have not beaten it (patience 0: never). A tie does not count as an improvement, so the
 * earliest of equally good weights is kept.
 */
public final class EarlyStopping {
    private final int patience;
    private double best = Double.NaN;
    private long bestStep = -1;
    private int sinceBest;
    private Map<String, Tensor> bestWeights;

    public EarlyStopping(int patience) {
        this.patience = patience;
    }

    /** Restores the state a checkpoint saved ({@code weights} may be null when nothing was validated yet). */
    public EarlyStopping(int patience, double best, long bestStep, int sinceBest, Map<String, Tensor> weights) {
        this(patience);
        this.best = best;
        this.bestStep = bestStep;
        this.sinceBest = sinceBest;
        this.bestWeights = weights == null || weights.isEmpty() ? null : new LinkedHashMap<>(weights);
    }

    /** Records a validation of {@code model} after update {@code step}; returns whether training should stop. */
    public boolean record(long step, double metric, Module model) {
        if (bestStep < 0 || metric > best) {
            best = metric;
            bestStep = step;
            sinceBest = 0;
            bestWeights = new LinkedHashMap<>();
            model.stateDict().forEach((name, t) -> bestWeights.put(name, MemoryScope.keep(t.copy())));
        } else {
            sinceBest++;
        }
        return shouldStop();
    }

    public boolean shouldStop() {
        return patience > 0 && sinceBest >= patience;
    }

    /** Loads the best weights into {@code model}; nothing happens when nothing was validated. */
    public void restoreBest(Module model) {
        if (bestWeights != null) {
            model.loadStateDict(bestWeights, true);
        }
    }

    /** The best metric so far, NaN before the first validation. */
    public double best() {
        return best;
    }

    /** The update of the best validation, -1 before the first. */
    public long bestStep() {
        return bestStep;
    }

    public int sinceBest() {
        return sinceBest;
    }

    /** The best weights (copies), empty before the first validation. */
    public Map<String, Tensor> bestWeights() {
        return bestWeights == null ? Map.of() : bestWeights;
    }
}
