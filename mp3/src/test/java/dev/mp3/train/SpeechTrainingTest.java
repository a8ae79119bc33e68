package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.eval.Evaluation;
import dev.mp3.method.PositionMask;
import dev.mp3.method.PositionPrediction;
import dev.mp3.method.SpeechPretraining;
import dev.mp3.nn.SpeechConfig;
import dev.mp3.nn.SpeechTransformer;
import dev.mp3.nn.TcResNet8;
import dev.mp3.nn.TcResNetConfig;
import dev.mp3.speech.SpeechBatch;
import dev.mp3.speech.SpeechData;
import dev.mp3.speech.TinySpeech;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The one training loop on the speech tasks: resume, early stopping, snapshots, the position loss. */
class SpeechTrainingTest {

    @TempDir
    static Path data;
    static SpeechData speech;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        speech = SpeechData.load(TinySpeech.write(data.resolve("speech")), dev.mp3.speech.SpeechDataConfig.TC_RESNET, 0);
    }

    /** One block of width 16: the loop's logic at a fraction of the paper model's cost. */
    static SpeechConfig tinyModel() {
        return new SpeechConfig(98, 40, 16, 1, 2, 16, 0.1f, 12, false, 1e-5f);
    }

    /** 24 training clips in batches of 8: three updates per epoch, validation every third update. */
    static SpeechRecipe tiny(SpeechRecipe base, int updates) {
        return base.withUpdates(updates).withBatchSize(8).withSchedule(1e-4f, 2, 1e-3f, 4).withValidation(3, 0)
                .withSeed(5);
    }

    private static SpeechTransformer model(SpeechRecipe r, long initSeed) {
        SpeechConfig c = r.task() == SpeechRecipe.Task.PRETRAIN ? PositionPrediction.pretrainingModel(tinyModel())
                : tinyModel();
        return new SpeechTransformer(c, new Rng(initSeed));
    }

    private static Task<?> task(SpeechTransformer m, SpeechRecipe r) {
        return r.task() == SpeechRecipe.Task.PRETRAIN
                ? new SpeechPretraining(m, speech.train(), speech.validation(), r, Device.CPU)
                : new SpeechClassification(m, speech.train(), speech.validation(), r, Device.CPU);
    }

    private Trainer trainer(SpeechTransformer m, SpeechRecipe r) {
        return new Trainer(task(m, r), r, "test").quiet();
    }

    private static void assertSameWeights(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((name, t) -> assertThat(b.get(name).toFloatArray()).as(name).containsExactly(t.toFloatArray()));
    }

    private static void assertSameHistory(List<Trainer.Report> a, List<Trainer.Report> b) {
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).step()).isEqualTo(a.get(i).step());
            assertThat(b.get(i).trainLoss()).isEqualTo(a.get(i).trainLoss());
            assertThat(b.get(i).lr()).isEqualTo(a.get(i).lr());
            assertThat(b.get(i).metric()).isEqualTo(a.get(i).metric());
        }
    }

    @Test
    void resumedPretrainingEndsBitExactlyAsAnUninterruptedRun() throws Exception {
        resumeMatches(tiny(SpeechRecipe.pretrain(), 9));
    }

    @Test
    void resumedClassificationEndsBitExactlyAsAnUninterruptedRun() throws Exception {
        resumeMatches(tiny(SpeechRecipe.classify(), 9).withValidation(2, 2));
    }

    private void resumeMatches(SpeechRecipe recipe) throws Exception {
        SpeechTransformer straight = model(recipe, recipe.seed());
        Trainer.Result a = trainer(straight, recipe).run();

        // Killed after update 4 (mid-epoch, between validations), then resumed in a fresh model.
        Path ckpt = dir.resolve("run.safetensors");
        trainer(model(recipe, recipe.seed()), recipe).checkpointTo(ckpt, 4).run(null, 4);
        Checkpoint saved = Checkpoint.load(ckpt);
        assertThat(saved.step()).isEqualTo(4);
        assertThat(saved.finished()).isFalse();
        SpeechTransformer resumed = model(recipe, 99);
        Trainer.Result b = trainer(resumed, saved.recipe(SpeechRecipe.class)).checkpointTo(ckpt, 4).run(saved, Long.MAX_VALUE);

        assertSameWeights(straight.stateDict(), resumed.stateDict());
        assertSameHistory(a.history(), b.history());
        assertThat(b.bestStep()).isEqualTo(a.bestStep());
        assertThat(b.bestMetric()).isEqualTo(a.bestMetric());
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(Checkpoint.load(ckpt).finished()).isTrue();
        // The run keeps its last two checkpoints: the final one and the periodic one (every 4 updates) before it.
        Path previous = dir.resolve("run.previous.safetensors");
        assertThat(Checkpoint.previous(ckpt)).isEqualTo(previous);
        assertThat(Checkpoint.load(previous).step()).isEqualTo((b.steps() - 1) / 4 * 4);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("run.safetensors", "run.previous.safetensors");
        }
    }

    /** The run ends with its best validation's weights, which the checkpoint also holds under "best.". */
    @Test
    void earlyStoppingKeepsTheBestValidationsWeights() throws Exception {
        SpeechRecipe recipe = tiny(SpeechRecipe.classify(), 30).withValidation(1, 1);
        SpeechTransformer net = model(recipe, recipe.seed());
        Path ckpt = dir.resolve("stop.safetensors");
        Trainer.Result r = trainer(net, recipe).checkpointTo(ckpt, 0).run();

        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.steps()).isLessThan(30).isEqualTo(r.history().size());
        double max = r.history().stream().mapToDouble(Trainer.Report::metric).max().orElseThrow();
        long firstMax = r.history().stream().filter(v -> v.metric() == max).findFirst().orElseThrow().step();
        assertThat(r.bestMetric()).isEqualTo(max);
        assertThat(r.bestStep()).isEqualTo(firstMax);
        // Patience 1: the run stops at the first validation that does not beat the one before it.
        assertThat(r.history().getLast().metric()).isLessThanOrEqualTo(r.history().get(r.history().size() - 2).metric());
        Checkpoint saved = Checkpoint.load(ckpt);
        assertThat(saved.progress().stopped()).isTrue();
        assertThat(saved.progress().bestStep()).isEqualTo(firstMax);
        assertSameWeights(saved.bestState(), net.stateDict());
        assertThat(Evaluation.accuracy(net, speech.validation(), 1f, 256, 0, Device.CPU)) // no masks at fraction 1
                .isEqualTo(max);
    }

    /** A snapshot at update 5 of a 9-update run holds what a 5-update run ends with. */
    @Test
    void aSnapshotEqualsAShorterRun() throws Exception {
        SpeechRecipe longRun = tiny(SpeechRecipe.pretrain(), 9);
        Path snap = dir.resolve("at5.safetensors");
        trainer(model(longRun, longRun.seed()), longRun).snapshotAt(5, snap).run();

        SpeechRecipe shortRun = longRun.withUpdates(5);
        SpeechTransformer net = model(shortRun, shortRun.seed());
        Trainer.Result r = trainer(net, shortRun).run();

        Checkpoint s = Checkpoint.load(snap);
        assertThat(s.step()).isEqualTo(5);
        assertThat(s.progress().bestStep()).isEqualTo(r.bestStep());
        assertSameWeights(s.encoderWeights(), net.stateDict());
        assertSameHistory(r.history(), s.progress().history());
    }

    /** MP3's targets: frame i's label is i. The loss against a double-precision loop over the logits. */
    @Test
    void thePositionLossIsCrossEntropyAgainstEachFramesOwnIndex() {
        SpeechTransformer net = new SpeechTransformer(PositionPrediction.pretrainingModel(tinyModel()), new Rng(8));
        net.eval();
        Tensor features = new Rng(2).normal(0f, 1f, 3, 98, 40);
        Tensor mask = PositionMask.sample(new Rng(3), 3, 98, 0.05f);
        Var logitsVar = PositionPrediction.logits(net, features, mask);
        Var loss = PositionPrediction.loss(logitsVar, PositionPrediction.targets(3, 98, Device.CPU), 0f);
        float[] logits = logitsVar.value().toFloatArray();
        double sum = 0;
        for (int row = 0; row < 3 * 98; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 98; j++) {
                max = Math.max(max, logits[row * 98 + j]);
            }
            double z = 0;
            for (int j = 0; j < 98; j++) {
                z += Math.exp(logits[row * 98 + j] - max);
            }
            sum += -(logits[row * 98 + row % 98] - max - Math.log(z));
        }
        assertThat((double) loss.item()).isCloseTo(sum / (3 * 98), within(1e-5));
    }

    @Test
    void resumingWithAnotherRecipeIsRefused() throws Exception {
        SpeechRecipe recipe = tiny(SpeechRecipe.classify(), 6);
        Path ckpt = dir.resolve("one.safetensors");
        trainer(model(recipe, 1), recipe).checkpointTo(ckpt, 1).run(null, 1);
        Checkpoint saved = Checkpoint.load(ckpt);
        // Another learning rate, or a shorter run, is another recipe (a longer one continues this one:
        // SpeechRecipe.continues, tested end to end in SpeechCliTest).
        for (SpeechRecipe other : new SpeechRecipe[] {recipe.withSchedule(recipe.warmupLr(), recipe.warmupUpdates(),
                2 * recipe.lr(), recipe.decayEvery()), recipe.withUpdates(4)}) {
            assertThatThrownBy(() -> trainer(model(other, 1), other).run(saved, Long.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("resume: the checkpoint was written by a run with recipe");
        }
        assertThat(recipe.withUpdates(8).continues(recipe)).isTrue();
        assertThat(recipe.withUpdates(4).continues(recipe)).isFalse();
    }

    @Test
    void aDivergingRunStopsWithAMessageNamingTheUpdate() {
        SpeechRecipe recipe = tiny(SpeechRecipe.classify(), 6).withSchedule(1e30f, 0, 1e30f, 100);
        assertThatThrownBy(() -> trainer(model(recipe, 1), recipe).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the loss became")
                .hasMessageContaining("at update")
                .hasMessageContaining("--lr");
    }

    @Test
    void aModelWithoutTheTasksHeadIsRefused() {
        SpeechRecipe pretrain = tiny(SpeechRecipe.pretrain(), 3);
        SpeechTransformer classifier = new SpeechTransformer(tinyModel(), new Rng(1));
        assertThatThrownBy(() -> task(classifier, pretrain))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position head");
        SpeechTransformer positional = new SpeechTransformer(PositionPrediction.pretrainingModel(tinyModel()), new Rng(1));
        assertThatThrownBy(() -> task(positional, tiny(SpeechRecipe.classify(), 3))).hasMessageContaining("classifier head");
    }

    /** TC-ResNet8 with its SGD recipe: momentum buffers and batch-norm statistics survive a resume bit-exactly. */
    @Test
    void resumedTcResNetEndsBitExactlyAsAnUninterruptedRun() throws Exception {
        SpeechRecipe recipe = SpeechRecipe.tcResNet().withUpdates(9).withBatchSize(8).withValidation(3, 0).withSeed(5);
        TcResNet8 straight = tcResNet(recipe.seed());
        Trainer.Result a = tcTrainer(straight, recipe).run();

        Path ckpt = dir.resolve("tc.safetensors");
        tcTrainer(tcResNet(recipe.seed()), recipe).checkpointTo(ckpt, 4).run(null, 4);
        Checkpoint saved = Checkpoint.load(ckpt, TcResNetConfig.class);
        assertThat(saved.model(TcResNetConfig.class)).isEqualTo(straight.config);
        assertThat(saved.optimizerState()).containsKeys("step", "conv.weight.momentum_buffer", "fc.weight.momentum_buffer")
                .doesNotContainKey("conv.weight.exp_avg");
        TcResNet8 resumed = tcResNet(99);
        Trainer.Result b = tcTrainer(resumed, saved.recipe(SpeechRecipe.class)).checkpointTo(ckpt, 4)
                .run(saved, Long.MAX_VALUE);

        assertSameWeights(straight.stateDict(), resumed.stateDict());
        assertThat(straight.stateDict()).containsKey("bn.running_mean");
        assertSameHistory(a.history(), b.history());
        assertThat(b.bestMetric()).isEqualTo(a.bestMetric());
    }

    /** TC-ResNet reads channels first: the task's loss is the cross entropy of the transposed MFCCs' logits. */
    @Test
    void theTcResNetLossIsCrossEntropyOfTheTransposedFeatures() {
        SpeechRecipe recipe = SpeechRecipe.tcResNet().withBatchSize(4);
        TcResNet8 net = tcResNet(3);
        net.eval();
        SpeechBatch batch = speech.validation().batch(new int[] {0, 1, 2, 3}, null);
        float[] f = batch.features().toFloatArray();
        int frames = batch.features().dim(1);
        int coefficients = batch.features().dim(2);
        float[] channelsFirst = new float[f.length];
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < coefficients; c++) {
                    channelsFirst[(b * coefficients + c) * frames + t] = f[(b * frames + t) * coefficients + c];
                }
            }
        }
        float[] logits = net.forward(Var.constant(Tensor.of(channelsFirst, 4, coefficients, frames))).value()
                .toFloatArray();
        int[] labels = batch.labels().toIntArray();
        double sum = 0;
        for (int b = 0; b < 4; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 12; j++) {
                max = Math.max(max, logits[b * 12 + j]);
            }
            double z = 0;
            for (int j = 0; j < 12; j++) {
                z += Math.exp(logits[b * 12 + j] - max);
            }
            sum += -(logits[b * 12 + labels[b]] - max - Math.log(z));
        }
        var task = new TcResNetClassification(net, speech.train(), speech.validation(), recipe, Device.CPU);
        assertThat((double) task.loss(batch, new Rng(0)).item()).isCloseTo(sum / 4, within(1e-5));
    }

    private static TcResNet8 tcResNet(long seed) {
        return new TcResNet8(TcResNetConfig.paper(40, 12), new Rng(seed));
    }

    private static Trainer tcTrainer(TcResNet8 m, SpeechRecipe r) {
        return new Trainer(new TcResNetClassification(m, speech.train(), speech.validation(), r, Device.CPU), r,
                "test").quiet();
    }
}
