package dev.mp3.train;

import dev.mp3.data.Batch;
import dev.mp3.method.ContextMasking;
import dev.mp3.nn.Context;
import dev.mp3.nn.Safetensors;
import dev.mp3.nn.VisionTransformer;
import dev.mp3.tensor.Device;
import dev.mp3.tensor.Rng;
import dev.mp3.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data-parallel training. Without MPI: a rank's shard of a batch is exactly those rows of the
 * whole batch (Mixup pairs included) and its contexts those rows of the whole batch's. Under
 * {@code mpirun} (Open MPI on the PATH; .ci/run installs it): 2 and 4 ranks, each training on its
 * shard, end with the weights one process with the whole batch ends with, the replicas checked
 * identical after every update; summing buckets during backward changes no bit; and a rank that
 * fails stops the group with a message naming it.
 */
class DataParallelTest {

    @Test
    void aShardIsThoseRowsOfTheWholeBatchMixingIncluded() {
        for (String kind : List.of("pretrain", "classify")) {
            VisionTransformer net = DataParallelProbe.model(kind);
            ImageRecipe recipe = DataParallelProbe.recipe(kind);
            Task<?> whole = DataParallelProbe.task(net, recipe, false);
            Task<?> shard = DataParallelProbe.task(net, recipe, false);
            shard.shard(1, 2);
            for (long step = 0; step < 8; step++) {
                Batch all = (Batch) whole.batch(step);
                Batch mine = (Batch) shard.batch(step);
                Batch rows = all.rows(8, 16);
                assertThat(mine.indices()).as(kind + " step " + step).containsExactly(rows.indices());
                assertThat(mine.images().toFloatArray()).as(kind + " step " + step)
                        .containsExactly(rows.images().toFloatArray());
                assertThat(mine.labels().toIntArray()).containsExactly(rows.labels().toIntArray());
                if (kind.equals("classify")) {
                    assertThat(all.mix()).as("every batch mixes").isNotNull();
                    assertThat(mine.mix().lam()).isEqualTo(all.mix().lam());
                    assertThat(mine.mix().partnerLabels().toIntArray())
                            .containsExactly(rows.mix().partnerLabels().toIntArray());
                }
            }
        }
    }

    @Test
    void aShardsContextsAreThoseRowsOfTheWholeBatchs() {
        Context all = ContextMasking.sample(new Rng(5), 16, 9, 0.5f, Device.CPU);
        Rng rng = new Rng(5);
        Context mine = ContextMasking.sample(rng, 16, 9, 0.5f, Device.CPU, 12, 16);
        int m = ContextMasking.contextSize(9, 0.5f);
        int[] expected = new int[4 * m];
        System.arraycopy(all.indices().toIntArray(), 12 * m, expected, 0, 4 * m);
        assertThat(mine.indices().toIntArray()).containsExactly(expected);
        Rng reference = new Rng(5);
        reference.permutationArray(16, 9);
        assertThat(rng.counter()).as("the stream advances as for the whole batch").isEqualTo(reference.counter());
    }

    @Test
    void aBatchThatDoesNotSplitEvenlyIsRefusedWithTheFix() {
        VisionTransformer net = DataParallelProbe.model("classify");
        Task<?> t = DataParallelProbe.task(net, DataParallelProbe.recipe("classify"), false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.shard(0, 3))
                .hasMessageContaining("batch of 16 images must split evenly over 3 processes")
                .hasMessageContaining("multiple of 3");
    }

