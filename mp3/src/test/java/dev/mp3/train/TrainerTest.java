package dev.mp3.train;

import dev.mp3.autograd.Var;
import dev.mp3.data.Batch;
import dev.mp3.data.ImageDataset;
import dev.mp3.data.Normalization;
import dev.mp3.method.ImagePretraining;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {

    /** 64 random 8x8 grey images in 2 classes. */
    static ImageDataset tinyData() {
        Rng rng = new Rng(3);
        int n = 64;
        byte[] px = new byte[n * 64];
        float[] u = rng.uniform(n * 64).toFloatArray();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (u[i] * 256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
        }
        return new ImageDataset("tiny", px, labels, 1, 8, 8, List.of("a", "b"), Normalization.FASHION_MNIST);
    }

    /** 64 8x8 images whose pixels grow with their position (plus noise): a patch's content tells where it belongs. */
    static ImageDataset positionalData() {
        Rng rng = new Rng(4);
        int n = 64;
        byte[] px = new byte[n * 64];
        float[] u = rng.uniform(n * 64).toFloatArray();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i % 64) * 3 + (int) (u[i] * 40));
        }
        return new ImageDataset("positional", px, new int[n], 1, 8, 8, List.of("a", "b"), Normalization.FASHION_MNIST);
    }

    static ViTConfig tinyModel() {
        return new ViTConfig(8, 2, 1, 16, 2, 2, 2f, 2, true, PositionEmbedding.LEARNED, false, 0.1f, 0.1f, 1e-6f);
    }

    private static void assertSameWeights(VisionTransformer a, VisionTransformer b) {
        Map<String, Tensor> sa = a.stateDict();
        Map<String, Tensor> sb = b.stateDict();
        assertThat(sb.keySet()).containsExactlyElementsOf(sa.keySet());
        sa.forEach((name, t) -> assertThat(sb.get(name).toFloatArray()).as(name).containsExactly(t.toFloatArray()));
    }

    static Trainer trainer(VisionTransformer net, ImageRecipe recipe, ImageDataset data) {
        Task<?> task = recipe.task() == ImageRecipe.Task.PRETRAIN ? new ImagePretraining(net, data, recipe, Device.CPU)
                : new ImageClassification(net, data, recipe, Device.CPU);
        return new Trainer(task, recipe, "test").quiet();
    }

    @Test
    void resumedPretrainingEndsWithTheSameWeightsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        resumeMatches(dir, PositionPrediction.pretrainingModel(tinyModel()),
                ImageRecipe.pretrain(3, 0.5f).withBatchSize(16).withSeed(5));
    }

    @Test
    void resumedClassificationEndsWithTheSameWeightsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        resumeMatches(dir, tinyModel(), ImageRecipe.classify(3).withBatchSize(16).withSeed(6));
    }

    private void resumeMatches(Path dir, ViTConfig vit, ImageRecipe recipe) throws Exception {
        ImageDataset data = tinyData();
        VisionTransformer straight = new VisionTransformer(vit, new Rng(recipe.seed()));
        Trainer.Result a = trainer(straight, recipe, data).run();

        // Stop after 5 of the 12 updates (mid-epoch), as a killed run would, then resume in a fresh model.
        Path ckpt = dir.resolve("run.safetensors");
        VisionTransformer first = new VisionTransformer(vit, new Rng(recipe.seed()));
        trainer(first, recipe, data).checkpointTo(ckpt, 5).run(null, 5);
        Checkpoint saved = Checkpoint.load(ckpt);
        assertThat(saved.step()).isEqualTo(5);
        VisionTransformer resumed = new VisionTransformer(vit, new Rng(99));
        Trainer.Result b = trainer(resumed, saved.recipe(ImageRecipe.class), data).run(saved, Long.MAX_VALUE);

        assertSameWeights(straight, resumed);
        assertThat(b.history()).hasSameSizeAs(a.history());
        for (int i = 0; i < a.history().size(); i++) {
            assertThat(b.history().get(i).step()).isEqualTo(a.history().get(i).step());
            assertThat(b.history().get(i).trainLoss()).isEqualTo(a.history().get(i).trainLoss());
        }
        assertThat(Files.list(dir)).allMatch(p -> p.getFileName().toString().equals("run.safetensors"));
    }

    @Test
    void prefetchingBatchesChangesNothingButWhereTheyAreBuilt() throws Exception {
        ImageRecipe recipe = ImageRecipe.pretrain(3, 0.5f).withBatchSize(16).withSeed(7);
        ViTConfig vit = PositionPrediction.pretrainingModel(tinyModel());
        VisionTransformer inline = new VisionTransformer(vit, new Rng(7));
        Trainer.Result a = trainer(inline, recipe, tinyData()).prefetch(0).run();
        for (int ahead : new int[] {1, 2, 5}) {
            VisionTransformer prefetched = new VisionTransformer(vit, new Rng(7));
            Trainer.Result b = trainer(prefetched, recipe, tinyData()).prefetch(ahead).run();
            assertSameWeights(inline, prefetched);
            assertThat(b.finalLoss()).isEqualTo(a.finalLoss());
            assertThat(b.history()).extracting(Trainer.Report::trainLoss)
                    .containsExactlyElementsOf(a.history().stream().map(Trainer.Report::trainLoss).toList());
            assertThat(b.meanBatchSeconds()).isPositive();
            assertThat(b.meanBatchWaitSeconds()).isGreaterThanOrEqualTo(0);
        }
        assertNoBatchThreadLeft();
    }

    @Test
    void aFailingBatchFailsTheRunWithItsOwnMessageAndLeavesNoThread() {
        ImageRecipe recipe = ImageRecipe.classify(3).withBatchSize(16).withSeed(8);
        Task<Batch> task = new ImageClassification(new VisionTransformer(tinyModel(), new Rng(8)), tinyData(), recipe,
                Device.CPU);
        List<Long> asked = new CopyOnWriteArrayList<>();
        Task<Batch> failing = new Task<>() {
            public dev.mp3.nn.Module model() { return task.model(); }
            public Record modelConfig() { return task.modelConfig(); }
            public int stepsPerEpoch() { return task.stepsPerEpoch(); }
            public Var loss(Batch batch, Rng masks) { return task.loss(batch, masks); }
            public String unit() { return task.unit(); }
            public Batch batch(long step) {
                asked.add(step);
                if (step == 6) {
                    throw new IllegalArgumentException("clip 6 is damaged");
                }
                return task.batch(step);
            }
        };
        Trainer trainer = new Trainer(failing, recipe, "test").quiet();
        assertThatThrownBy(trainer::run).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clip 6 is damaged");
        // Built in update order, and never more than 2 past the update that failed.
        assertThat(asked).startsWith(0L, 1L, 2L, 3L, 4L, 5L, 6L).doesNotContain(9L);
        assertNoBatchThreadLeft();
    }

    @Test
    void aRunCutShortBuildsNoBatchPastItsEnd() throws Exception {
        ImageRecipe recipe = ImageRecipe.classify(3).withBatchSize(16).withSeed(9);
        Task<Batch> task = new ImageClassification(new VisionTransformer(tinyModel(), new Rng(9)), tinyData(), recipe,
                Device.CPU);
        AtomicLong last = new AtomicLong(-1);
        Task<Batch> counting = new Task<>() {
            public dev.mp3.nn.Module model() { return task.model(); }
            public Record modelConfig() { return task.modelConfig(); }
            public int stepsPerEpoch() { return task.stepsPerEpoch(); }
            public Var loss(Batch batch, Rng masks) { return task.loss(batch, masks); }
            public String unit() { return task.unit(); }
            public Batch batch(long step) {
                last.accumulateAndGet(step, Math::max);
                return task.batch(step);
            }
        };
        Trainer.Result r = new Trainer(counting, recipe, "test").quiet().run(null, 5);
        assertThat(r.steps()).isEqualTo(5);
        assertThat(last.get()).isEqualTo(4);
        assertNoBatchThreadLeft();
    }

    /** Every prefetching thread has ended once run() returned or threw. */
    private static void assertNoBatchThreadLeft() {
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("mp3-batches"));
    }

    @Test
    void aDivergingRunStopsWithAMessageNamingTheUpdate() {
        ImageRecipe recipe = ImageRecipe.classify(2).withBatchSize(16).withPeakLr(1e30f, 1e30f).withWarmup(0);
        VisionTransformer net = new VisionTransformer(tinyModel(), new Rng(1));
        assertThatThrownBy(() -> trainer(net, recipe, tinyData()).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the loss became")
                .hasMessageContaining("update")
                .hasMessageContaining("--lr");
    }

    @Test
    void pretrainingLowersThePositionLoss() throws Exception {
        VisionTransformer net = new VisionTransformer(PositionPrediction.pretrainingModel(tinyModel()), new Rng(2));
        Trainer.Result r = trainer(net, ImageRecipe.pretrain(30, 0.5f).withBatchSize(16).withPeakLr(3e-3f, 1e-4f),
                positionalData()).run();
        // Chance level over 16 positions is ln 16 = 2.77.
        assertThat(r.history().get(0).trainLoss()).isGreaterThan(2.5);
        assertThat(r.finalLoss()).isLessThan(2.0);
    }

    @Test
    void aCheckpointOfAnotherFormatIsRejectedWithItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other.safetensors");
        dev.mp3.nn.Safetensors.write(file, Map.of("w", Tensor.zeros(2)), Map.of("format", "pt"));
        assertThatThrownBy(() -> Checkpoint.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not an mp3 checkpoint");
    }
}
