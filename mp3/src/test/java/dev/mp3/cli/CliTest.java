package dev.mp3.cli;

import dev.mp3.train.Checkpoint;
import dev.mp3.train.ImageRecipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vision commands as a user runs them, on a tiny generated Fashion-MNIST-format directory:
 * the whole pretrain, finetune, train, eval, reconstruct chain, resume, and the one-line errors
 * with a non-zero exit for bad input.
 */
class CliTest {
    @TempDir
    static Path dir;
    static Path data;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** 96 train and 32 test 28x28 images in 10 classes, as gz IDX files named like Fashion-MNIST's. */
    @BeforeAll
    static void writeData() throws Exception {
        data = TinyFashionMnist.write(dir.resolve("fmnist"), 96, 32, 28, 5);
    }

    @Test
    void pretrainFinetuneTrainEvalReconstructEndToEnd() {
        Path pt = dir.resolve("pt");
        Run pre = run("pretrain", "--data", data.toString(), "--model", "demo", "--epochs", "2", "--batch", "16",
                "--eta", "0.5", "--out", pt.toString());
        assertThat(pre.exit()).as(pre.err()).isZero();
        assertThat(pre.out()).contains("position accuracy").contains("eta 0.50");
        assertThat(pt.resolve("checkpoint.safetensors")).exists();
        assertThat(pt.resolve("pretrain-history.csv")).exists();
        assertThat(pt.resolve("config.json")).exists();

        Path ft = dir.resolve("ft");
        Run fine = run("finetune", "--data", data.toString(), "--init", pt.resolve("checkpoint.safetensors").toString(),
                "--pe", "none", "--epochs", "2", "--batch", "16", "--out", ft.toString());
        assertThat(fine.exit()).as(fine.err()).isZero();
        assertThat(fine.out()).contains("test accuracy");
        assertThat(ft.resolve("metrics.json")).exists();

        Run train = run("train", "--data", data.toString(), "--model", "demo", "--pe", "rel2d", "--epochs", "1",
                "--batch", "16", "--label-fraction", "0.5", "--out", dir.resolve("tr").toString());
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.out()).contains("48 labelled images");

        Run eval = run("eval", "--data", data.toString(), "--checkpoint", ft.resolve("checkpoint.safetensors").toString());
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("top-1 accuracy");

