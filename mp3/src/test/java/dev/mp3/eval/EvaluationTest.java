package dev.mp3.eval;

import dev.mp3.method.PositionAccuracy;
import dev.mp3.method.PositionMask;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.speech.SpeechData;
import dev.mp3.speech.SpeechSplit;
import dev.mp3.speech.TinySpeech;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keyword accuracy, top-k and speech position accuracy against by-hand and sorted references. */
class EvaluationTest {

    @TempDir
    static Path dir;
    static SpeechData data;

    @BeforeAll
    static void load() throws Exception {
        data = SpeechData.load(TinySpeech.write(dir.resolve("speech")), dev.mp3.speech.SpeechDataConfig.TC_RESNET, 0);
    }

    static SpeechConfig tinyModel() {
        return new SpeechConfig(98, 40, 16, 1, 2, 16, 0.1f, 12, false, 1e-5f);
    }

    /**
     * Scores 0.1 0.5 0.3 0.5 -1 0.2 0.4 (after two leading entries that belong to another row). Ranks,
     * a tie going to the earlier index: index 1 first, 3 second, 6 third, 2 fourth, 5 fifth, 0 sixth,
     * 4 last.
     */
    @Test
    void topKByHand() {
        float[] s = {9f, 9f, 0.1f, 0.5f, 0.3f, 0.5f, -1f, 0.2f, 0.4f};
        int off = 2;
        int n = 7;
        assertThat(Evaluation.inTopK(s, off, n, 1, 1)).isTrue();
        assertThat(Evaluation.inTopK(s, off, n, 3, 1)).isFalse();
        assertThat(Evaluation.inTopK(s, off, n, 3, 2)).isTrue();
        assertThat(Evaluation.inTopK(s, off, n, 2, 3)).isFalse();
        assertThat(Evaluation.inTopK(s, off, n, 2, 4)).isTrue();
        assertThat(Evaluation.inTopK(s, off, n, 5, 5)).isTrue();
        assertThat(Evaluation.inTopK(s, off, n, 5, 4)).isFalse();
        assertThat(Evaluation.inTopK(s, off, n, 0, 5)).isFalse();
        assertThat(Evaluation.inTopK(s, off, n, 4, 6)).isFalse();
        assertThat(Evaluation.inTopK(s, off, n, 4, 7)).isTrue();
    }

    /**
     * Against a reference: argmax for top-1, a full sort for top-5, clip i's mask rebuilt from stream
     * (seed, i); the same number for another batch size.
     */
    @Test
    void positionAccuracyMatchesArgmaxAndSortedReference() {
        SpeechTransformer model = new SpeechTransformer(PositionPrediction.pretrainingModel(tinyModel()), new Rng(3));
        SpeechSplit test = data.test();
        var acc = PositionAccuracy.speech(model, test, 0.05f, 5, 42, Device.CPU);

        long top1 = 0;
        long top5 = 0;
        long plainTop1 = 0;
        long plain = 0;
        long frames = 0;
        for (int[] idx : test.epoch(5, null)) {
            Tensor features = test.batch(idx, null).features();
            float[] maskValues = new float[idx.length * 98];
            for (int b = 0; b < idx.length; b++) {
                System.arraycopy(PositionMask.sample(new Rng(42, idx[b]), 1, 98, 0.05f).toFloatArray(), 0, maskValues,
                        b * 98, 98);
            }
            Tensor mask = Tensor.of(maskValues, idx.length, 98);
            Tensor logits = PositionPrediction.logits(model, features, mask).value();
            int[] argmax = logits.argmax(-1).toIntArray();
            float[] l = logits.toFloatArray();
            float[] m = mask.toFloatArray();
            for (int row = 0; row < idx.length * 98; row++) {
                int target = row % 98;
                int base = row * 98;
                Integer[] order = IntStream.range(0, 98).boxed().toArray(Integer[]::new);
                Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -l[base + j]).thenComparingInt(j -> j));
                boolean hit1 = argmax[row] == target;
                assertThat(order[0]).isEqualTo(argmax[row]);
                top1 += hit1 ? 1 : 0;
                top5 += Arrays.asList(order).subList(0, 5).contains(target) ? 1 : 0;
                if (m[row] == 0f) {
                    plain++;
                    plainTop1 += hit1 ? 1 : 0;
                }
                frames++;
            }
        }
        assertThat(acc.frames()).isEqualTo(12 * 98).isEqualTo(frames);
        assertThat(acc.framesWithoutPosition()).isEqualTo(12 * 93).isEqualTo(plain);
        assertThat(acc.top1()).isEqualTo((double) top1 / frames);
        assertThat(acc.top5()).isEqualTo((double) top5 / frames);
        assertThat(acc.top1WithoutPosition()).isEqualTo((double) plainTop1 / plain);
        assertThat(acc.top5()).isGreaterThanOrEqualTo(acc.top1());
        // The same weights and seed give the same number again, in batches of another size.
        assertThat(PositionAccuracy.speech(model, test, 0.05f, 7, 42, Device.CPU)).isEqualTo(acc);
    }

    @Test
    void keywordAccuracyMatchesArgmaxOverTheSplit() {
        SpeechTransformer model = new SpeechTransformer(tinyModel(), new Rng(4));
        SpeechSplit test = data.test();
        double acc = Evaluation.accuracy(model, test, 1f, 5, 0, Device.CPU);
        int[] all = IntStream.range(0, test.size()).toArray();
        int[] predicted = model.classify(test.batch(all, null).features(), null).value().argmax(-1).toIntArray();
        long correct = IntStream.range(0, all.length).filter(i -> predicted[i] == test.label(i)).count();
        assertThat(acc).isEqualTo((double) correct / test.size());
    }

    @Test
    void theAugmentedTrainingSplitIsRefused() {
        SpeechTransformer model = new SpeechTransformer(tinyModel(), new Rng(4));
        assertThatThrownBy(() -> Evaluation.accuracy(model, data.train(), 1f, 8, 0, Device.CPU))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validation or test split");
    }
}
