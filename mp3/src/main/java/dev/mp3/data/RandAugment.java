package dev.mp3.data;

import dev.mp3.data.Resize.Interpolation;
import dev.mp3.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * timm's RandAugment ({@code rand_augment_transform}): per image, pick {@code n} ops uniformly with
 * replacement from a fixed list, and apply each with probability {@code p} at magnitude {@code m}
 * (plus Gaussian noise {@code mstd}, clipped to [0, mmax]), the magnitude mapped to each op's argument
 * by timm's level functions. The image ops are {@link PilOps} (Pillow semantics).
 *
 * <p>Config string as timm, e.g. DeiT's {@code "rand-m9-mstd0.5-inc1"}: {@code m} magnitude (default
 * 10), {@code n} layers (default 2), {@code mstd} magnitude noise (default 0; above 100 means uniform
 * in [0, m]), {@code mmax} upper clip (default 10), {@code inc} use the *Increasing op set (default 0),
 * {@code p} probability per op (default 0.5). Geometric ops use {@code interpolation} (timm hparam,
 * bicubic for DeiT) and {@code fill} (timm's {@code img_mean}: the dataset mean colour in bytes, see
 * {@link #fillFromMean}).
 *
 * <p>Level to argument (level = magnitude / 10): Rotate 30 level degrees, ShearX/Y 0.3 level,
 * TranslateX/YRel 0.45 level of the size, all with a random sign; Posterize int(4 level) bits,
 * PosterizeIncreasing 4 - int(4 level); Solarize min(256, int(256 level)) threshold, SolarizeIncreasing
 * 256 minus that; SolarizeAdd min(128, int(110 level)) added below 128; Color/Contrast/Brightness/
 * Sharpness factor 1.8 level + 0.1, their Increasing variants max(0.1, 1 ± 0.9 level).
 *
 * <p>Differences from timm: the random stream is counter-based (see {@link #draw}); timm's
 * {@code t} (weighted op sets) option is not supported; {@code inc0} means off here, whereas timm's
 * {@code bool("0")} turns it on; timm's default random choice of interpolation (when none is given)
 * is not offered.
 */
public record RandAugment(Config config, Interpolation interpolation, byte[] fill) {

    /** The ops; their names are timm's. */
    public enum Op {
        AutoContrast, Equalize, Invert, Rotate, Posterize, PosterizeIncreasing, Solarize, SolarizeIncreasing,
        SolarizeAdd, Color, ColorIncreasing, Contrast, ContrastIncreasing, Brightness, BrightnessIncreasing,
        Sharpness, SharpnessIncreasing, ShearX, ShearY, TranslateXRel, TranslateYRel
    }

    /** timm's {@code _RAND_TRANSFORMS}. */
    public static final List<Op> OPS = List.of(Op.AutoContrast, Op.Equalize, Op.Invert, Op.Rotate, Op.Posterize,
            Op.Solarize, Op.SolarizeAdd, Op.Color, Op.Contrast, Op.Brightness, Op.Sharpness, Op.ShearX, Op.ShearY,
            Op.TranslateXRel, Op.TranslateYRel);

    /** timm's {@code _RAND_INCREASING_TRANSFORMS}. */
    public static final List<Op> INCREASING_OPS = List.of(Op.AutoContrast, Op.Equalize, Op.Invert, Op.Rotate,
            Op.PosterizeIncreasing, Op.SolarizeIncreasing, Op.SolarizeAdd, Op.ColorIncreasing, Op.ContrastIncreasing,
            Op.BrightnessIncreasing, Op.SharpnessIncreasing, Op.ShearX, Op.ShearY, Op.TranslateXRel, Op.TranslateYRel);

    /** timm's magnitude scale: level = magnitude / 10. */
    private static final double LEVEL_DENOM = 10.0;

    /** Uniforms per layer: op choice, apply coin, sign, uniform magnitude (mstd = inf). */
    private static final int PER_LAYER = 4;

    /** A parsed config string; magnitudeStd is infinite for timm's uniform sampling. */
    public record Config(double magnitude, int numLayers, double magnitudeStd, double magnitudeMax, boolean increasing,
                         double prob) {

        public List<Op> ops() {
            return increasing ? INCREASING_OPS : OPS;
        }
    }

    public RandAugment {
        if (fill == null || fill.length == 0) {
            throw new IllegalArgumentException("RandAugment: fill needs one byte per channel");
        }
        fill = fill.clone();
    }

    /** The fill colour, one byte per channel (a copy). */
    @Override
    public byte[] fill() {
        return fill.clone();
    }

    /** timm's {@code img_mean}: min(255, round(255 * mean)) per channel. */
    public static byte[] fillFromMean(double... mean) {
        byte[] fill = new byte[mean.length];
        for (int c = 0; c < mean.length; c++) {
            fill[c] = (byte) Math.min(255, Math.rint(255 * mean[c]));
        }
        return fill;
    }

    /** Parses timm's config string, e.g. {@code "rand-m9-mstd0.5-inc1"}. */
    public static Config parse(String config) {
        String[] parts = config.split("-");
        if (!parts[0].equals("rand")) {
            throw new IllegalArgumentException("RandAugment: config '" + config + "' must start with 'rand'");
        }
        double magnitude = LEVEL_DENOM;
        int layers = 2;
        double std = 0;
        double max = LEVEL_DENOM;
        boolean increasing = false;
        double prob = 0.5;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int digit = firstDigit(part);
            if (digit <= 0) {
                throw new IllegalArgumentException("RandAugment: cannot read section '" + part + "' of '" + config + "'");
            }
            String key = part.substring(0, digit);
            String value = part.substring(digit);
            switch (key) {
                case "m" -> magnitude = Integer.parseInt(value);
                case "n" -> layers = Integer.parseInt(value);
                case "mstd" -> std = Double.parseDouble(value) > 100 ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
                case "mmax" -> max = Integer.parseInt(value);
                case "inc" -> increasing = Integer.parseInt(value) != 0;
                case "p" -> prob = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("RandAugment: unknown section '" + part + "' in '"
                        + config + "'");
            }
        }
        return new Config(magnitude, layers, std, max, increasing, prob);
    }

    private static int firstDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The names of the op set the config draws from, in timm's order. */
    public List<String> opNames() {
        return config.ops().stream().map(Op::name).toList();
    }

    /** One op to apply: its magnitude after noise and clipping, and its argument (NaN for ops without one). */
    public record Applied(Op op, double magnitude, double argument) {
    }

    /** One example's choices: the ops that passed their coin, in order. */
    public record Draw(List<Applied> ops) {
    }

    /**
     * The ops for example {@code example} under {@code key}: layer j reads uniforms
     * {@code (example * numLayers + j) * 4 + 0..3} of the key and normal {@code example * numLayers + j} of a
     * derived key, so the choice is a pure function of (key, example).
     */
    public Draw draw(long key, long example) {
        List<Op> ops = config.ops();
        long normalKey = Rng.mix(key ^ 0x4A7A4DL);
        List<Applied> chosen = new ArrayList<>();
        for (int j = 0; j < config.numLayers(); j++) {
            long layer = example * config.numLayers() + j;
            long base = layer * PER_LAYER;
            Op op = ops.get(Math.min(ops.size() - 1, (int) (Rng.uniformAt(key, base) * ops.size())));
            if (config.prob() < 1.0 && Rng.uniformAt(key, base + 1) >= config.prob()) {
                continue; // timm skips when random() > p
            }
            double m = config.magnitude();
            if (config.magnitudeStd() == Double.POSITIVE_INFINITY) {
                m = Rng.uniformAt(key, base + 3) * m;
            } else if (config.magnitudeStd() > 0) {
                m = m + config.magnitudeStd() * Rng.normalAt(normalKey, layer);
            }
            m = Math.max(0.0, Math.min(m, config.magnitudeMax()));
            boolean negate = Rng.uniformAt(key, base + 2) < 0.5;
            chosen.add(new Applied(op, m, argument(op, m, negate)));
        }
        return new Draw(List.copyOf(chosen));
    }

    /** timm's level-to-argument mapping at magnitude m; {@code negate} is the random sign of the signed ones. */
    public static double argument(Op op, double m, boolean negate) {
        double level = m / LEVEL_DENOM;
        double sign = negate ? -1 : 1;
        return switch (op) {
            case AutoContrast, Equalize, Invert -> Double.NaN;
            case Rotate -> sign * level * 30.0;
            case ShearX, ShearY -> sign * level * 0.3;
            case TranslateXRel, TranslateYRel -> sign * level * 0.45;
            case Posterize -> (int) (level * 4);
            case PosterizeIncreasing -> 4 - (int) (level * 4);
            case Solarize -> Math.min(256, (int) (level * 256));
            case SolarizeIncreasing -> 256 - Math.min(256, (int) (level * 256));
            case SolarizeAdd -> Math.min(128, (int) (level * 110));
            case Color, Contrast, Brightness, Sharpness -> level * 1.8 + 0.1;
            case ColorIncreasing, ContrastIncreasing, BrightnessIncreasing, SharpnessIncreasing ->
                    Math.max(0.1, 1.0 + sign * level * 0.9);
        };
    }

    /** Applies the drawn ops in order. */
    public Image apply(Image src, Draw d) {
        Image im = src;
        for (Applied a : d.ops()) {
            im = apply(im, a.op(), a.argument());
        }
        return im;
    }

    /** One op with its argument (as {@link #argument} returns it). */
    public Image apply(Image im, Op op, double arg) {
        if (fill.length != im.channels()) {
            throw new IllegalArgumentException("RandAugment: fill has " + fill.length + " channels, image "
                    + im.channels());
        }
        return switch (op) {
            case AutoContrast -> PilOps.autoContrast(im);
            case Equalize -> PilOps.equalize(im);
            case Invert -> PilOps.invert(im);
            case Rotate -> PilOps.rotate(im, arg, interpolation, fill);
            case Posterize, PosterizeIncreasing -> PilOps.posterize(im, (int) arg);
            case Solarize, SolarizeIncreasing -> PilOps.solarize(im, (int) arg);
            case SolarizeAdd -> PilOps.solarizeAdd(im, (int) arg, 128);
            case Color, ColorIncreasing -> PilOps.color(im, arg);
            case Contrast, ContrastIncreasing -> PilOps.contrast(im, arg);
            case Brightness, BrightnessIncreasing -> PilOps.brightness(im, arg);
            case Sharpness, SharpnessIncreasing -> PilOps.sharpness(im, arg);
            case ShearX -> PilOps.shearX(im, arg, interpolation, fill);
            case ShearY -> PilOps.shearY(im, arg, interpolation, fill);
            case TranslateXRel -> PilOps.translateX(im, arg, interpolation, fill);
            case TranslateYRel -> PilOps.translateY(im, arg, interpolation, fill);
        };
    }
}
