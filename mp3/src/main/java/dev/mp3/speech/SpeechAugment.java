package dev.mp3.speech;

import dev.mp3.tensor.Rng;

/**
 * TC-ResNet's training augmentation (datasets/augmentation_factory.py,
 * anchored_slice_or_pad_with_shift with the "naive" background mix), in its order:
 *
 * <ol>
 *   <li>time shift by s, a uniform integer in [-maxShift, maxShift): s &gt; 0 delays the clip by
 *       s samples (zeros in front, the end falls off), s &lt; 0 advances it (zeros at the end);</li>
 *   <li>with probability backgroundFrequency, add a random 1 s crop of a random background file
 *       scaled by a volume drawn from U(0, backgroundMaxVolume); otherwise add nothing;</li>
 *   <li>clip to [-1, 1].</li>
 * </ol>
 *
 * Every random number is a pure function of (key, draw index) through {@link Rng#uniformAt}, so
 * a clip's augmentation does not depend on which thread computes it or in what order.
 */
public final class SpeechAugment {

    /** Draws per clip: shift, mix or not, volume, background file, crop offset. */
    static final int DRAWS = 5;

    private final SpeechDataConfig config;
    private final float[][] background;

    /** {@code background}: the noise recordings, each at least one clip long. */
    public SpeechAugment(SpeechDataConfig config, float[][] background) {
        int clip = config.mfcc().clipSamples();
        for (float[] b : background) {
            if (b.length < clip) {
                throw new IllegalArgumentException("SpeechAugment: a background recording of " + b.length
                        + " samples is shorter than one clip (" + clip + ")");
            }
        }
        if (config.mixesBackground() && background.length == 0) {
            throw new IllegalArgumentException("SpeechAugment: backgroundFrequency " + config.backgroundFrequency()
                    + " needs background recordings, but there are none");
        }
        this.config = config;
        this.background = background;
    }

    /** The augmented copy of {@code clip} for stream {@code key}; the input is not changed. */
    public float[] apply(float[] clip, long key) {
        int n = clip.length;
        int maxShift = config.maxShiftSamples();
        int shift = maxShift == 0 ? 0 : (int) Math.floor(Rng.uniformAt(key, 0) * 2 * maxShift) - maxShift;
        float[] out = shifted(clip, shift);
        boolean mix = config.mixesBackground() && Rng.uniformAt(key, 1) < config.backgroundFrequency();
        if (mix) {
            float volume = Rng.uniformAt(key, 2) * (float) config.backgroundMaxVolume();
            float[] noise = background[Math.min(background.length - 1,
                    (int) (Rng.uniformAt(key, 3) * background.length))];
            int offset = Math.min(noise.length - n, (int) (Rng.uniformAt(key, 4) * (noise.length - n + 1)));
            for (int i = 0; i < n; i++) {
                out[i] += volume * noise[offset + i];
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(-1f, Math.min(1f, out[i]));
        }
        return out;
    }

    /** out[i] = clip[i - shift] where that index exists, else 0. */
    static float[] shifted(float[] clip, int shift) {
        int n = clip.length;
        float[] out = new float[n];
        if (shift >= 0) {
            System.arraycopy(clip, 0, out, Math.min(shift, n), Math.max(0, n - shift));
        } else {
            System.arraycopy(clip, Math.min(-shift, n), out, 0, Math.max(0, n + shift));
        }
        return out;
    }
}
