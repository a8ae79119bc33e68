package dev.mp3.cli;

import dev.mp3.nn.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.mp3.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An image-folder run as a user starts it: a generated tree of real PNG and JPEG files of several
 * sizes, pretrained and trained with DeiT's augmentation at {@code --image-size 16}; a corrupt file
 * stops the run naming it, or is skipped with {@code --on-bad-image skip}.
 */
class FolderCliTest {
    @TempDir
    static Path dir;
    static Path tree;

    @BeforeAll
    static void writeTree() throws Exception {
        tree = dir.resolve("photos");
        String[] classes = {"circle", "stripes", "blank"};
        for (String split : new String[] {"train", "val"}) {
            int count = split.equals("train") ? 12 : 4;
            for (int c = 0; c < classes.length; c++) {
                Path folder = tree.resolve(split).resolve(classes[c]);
                Files.createDirectories(folder);
                for (int i = 0; i < count; i++) {
                    int w = 18 + i % 5;
                    int h = 20 + i % 3;
                    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            int v = switch (c) {
                                case 0 -> (x - w / 2) * (x - w / 2) + (y - h / 2) * (y - h / 2) < 30 ? 230 : 20;
                                case 1 -> (x / 3) % 2 == 0 ? 200 : 40;
                                default -> 120 + i;
                            };
                            img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (v / 2));
                        }
                    }
                    String format = i % 2 == 0 ? "png" : "jpg";
                    ImageIO.write(img, format, folder.resolve("img" + i + "." + format).toFile());
                }
            }
        }
    }

    @Test
    void pretrainAndTrainOnAFolderOfPngAndJpegFiles() throws Exception {
        Path pt = dir.resolve("pt");
        CliTest.Run pre = run("pretrain", "--data", "folder:" + tree, "--image-size", "16", "--recipe",
                "cifar100-vits", "--dim", "16", "--depth", "1", "--heads", "2", "--epochs", "1", "--batch", "12",
                "--out", pt.toString());
        assertThat(pre.exit()).as(pre.err()).isZero();
        assertThat(pre.out()).contains("36 images");

        Path tr = dir.resolve("tr");
        CliTest.Run train = run("train", "--data", "folder:" + tree, "--image-size", "16", "--recipe",
                "cifar100-vits", "--dim", "16", "--depth", "1", "--heads", "2", "--epochs", "2", "--batch", "12",
                "--out", tr.toString());
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.out()).contains("test accuracy").contains("on 12 images");
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                Files.readString(tr.resolve("config.json")))).get("model");
        assertThat(((Number) model.get("imageSize")).intValue()).isEqualTo(16);
        assertThat(((Number) model.get("channels")).intValue()).isEqualTo(3);
        assertThat(((Number) model.get("numClasses")).intValue()).isEqualTo(3);
    }

    @Test
    void aCorruptFileIsNamedOrSkipped() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad.resolve("train/a"));
        Files.createDirectories(bad.resolve("train/b"));
        Files.createDirectories(bad.resolve("val/a"));
        Files.createDirectories(bad.resolve("val/b"));
        for (String sub : new String[] {"train/a", "train/b", "val/a", "val/b"}) {
            for (int i = 0; i < 4; i++) {
                Files.copy(tree.resolve("train/circle/img" + (2 * i) + ".png"), bad.resolve(sub + "/x" + i + ".png"));
            }
        }
        Files.write(bad.resolve("train/a/broken.jpg"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String[] args = {"train", "--data", "folder:" + bad, "--image-size", "8", "--model", "demo", "--patch", "4", "--epochs", "1",
                "--batch", "4", "--out", dir.resolve("badrun").toString()};
        CliTest.Run fail = run(args);
        assertThat(fail.exit()).isEqualTo(2);
        assertThat(fail.err()).contains("broken.jpg").contains("--on-bad-image skip").doesNotContain("\tat ");

        String[] skip = java.util.Arrays.copyOf(args, args.length + 2);
        skip[args.length] = "--on-bad-image";
        skip[args.length + 1] = "skip";
        skip[skip.length - 3] = dir.resolve("skiprun").toString();
        CliTest.Run ok = run(skip);
        assertThat(ok.exit()).as(ok.err()).isZero();   // the warning naming broken.jpg goes to the process's stderr
        assertThat(ok.out()).contains("8 labelled images");
    }
}
