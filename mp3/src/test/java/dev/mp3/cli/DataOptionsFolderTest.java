package dev.mp3.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.data.ImageFolder;
import dev.mp3.data.Splits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data folder:/tinyimagenet:/imagenet:}, {@code --image-size} and {@code --on-bad-image}. */
class DataOptionsFolderTest {

    @TempDir
    Path root;

    private static DataOptions options(String source, Integer imageSize, String onBadImage) {
        DataOptions d = new DataOptions();
        d.source = source;
        d.imageSize = imageSize;
        d.onBadImage = onBadImage;
        return d;
    }

    @Test
    void folderSourcesAreMadeAbsolute() {
        String here = Path.of("").toAbsolutePath().toString();
        assertThat(DataOptions.canonical("folder:pets")).isEqualTo("folder:" + here + "/pets");
        assertThat(DataOptions.canonical("tinyimagenet:./t/../tiny")).isEqualTo("tinyimagenet:" + here + "/tiny");
        assertThat(DataOptions.canonical("imagenet:/data/imagenet/")).isEqualTo("imagenet:/data/imagenet");
        assertThat(DataOptions.isFolder("imagenet:/x")).isTrue();
        assertThat(DataOptions.isFolder("cifar10:/x")).isFalse();
    }

    @Test
    void imageSizeDefaultsBySource() {
        assertThat(options("tinyimagenet:/t", null, "fail").imageSize()).isEqualTo(ImageFolder.TINY_IMAGENET_SIZE);
        assertThat(options("imagenet:/i", null, "fail").imageSize()).isEqualTo(224);
        assertThat(options("folder:/f", null, "fail").imageSize()).isEqualTo(224);
        assertThat(options("folder:/f", 96, "fail").imageSize()).isEqualTo(96);
        assertThatThrownBy(() -> options("folder:/f", -1, "fail").imageSize()).hasMessageContaining("--image-size -1");
    }

    @Test
    void onBadImageIsSkipOrFail() {
        assertThat(options("folder:/f", null, "SKIP").badImages()).isEqualTo(ImageFolder.BadImages.SKIP);
        assertThat(options("folder:/f", null, "fail").badImages()).isEqualTo(ImageFolder.BadImages.FAIL);
        assertThatThrownBy(() -> options("folder:/f", null, "ignore").badImages())
                .hasMessage("--on-bad-image 'ignore': expected skip or fail");
    }

    @Test
    void loadsAFolderAndRejectsImageSizeForFixedSizeData() throws IOException {
        for (String split : new String[] {"train", "val"}) {
            Path file = root.resolve("d/" + split + "/cls/a.png");
            Files.createDirectories(file.getParent());
            ImageIO.write(new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
        }
        Files.write(root.resolve("d/train/cls/bad.jpg"), new byte[] {1, 2, 3});
        Splits s = options("folder:" + root.resolve("d"), 48, "skip").load();
        assertThat(s.train().size()).isEqualTo(1);
        assertThat(s.train().height()).isEqualTo(48);
        assertThat(s.test().size()).isEqualTo(1);
        assertThatThrownBy(() -> options("folder:" + root.resolve("d"), 48, "fail").load())
                .hasMessageContaining("bad.jpg").hasMessageContaining("--on-bad-image skip");
        assertThatThrownBy(() -> options("embedded", 48, "fail").load()).hasMessageContaining("--image-size is for");
        assertThatThrownBy(() -> options("imagenet:" + root.resolve("none"), null, "fail").load())
                .hasMessageContaining("is not a directory").hasMessageContaining("imagenet:DIR");
    }
}