        Path png = dir.resolve("rec.png");
        Run rec = run("reconstruct", "--data", data.toString(), "--checkpoint", pt.resolve("checkpoint.safetensors").toString(),
                "--out", png.toString(), "--images", "0,1");
        assertThat(rec.exit()).as(rec.err()).isZero();
        assertThat(png).exists();
    }

    @Test
    void anUnwritableRunFolderIsOneLineAndVerboseAddsTheStackTrace() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "not a folder");
        String[] args = {"pretrain", "--data", data.toString(), "--model", "demo", "--epochs", "1", "--batch", "16",
                "--out", file.resolve("run").toString()};
        Run plain = run(args);
        assertThat(plain.exit()).isEqualTo(2);
        assertThat(plain.err()).startsWith("error: " + file).doesNotContain("\tat ");
        assertThat(plain.err().lines().count()).isEqualTo(1);
        String[] verbose = java.util.Arrays.copyOf(args, args.length + 1);
        verbose[args.length] = "--verbose";
        Run loud = run(verbose);
        assertThat(loud.exit()).isEqualTo(2);
        assertThat(loud.err()).startsWith("error: " + file).contains("\tat ");
    }

    @Test
    void devicesListsTheCpuAndEveryOpenClDevice() {
        Run devices = run("devices");
        assertThat(devices.exit()).as(devices.err()).isZero();
        assertThat(devices.out()).startsWith("cpu: ").contains("opencl");
    }

    @Test
    void resumeContinuesFromTheRunFolder() throws Exception {
        Path pt = dir.resolve("resume");
        assertThat(run("pretrain", "--data", data.toString(), "--model", "demo", "--epochs", "1", "--batch", "16",
                "--out", pt.toString()).exit()).isZero();
        String history = Files.readString(pt.resolve("pretrain-history.csv"));
        assertThat(history.lines()).hasSize(2);   // the header and the one epoch's row
        // --data, like every recipe option, is the run's own when left out.
        Run again = run("pretrain", "--resume", "--out", pt.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("resuming " + pt.resolve("checkpoint.safetensors") + " at update 6 of 6")
                .contains("MP3 pretraining on fashion-mnist-train: 96 images");
        // A finished run resumed: no update taken, every row of its history still there.
        assertThat(pt.resolve("pretrain-history.csv")).hasContent(history);
        Checkpoint c = Checkpoint.load(pt.resolve("checkpoint.safetensors"));
        assertThat(c.run()).containsEntry("data", data.toString()).containsEntry("model", "demo");
        assertThat(c.version()).isEqualTo(Checkpoint.CODE_VERSION);
    }

    @Test
    void anOutFolderThatHoldsARunIsOnlyResumedOrStartedOver() throws Exception {
        Path out = dir.resolve("taken");
        String[] args = {"pretrain", "--data", data.toString(), "--model", "demo", "--epochs", "1", "--batch", "16",
                "--checkpoint-every", "4", "--out", out.toString()};
        assertThat(run(args).exit()).isZero();
        Path ckpt = out.resolve("checkpoint.safetensors");
        assertThat(Checkpoint.load(out.resolve("checkpoint.previous.safetensors")).step()).isEqualTo(4);

        Run again = run(args);
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("error: --out " + out + " already holds a run (" + ckpt + "); add --resume"
                + " to continue it, or --force to start over and replace it" + System.lineSeparator());

        Run both = run("pretrain", "--resume", "--force", "--out", out.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--resume and --force contradict each other");

        Run none = run("pretrain", "--resume", "--out", dir.resolve("empty").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--resume: " + dir.resolve("empty") + " holds no run to continue");

        // --force: a new run (another seed) replaces the old one; the old previous checkpoint goes with it.
        Run force = run("pretrain", "--data", data.toString(), "--model", "demo", "--epochs", "1", "--batch", "16",
                "--seed", "7", "--out", out.toString(), "--force");
        assertThat(force.exit()).as(force.err()).isZero();
        assertThat(Checkpoint.load(ckpt).recipe(ImageRecipe.class).seed()).isEqualTo(7);
        assertThat(out.resolve("checkpoint.previous.safetensors")).doesNotExist();
    }

    @Test
    void resumeRefusesAnOptionThatDiffersFromTheRunsOwn() {
        Path pt = dir.resolve("differ");
        assertThat(run("pretrain", "--data", data.toString(), "--model", "demo", "--epochs", "1", "--batch", "16",
                "--eta", "0.5", "--out", pt.toString()).exit()).isZero();
        Path ckpt = pt.resolve("checkpoint.safetensors");

        Run lr = run("pretrain", "--resume", "--out", pt.toString(), "--lr", "0.002");
        assertThat(lr.exit()).isEqualTo(2);
        assertThat(lr.err()).isEqualTo("error: --resume: --lr 0.002 differs from the run's 0.004 (recorded in "
                + ckpt + "); leave out --lr to continue the run, or start it over with --force"
                + System.lineSeparator());
        assertThat(run("pretrain", "--resume", "--out", pt.toString(), "--eta", "0.75").err())
                .contains("--eta 0.75 differs from the run's 0.5");
        assertThat(run("pretrain", "--resume", "--out", pt.toString(), "--data", "embedded").err())
                .contains("--data embedded differs from the run's " + data + " (recorded in");
        assertThat(run("pretrain", "--resume", "--out", pt.toString(), "--model", "fmnist").err())
                .contains("--model fmnist differs from the run's demo");
        assertThat(run("pretrain", "--resume", "--out", pt.toString(), "--seed", "1").err())
                .contains("--seed 1 differs from the run's 0");

        // The run's own values, given again (a relative --data naming the same folder too), are fine.
        Path relative = Path.of("").toAbsolutePath().relativize(data);
        Run same = run("pretrain", "--resume", "--out", pt.toString(), "--data", relative.toString(), "--model", "demo",
                "--epochs", "1", "--batch", "16", "--eta", "0.5", "--lr", "4e-3", "--seed", "0");
        assertThat(same.exit()).as(same.err()).isZero();

        Path tr = dir.resolve("differ-train");
        assertThat(run("train", "--data", data.toString(), "--model", "demo", "--pe", "rel2d", "--epochs", "1",
                "--batch", "16", "--label-fraction", "0.5", "--out", tr.toString()).exit()).isZero();
        assertThat(run("train", "--resume", "--out", tr.toString(), "--label-fraction", "0.25").err())
                .contains("--label-fraction 0.25 differs from the run's 0.5");
        assertThat(run("train", "--resume", "--out", tr.toString(), "--pe", "abs").err())
                .contains("--pe abs differs from the run's rel2d");
        Run train = run("train", "--resume", "--out", tr.toString(), "--label-fraction", "0.50", "--pe", "rel2d");
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.out()).contains("48 labelled images");
        assertThat(run("pretrain", "--resume", "--out", tr.toString()).err())
                .contains(tr.resolve("checkpoint.safetensors") + " is a classification run; resume it with finetune"
                        + " or train");
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToTheOlderOne() throws Exception {
        Path pt = dir.resolve("damaged");
        assertThat(run("pretrain", "--data", data.toString(), "--model", "demo", "--epochs", "2", "--batch", "16",
                "--checkpoint-every", "3", "--out", pt.toString()).exit()).isZero();
        Path ckpt = pt.resolve("checkpoint.safetensors");
        Path previous = pt.resolve("checkpoint.previous.safetensors");
        Checkpoint intact = Checkpoint.load(ckpt);
        assertThat(intact.step()).isEqualTo(12);
        assertThat(Checkpoint.load(previous).step()).isEqualTo(9);
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length - 1] ^= 1;
        Files.write(ckpt, bytes);

        Run resumed = run("pretrain", "--resume", "--out", pt.toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out()).containsPattern("warning: checkpoint " + Pattern.quote(ckpt.toString())
                + " is damaged \\(its contents give checksum crc32c:[0-9a-f]{8}, the file records crc32c:[0-9a-f]{8}\\)"
                + "; moved it to checkpoint.damaged.safetensors and resuming from the older "
                + Pattern.quote(previous.toString()) + " at update 9 of 12\\R");
        assertThat(pt.resolve("checkpoint.damaged.safetensors")).exists();
        // The three updates again from update 9 end exactly where the undamaged file was.
        Checkpoint again = Checkpoint.load(ckpt);
        assertThat(again.step()).isEqualTo(12);
        intact.modelState().forEach((name, t) -> assertThat(again.modelState().get(name).toFloatArray()).as(name)
                .containsExactly(t.toFloatArray()));
        assertThat(again.progress().history().stream().map(r -> List.of(r.step(), r.trainLoss(), r.lr())).toList())
                .isEqualTo(intact.progress().history().stream().map(r -> List.of(r.step(), r.trainLoss(), r.lr()))
                        .toList())
                .hasSize(2);
        assertThat(Checkpoint.load(previous).step()).isEqualTo(9);

        // Damaged, with nothing older to fall back to: one line, and the run is not touched.
        Files.delete(previous);
        Files.write(ckpt, bytes);
        Run fails = run("pretrain", "--resume", "--out", pt.toString());
        assertThat(fails.exit()).isEqualTo(2);
        assertThat(fails.err()).startsWith("error: checkpoint " + ckpt + " is damaged (its contents give checksum")
                .endsWith("), and there is no older checkpoint.previous.safetensors to resume from; start the run"
                        + " over with --force" + System.lineSeparator());
        assertThat(fails.err().lines()).hasSize(1);
    }

    @Test
    void badInputGivesOneLineAndANonZeroExit() {
        Run eta = run("pretrain", "--data", data.toString(), "--model", "demo", "--eta", "1.5", "--out", dir.resolve("x").toString());
        assertThat(eta.exit()).isNotZero();
        assertThat(eta.err()).contains("eta").doesNotContain("\tat ");

        Run pe = run("train", "--data", data.toString(), "--pe", "sideways");
        assertThat(pe.exit()).isNotZero();
        assertThat(pe.err()).contains("--pe").contains("sideways").contains("expected abs, rel2d, sincos or none");

        Run model = run("train", "--data", data.toString(), "--model", "huge");
        assertThat(model.exit()).isNotZero();
        assertThat(model.err()).contains("--model").contains("huge");

        Run missingData = run("train", "--data", dir.resolve("nowhere").toString());
        assertThat(missingData.exit()).isNotZero();
        assertThat(missingData.err()).contains("nowhere").contains("no such folder");

        Run missingCkpt = run("finetune", "--data", data.toString(), "--init", dir.resolve("none.safetensors").toString());
        assertThat(missingCkpt.exit()).isNotZero();
        assertThat(missingCkpt.err()).contains("none.safetensors").contains("not found");

        Run unknownOption = run("pretrain", "--frobnicate");
        assertThat(unknownOption.exit()).isNotZero();
        assertThat(unknownOption.err()).contains("--frobnicate").contains("(see ./mp3.sh pretrain --help)");
        assertThat(unknownOption.err().lines().count()).isEqualTo(1);

        Run device = run("train", "--data", data.toString(), "--device", "tpu");
        assertThat(device.exit()).isNotZero();
        assertThat(device.err()).contains("tpu").contains("known types");
    }

    @Test
    void aCorruptDatasetFileIsNamedInTheError() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(data.resolve(f), bad.resolve(f));
        }
        byte[] truncated = Files.readAllBytes(bad.resolve("train-labels-idx1-ubyte.gz"));
        Files.write(bad.resolve("train-labels-idx1-ubyte.gz"), java.util.Arrays.copyOf(truncated, truncated.length / 2));
        Run r = run("train", "--data", bad.toString(), "--model", "demo");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("train-labels-idx1-ubyte.gz");
    }
}
