package dev.mp3.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The analyze commands end to end on a tiny pretraining run and classifier, and their one-line errors. */
class AnalyzeCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static String pre;
    static String cls;

    @BeforeAll
    static void models() throws Exception {
        data = TinyFashionMnist.write(dir.resolve("fmnist"), 48, 16, 28, 5);
        assertThat(CliTest.run("pretrain", "--data", data.toString(), "--model", "demo", "--epochs", "1", "--batch", "16",
                "--out", dir.resolve("pt").toString()).exit()).isZero();
        assertThat(CliTest.run("train", "--data", data.toString(), "--model", "demo", "--epochs", "1", "--batch", "16",
                "--out", dir.resolve("sup").toString()).exit()).isZero();
        pre = dir.resolve("pt/checkpoint.safetensors").toString();
        cls = dir.resolve("sup/checkpoint.safetensors").toString();
    }

    @Test
    void knnDrawsOneCurvePerCheckpointAndTheRandomModel() {
        Path out = dir.resolve("knn");
        CliTest.Run r = CliTest.run("analyze", "knn", "--data", data.toString(), "--checkpoint", pre, "--checkpoint", cls,
                "--random", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("knn.png")).exists();
        assertThat(out.resolve("knn.json")).exists();
        // header + 3 models x 3 layers (embedding, 2 blocks)
        assertThat(out.resolve("knn.csv")).content().hasLineCount(10);
    }

    @Test
    void attentionCorrelationAndTwoImagesWriteTheirFiles() throws Exception {
        Path out = dir.resolve("an");
        CliTest.Run a = CliTest.run("analyze", "attention", "--data", data.toString(), "--checkpoint", pre,
                "--etas", "0,0.5", "--out", out.toString());
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(out.resolve("attention-eta0.00.png")).exists();
        assertThat(out.resolve("attention-eta0.50.png")).exists();
        // header + 2 etas x 2 layers x 2 heads
        assertThat(Files.readAllLines(out.resolve("attention-entropy.csv"))).hasSize(9);
        CliTest.Run matched = CliTest.run("analyze", "attention", "--data", data.toString(), "--checkpoint", cls,
                "--parent", pre, "--out", out.resolve("matched").toString());
        assertThat(matched.exit()).as(matched.err()).isZero();
        assertThat(out.resolve("matched/attention-eta0.00-parent.png")).exists();
        assertThat(out.resolve("matched/attention-eta0.00-matched.png")).exists();
        CliTest.Run c = CliTest.run("analyze", "correlation", "--data", data.toString(), "--checkpoint", cls,
                "--out", out.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(out.resolve("correlation-within.png")).exists();
        assertThat(out.resolve("correlation-across.png")).exists();
        CliTest.Run t = CliTest.run("analyze", "two-images", "--data", data.toString(), "--checkpoint", pre,
                "--images", "0,1", "--out", out.toString());
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(out.resolve("two-images-0-1.png")).exists();
    }

    /**
     * The analyses on {@code --device opencl} (PoCL in CI) give the CPU's numbers: the same k-NN
     * accuracies and position correlations within float rounding. Skipped without an OpenCL platform.
     */
    @Test
    void theAnalysesRunOnOpenClWithTheCpusNumbers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.mp3.opencl.Platforms.discover().found(),
                "no OpenCL platform: the analyses' OpenCL run is skipped");
        for (String device : new String[] {"cpu", "opencl"}) {
            Path out = dir.resolve("dev-" + device);
            CliTest.Run k = CliTest.run("analyze", "knn", "--data", data.toString(), "--checkpoint", pre,
                    "--device", device, "--out", out.toString());
            assertThat(k.exit()).as(k.err()).isZero();
            CliTest.Run c = CliTest.run("analyze", "correlation", "--data", data.toString(), "--checkpoint", pre,
                    "--device", device, "--out", out.toString());
            assertThat(c.exit()).as(c.err()).isZero();
            CliTest.Run a = CliTest.run("analyze", "attention", "--data", data.toString(), "--checkpoint", pre,
                    "--etas", "0.5", "--device", device, "--out", out.toString());
            assertThat(a.exit()).as(a.err()).isZero();
            CliTest.Run t = CliTest.run("analyze", "two-images", "--data", data.toString(), "--checkpoint", pre,
                    "--images", "0,1", "--device", device, "--out", out.toString());
            assertThat(t.exit()).as(t.err()).isZero();
        }
        assertThat(dir.resolve("dev-opencl/two-images-0-1.png")).exists();
        Path cpu = dir.resolve("dev-cpu");
        Path cl = dir.resolve("dev-opencl");
        assertThat(Files.readAllLines(cl.resolve("knn.csv"))).isEqualTo(Files.readAllLines(cpu.resolve("knn.csv")));
        java.util.List<String> a = Files.readAllLines(cpu.resolve("correlation.csv"));
        java.util.List<String> b = Files.readAllLines(cl.resolve("correlation.csv"));
        assertThat(b).hasSameSizeAs(a);
        for (int i = 1; i < a.size(); i++) {
            String[] x = a.get(i).split(",");
            String[] y = b.get(i).split(",");
            for (int j = 0; j < x.length; j++) {
                if (x[j].matches("-?[0-9.]+(E-?[0-9]+)?")) {
                    assertThat(Double.parseDouble(y[j])).as("correlation.csv line %d, column %d", i, j)
                            .isCloseTo(Double.parseDouble(x[j]), org.assertj.core.api.Assertions.within(1e-3));
                } else {
                    assertThat(y[j]).isEqualTo(x[j]);
                }
            }
        }
    }

    @Test
    void wrongCheckpointKindsAndBadOptionsFailInOneLine() {
        Path out = dir.resolve("bad");
        CliTest.Run t = CliTest.run("analyze", "two-images", "--data", data.toString(), "--checkpoint", cls,
                "--out", out.toString());
        assertThat(t.exit()).isEqualTo(2);
        assertThat(t.err()).startsWith("error: ").contains("no position head").hasLineCount(1);
        CliTest.Run a = CliTest.run("analyze", "attention", "--data", data.toString(), "--checkpoint", cls,
                "--etas", "0.5", "--out", out.toString());
        assertThat(a.exit()).isEqualTo(2);
        assertThat(a.err()).contains("classifier").hasLineCount(1);
        CliTest.Run i = CliTest.run("analyze", "two-images", "--data", data.toString(), "--checkpoint", pre,
                "--images", "0,99", "--out", out.toString());
        assertThat(i.err()).contains("outside the 16 test images").hasLineCount(1);
        CliTest.Run m = CliTest.run("analyze", "knn", "--data", data.toString(), "--checkpoint",
                dir.resolve("missing.safetensors").toString(), "--out", out.toString());
        assertThat(m.exit()).isEqualTo(2);
        assertThat(m.err()).hasLineCount(1);
    }
}
