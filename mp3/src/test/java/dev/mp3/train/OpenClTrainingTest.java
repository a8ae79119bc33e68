package dev.mp3.train;

import dev.mp3.method.ImagePretraining;
import dev.mp3.method.PositionPrediction;
import dev.mp3.nn.PositionEmbedding;
import dev.mp3.nn.ViTConfig;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.opencl.ClBackend;
import dev.mp3.opencl.Platforms;
import dev.mp3.tensor.Backends;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The training loop on the OpenCL device (PoCL in CI; skipped without an OpenCL platform): it gives
 * the CPU's losses, validation and weights within float rounding, and, with a memory scope per
 * update, its device memory stays flat however many updates it takes, with no System.gc() stall.
 */
class OpenClTrainingTest {
    private ClBackend cl;

    @BeforeEach
    void device() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Platforms.discover().found(),
                "no OpenCL platform: the OpenCL training run is skipped");
        cl = (ClBackend) Backends.get(Device.parse("opencl"));
    }

    /** The tiny ViT of {@link TrainerTest} without dropout, whose random masks differ between backends. */
    private static ViTConfig model() {
        return new ViTConfig(8, 2, 1, 16, 2, 2, 2f, 2, true, PositionEmbedding.LEARNED, false, 0f, 0f, 1e-6f);
    }

    private static Trainer.Result classify(Device device, int epochs, Path checkpoint, VisionTransformer net)
            throws Exception {
        net.to(device);
        ImageRecipe recipe = ImageRecipe.classify(epochs).withBatchSize(16).withPatience(100);
        Task<?> task = new ImageClassification(net, TrainerTest.tinyData(), TrainerTest.tinyData(), recipe, device);
        return new Trainer(task, recipe, "opencl").quiet().checkpointTo(checkpoint, 3).run();
    }

    @Test
    void classificationWithValidationAndCheckpointsGivesTheCpusNumbers(@TempDir Path dir) throws Exception {
        VisionTransformer onCpu = new VisionTransformer(model(), new Rng(1));
        VisionTransformer onCl = new VisionTransformer(model(), new Rng(1));
        Trainer.Result cpu = classify(Device.CPU, 3, dir.resolve("cpu.ckpt"), onCpu);
        Trainer.Result dev = classify(cl.device(), 3, dir.resolve("cl.ckpt"), onCl);
        assertThat(dev.history()).hasSameSizeAs(cpu.history());
        for (int i = 0; i < cpu.history().size(); i++) {
            Trainer.Report c = cpu.history().get(i);
            Trainer.Report d = dev.history().get(i);
            assertThat(d.trainLoss()).as("train loss of report %d", i).isCloseTo(c.trainLoss(), within(1e-4));
            assertThat(d.metric()).as("validation accuracy of report %d", i).isCloseTo(c.metric(), within(1.5 / 64));
        }
        assertThat(dev.bestStep()).isEqualTo(cpu.bestStep());
        Map<String, Tensor> expected = onCpu.stateDict();
        onCl.stateDict().forEach((name, t) -> {
            float[] a = t.toFloatArray();
            float[] e = expected.get(name).toFloatArray();
            for (int i = 0; i < e.length; i++) {
                assertThat(a[i]).as("%s[%d]", name, i).isCloseTo(e[i], within(1e-4f + 1e-3f * Math.abs(e[i])));
            }
        });
        Checkpoint saved = Checkpoint.load(dir.resolve("cl.ckpt"));
        assertThat(saved.progress().step()).isEqualTo(dev.steps());
    }

    /** Peak live device bytes above those live at the start of a pretraining run of {@code epochs}. */
    private long pretrainingPeak(int epochs) throws Exception {
        VisionTransformer net = new VisionTransformer(PositionPrediction.pretrainingModel(model()), new Rng(2));
        net.to(cl.device());
        ImageRecipe recipe = ImageRecipe.pretrain(epochs, 0.5f).withBatchSize(16);
        Trainer trainer = new Trainer(new ImagePretraining(net, TrainerTest.positionalData(), recipe, cl.device()),
                recipe, "opencl").quiet();
        // Buffers earlier tests left unreachable come back first, so they do not fall into the run.
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        long start = cl.memory().liveBytes();
        cl.resetPeakMemory();
        long collections = cl.memory().collections();
        trainer.run();
        assertThat(cl.memory().collections()).as("System.gc() stalls during the run").isEqualTo(collections);
        return cl.memory().peakLiveBytes() - start;
    }

    @Test
    void deviceMemoryStaysFlatOverUpdatesWithoutGarbageCollection() throws Exception {
        long short4 = pretrainingPeak(1);    // 4 updates
        long long40 = pretrainingPeak(10);   // 40 updates
        System.out.printf("OpenCL pretraining: peak live device bytes above the start: %d over 4 updates, %d over 40%n",
                short4, long40);
        assertThat(short4).isPositive();
        assertThat(long40).as("peak live bytes of 40 updates against 4 (%d bytes)", short4).isLessThanOrEqualTo(short4);
    }
}