    @ParameterizedTest(name = "{0} on {1} ranks")
    @CsvSource({"pretrain, 2", "classify, 2", "pretrain, 4"})
    @EnabledIf("mpirunAvailable")
    void ranksTogetherTrainAsOneProcessWithTheWholeBatch(String kind, int ranks, @TempDir Path dir) throws Exception {
        Path parallel = dir.resolve("parallel.safetensors");
        Run run = mpirun(ranks, kind, parallel, 256, true, List.of());
        assertThat(run.exit).as(run.output).isZero();

        VisionTransformer one = DataParallelProbe.model(kind);
        ImageRecipe recipe = DataParallelProbe.recipe(kind);
        new Trainer(DataParallelProbe.task(one, recipe, false), recipe, "one").quiet().run();
        VisionTransformer many = DataParallelProbe.model(kind);
        Safetensors.load(many, parallel, true);

        // Not bit-identical: N ranks average N means of B/N gradients, one process one mean of B, so
        // float sums run in another order. After 8 AdamW updates that moved weights by up to 4.6e-3
        // they differed by at most 7.6e-7 (2026-11-30); 1e-5 leaves room and still catches a wrong
        // mean (a missing 1/N moves weights by ~lr = 1e-3 per update: Adam would hide a uniform
        // scale, but not gradients of the wrong rows or an unsummed bucket).
        double worst = 0;
        double moved = 0;
        VisionTransformer init = DataParallelProbe.model(kind);
        for (Map.Entry<String, Tensor> e : one.stateDict().entrySet()) {
            float[] a = e.getValue().toFloatArray();
            float[] b = many.stateDict().get(e.getKey()).toFloatArray();
            float[] s = init.stateDict().get(e.getKey()).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
                moved = Math.max(moved, Math.abs(a[i] - s[i]));
            }
        }
        System.out.printf("%s on %d ranks: weights moved up to %.3g, differ from one process's by up to %.3g%n",
                kind, ranks, moved, worst);
        assertThat(moved).as("training moved the weights").isGreaterThan(1e-3);
        assertThat(worst).as(kind + " on " + ranks + " ranks vs one process").isLessThan(1e-5);
    }

    @Test
    @EnabledIf("mpirunAvailable")
    void summingBucketsDuringBackwardChangesNoBit(@TempDir Path dir) throws Exception {
        Path overlapped = dir.resolve("overlapped.safetensors");
        Path after = dir.resolve("after.safetensors");
        Run a = mpirun(2, "pretrain", overlapped, 256, true, List.of());
        Run b = mpirun(2, "pretrain", after, 1 << 20, false, List.of());
        assertThat(a.exit).as(a.output).isZero();
        assertThat(b.exit).as(b.output).isZero();
        Map<String, Tensor> x = Safetensors.read(overlapped).tensors();
        Map<String, Tensor> y = Safetensors.read(after).tensors();
        x.forEach((name, t) -> assertThat(y.get(name).toFloatArray()).as(name).containsExactly(t.toFloatArray()));
    }

    @Test
    @EnabledIf("mpirunAvailable")
    void aGroupStoppedAndResumedEndsBitForBitAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight.safetensors");
        Path resumed = dir.resolve("resumed.safetensors");
        Run a = mpirun(2, "classify", straight, 256, true, List.of());
        Run b = mpirun(2, "classify", resumed, 256, true, List.of("stop=3," + dir.resolve("run.safetensors")));
        assertThat(a.exit).as(a.output).isZero();
        assertThat(b.exit).as(b.output).isZero();
        Map<String, Tensor> x = Safetensors.read(straight).tensors();
        Map<String, Tensor> y = Safetensors.read(resumed).tensors();
        x.forEach((name, t) -> assertThat(y.get(name).toFloatArray()).as(name).containsExactly(t.toFloatArray()));
    }

    @Test
    @EnabledIf("mpirunAvailable")
    void aFailingRankStopsTheGroupAndIsNamed(@TempDir Path dir) throws Exception {
        Run run = mpirun(2, "classify", dir.resolve("never.safetensors"), 256, true, List.of("fail=1"));
        assertThat(run.exit).as(run.output).isNotZero();
        assertThat(run.output).contains("error: rank 1 of 2: this rank's data failed at update 2");
        assertThat(dir.resolve("never.safetensors")).doesNotExist();
    }

    // ---------------------------------------------------------------- running mpirun

    private record Run(int exit, String output) {}

    static boolean mpirunAvailable() {
        return Mpirun.available();
    }

    private static Run mpirun(int ranks, String kind, Path out, long bucketBytes, boolean overlap, List<String> more)
            throws Exception {
        List<String> cmd = Mpirun.command(ranks);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss4m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                DataParallelProbe.class.getName(), kind, out.toString(), String.valueOf(bucketBytes),
                String.valueOf(overlap)));
        cmd.addAll(more);
        Path log = Files.createTempFile("mpirun", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out after 180 s: " + String.join(" ", cmd) + "\n" + Files.readString(log));
            }
            return new Run(p.exitValue(), String.join(" ", cmd) + "\n" + Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

}
