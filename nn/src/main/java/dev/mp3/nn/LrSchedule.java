package dev.mp3.nn;

import dev.mp3.tensor.Require;

/** The learning rate as a function of the update number (0 for the first update). */
@FunctionalInterface
public interface LrSchedule {

    double at(long step);

    /**
     * Linear warmup from 0 to {@code peak} over {@code warmup} updates (update s gets
     * peak * (s+1) / warmup, so the first one is not wasted), then a half-cosine from peak down to
     * {@code min} at update {@code total}, constant at min afterwards (the MAE/DeiT schedule).
     */
    static LrSchedule warmupCosine(double peak, long warmup, long total, double min) {
        Require.that(warmup >= 0 && total > warmup && peak >= min && min >= 0, () -> "warmupCosine: need 0 <= warmup < total"
                + " and peak >= min >= 0, got warmup " + warmup + ", total " + total + ", peak " + peak + ", min " + min);
        return step -> {
            if (step < warmup) {
                return peak * (step + 1) / warmup;
            }
            if (step >= total) {
                return min;
            }
            double progress = (double) (step - warmup) / (total - warmup);
            return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }

    /**
     * The paper's speech schedule (Section 4.3): {@code warmupLr} constant for the first
     * {@code warmup} updates, then {@code base} multiplied by {@code factor} every {@code every}
     * updates, counted from update 0 (10k, 20k, ...).
     */
    static LrSchedule stepDecay(double warmupLr, long warmup, double base, double factor, long every) {
        Require.that(warmup >= 0 && every > 0 && factor > 0, "stepDecay: need warmup >= 0, every > 0 and factor > 0");
        return step -> step < warmup ? warmupLr : base * Math.pow(factor, step / every);
    }
}
