package dev.mp3.data;

import static dev.mp3.data.ResizeTest.gray;
import static dev.mp3.data.ResizeTest.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mp3.data.RandAugment.Applied;
import dev.mp3.data.RandAugment.Config;
import dev.mp3.data.RandAugment.Draw;
import dev.mp3.data.RandAugment.Op;
import dev.mp3.data.Resize.Interpolation;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandAugmentTest {

    private static RandAugment ra(String config) {
        return new RandAugment(RandAugment.parse(config), Interpolation.BICUBIC, new byte[] {0});
    }

    @Test
    void parsesDeitsConfig() {
        Config c = RandAugment.parse("rand-m9-mstd0.5-inc1");
        assertThat(c).isEqualTo(new Config(9, 2, 0.5, 10, true, 0.5));
        assertThat(ra("rand-m9-mstd0.5-inc1").opNames()).containsExactly(
                "AutoContrast", "Equalize", "Invert", "Rotate", "PosterizeIncreasing", "SolarizeIncreasing",
                "SolarizeAdd", "ColorIncreasing", "ContrastIncreasing", "BrightnessIncreasing", "SharpnessIncreasing",
                "ShearX", "ShearY", "TranslateXRel", "TranslateYRel");
    }

    @Test
    void parsesOtherSectionsAndDefaults() {
        assertThat(RandAugment.parse("rand")).isEqualTo(new Config(10, 2, 0, 10, false, 0.5));
        Config c = RandAugment.parse("rand-n3-m7-p1.0-mmax15-mstd101");
        assertThat(c).isEqualTo(new Config(7, 3, Double.POSITIVE_INFINITY, 15, false, 1.0));
        assertThat(ra("rand-m7").opNames()).contains("Posterize", "Solarize", "Color").doesNotContain("ColorIncreasing");
        assertThatThrownBy(() -> RandAugment.parse("augmix-m3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RandAugment.parse("rand-q3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void argumentsAtMagnitudeNine() {
        assertThat(RandAugment.argument(Op.Rotate, 9, false)).isCloseTo(27.0, within(1e-12));
        assertThat(RandAugment.argument(Op.Rotate, 9, true)).isCloseTo(-27.0, within(1e-12));
        assertThat(RandAugment.argument(Op.ShearX, 9, false)).isCloseTo(0.27, within(1e-12));
        assertThat(RandAugment.argument(Op.ShearY, 9, true)).isCloseTo(-0.27, within(1e-12));
        assertThat(RandAugment.argument(Op.TranslateXRel, 9, false)).isCloseTo(0.405, within(1e-12));
        assertThat(RandAugment.argument(Op.PosterizeIncreasing, 9, false)).isEqualTo(1);   // 4 - int(3.6)
        assertThat(RandAugment.argument(Op.Posterize, 9, false)).isEqualTo(3);             // int(3.6)
        assertThat(RandAugment.argument(Op.SolarizeIncreasing, 9, false)).isEqualTo(26);   // 256 - int(230.4)
        assertThat(RandAugment.argument(Op.Solarize, 9, false)).isEqualTo(230);
        assertThat(RandAugment.argument(Op.SolarizeAdd, 9, false)).isEqualTo(99);          // int(99.0)
        assertThat(RandAugment.argument(Op.ColorIncreasing, 9, false)).isCloseTo(1.81, within(1e-12));
        assertThat(RandAugment.argument(Op.SharpnessIncreasing, 9, true)).isCloseTo(0.19, within(1e-12));
        assertThat(RandAugment.argument(Op.Contrast, 9, true)).isCloseTo(1.72, within(1e-12)); // unsigned
        assertThat(RandAugment.argument(Op.Invert, 9, true)).isNaN();
        // Increasing enhancements stay >= 0.1; magnitude 0 of the increasing ops changes nothing.
        assertThat(RandAugment.argument(Op.BrightnessIncreasing, 10, true)).isCloseTo(0.1, within(1e-12));
        assertThat(RandAugment.argument(Op.PosterizeIncreasing, 0, false)).isEqualTo(4);
        assertThat(RandAugment.argument(Op.SolarizeIncreasing, 0, false)).isEqualTo(256);
    }

    @Test
    void drawsWithProbabilityOneApplyTwoOpsAtExactlyMagnitudeNine() {
        RandAugment ra = ra("rand-m9-inc1-p1.0");
        Set<Op> seen = EnumSet.noneOf(Op.class);
        for (int e = 0; e < 2000; e++) {
            Draw d = ra.draw(21L, e);
            assertThat(ra.draw(21L, e)).isEqualTo(d);
            assertThat(d.ops()).hasSize(2);
            for (Applied a : d.ops()) {
                assertThat(RandAugment.INCREASING_OPS).contains(a.op());
                assertThat(a.magnitude()).isEqualTo(9.0);
                double plus = RandAugment.argument(a.op(), 9, false);
                double minus = RandAugment.argument(a.op(), 9, true);
                if (a.op().ordinal() > Op.Invert.ordinal()) {
                    assertThat(a.argument()).isIn(plus, minus);
                }
                seen.add(a.op());
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(RandAugment.INCREASING_OPS);
    }

    @Test
    void eachOpIsKeptWithProbabilityP() {
        RandAugment ra = ra("rand-m9-mstd0.5-inc1");
        int applied = 0;
        double magnitudeSum = 0;
        int n = 4000;
        for (int e = 0; e < n; e++) {
            for (Applied a : ra.draw(5L, e).ops()) {
                applied++;
                magnitudeSum += a.magnitude();
                assertThat(a.magnitude()).isBetween(0.0, 10.0);
            }
        }
        // 2 layers x 0.5: one op per image on average (sd of the total ~45).
        assertThat(applied).isBetween(n - 250, n + 250);
        // Noise N(9, 0.5) clipped at 10: the mean is a little under 9.
        assertThat(magnitudeSum / applied).isBetween(8.9, 9.05);
    }

    @Test
    void uniformMagnitudeWhenStdIsHuge() {
        RandAugment ra = ra("rand-m8-mstd200-p1.0");
        double sum = 0;
        int n = 0;
        for (int e = 0; e < 2000; e++) {
            for (Applied a : ra.draw(9L, e).ops()) {
                assertThat(a.magnitude()).isBetween(0.0, 8.0);
                sum += a.magnitude();
                n++;
            }
        }
        assertThat(sum / n).isCloseTo(4.0, within(0.2));
    }

    @Test
    void appliesAHandChosenDrawInOrder() {
        RandAugment ra = new RandAugment(RandAugment.parse("rand-m9-inc1"), Interpolation.BICUBIC, new byte[] {7});
        // Invert, then move one pixel left (0.25 of width 4) with fill 7, then posterize to 4 bits.
        Draw d = new Draw(List.of(new Applied(Op.Invert, 9, Double.NaN), new Applied(Op.TranslateXRel, 5, 0.25),
                new Applied(Op.PosterizeIncreasing, 0, 4)));
        Image out = ra.apply(gray(1, 4, 10, 20, 30, 40), d);
        // 245 235 225 215 -> 235 225 215 7 -> & 0xF0: 224 224 208 0.
        assertThat(values(out)).containsExactly(224, 224, 208, 0);
        assertThatThrownBy(() -> ra.apply(Image.blank(3, 2, 2), d)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fillFromMeanRoundsLikeTimm() {
        // ImageNet mean: 123.675 -> 124, 116.28 -> 116, 103.53 -> 104.
        assertThat(RandAugment.fillFromMean(0.485, 0.456, 0.406)).containsExactly(124, 116, 104);
    }
}
