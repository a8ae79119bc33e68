package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mp3.data.ImageFolder.BadImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path root;

    private final List<String> warnings = new ArrayList<>();

    // --- writing real files -------------------------------------------------------------------

    /** Sample c of pixel (y, x) in image {@code seed}'s RGB test pattern. */
    static int pattern(int seed, int c, int y, int x) {
        return (seed * 37 + c * 71 + y * 13 + x * 29) & 0xFF;
    }

    static void rgbPng(Path file, int seed, int w, int h) throws IOException {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, pattern(seed, 0, y, x) << 16 | pattern(seed, 1, y, x) << 8 | pattern(seed, 2, y, x));
            }
        }
        write(b, "png", file);
    }

    /** Grey PNG whose value at (y, x) is {@code pattern(seed, 0, y, x)}. */
    static void greyPng(Path file, int seed, int w, int h) throws IOException {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.getRaster().setSample(x, y, 0, pattern(seed, 0, y, x));
            }
        }
        write(b, "png", file);
    }

    /** PNG with an alpha channel: transparency varies, colours follow the pattern. */
    static void rgbaPng(Path file, int seed, int w, int h) throws IOException {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int alpha = (x * 50 + 5) & 0xFF;
                b.setRGB(x, y, alpha << 24 | pattern(seed, 0, y, x) << 16 | pattern(seed, 1, y, x) << 8
                        | pattern(seed, 2, y, x));
            }
        }
        write(b, "png", file);
    }

    /** A JPEG of one flat colour, which JPEG keeps to within a few levels. */
    static void flatJpeg(Path file, int rgb, int w, int h) throws IOException {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, rgb);
            }
        }
        write(b, "jpeg", file);
    }

    private static void write(BufferedImage b, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(b, format, file.toFile())) {
            throw new IOException("no " + format + " writer");
        }
    }

    private static void assertPattern(Image image, int seed, int w, int h) {
        assertThat(image.channels()).isEqualTo(3);
        assertThat(image.width()).isEqualTo(w);
        assertThat(image.height()).isEqualTo(h);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertThat(image.at(c, y, x)).as("(%d, %d, %d)", c, y, x).isEqualTo(pattern(seed, c, y, x));
                }
            }
        }
    }

    private static void assertFlat(Image image, int rgb, int tolerance) {
        for (int c = 0; c < 3; c++) {
            int expected = rgb >> (16 - 8 * c) & 0xFF;
            for (int k = 0; k < image.plane(); k++) {
                assertThat(image.pixels()[c * image.plane() + k] & 0xFF).isBetween(expected - tolerance, expected + tolerance);
            }
        }
    }

    /** train/cat: a.png (RGB 5x4), b.JPG (flat 8x6); train/dog: c.png (grey 3x3), d.jpeg, notes.txt; val/ one each. */
    private Path genericTree(String testFolder) throws IOException {
        Path d = root.resolve("pets");
        rgbPng(d.resolve("train/cat/a.png"), 1, 5, 4);
        flatJpeg(d.resolve("train/cat/b.JPG"), 0xC86432, 8, 6);
        greyPng(d.resolve("train/dog/c.png"), 2, 3, 3);
        flatJpeg(d.resolve("train/dog/d.jpeg"), 0x1E90FF, 7, 9);
        Files.writeString(d.resolve("train/dog/notes.txt"), "not an image");
        Files.writeString(d.resolve("train/dog/.hidden.jpg"), "macOS leftovers");
        rgbaPng(d.resolve(testFolder + "/dog/e.PNG"), 3, 4, 2);
        rgbPng(d.resolve(testFolder + "/cat/f.png"), 4, 6, 6);
        return d;
    }

    // --- layouts ----------------------------------------------------------------------------

    @Test
    void genericFolderReadsClassesLabelsSizesAndExactPngPixels() throws IOException {
        Splits s = ImageFolder.folder(genericTree("val"), 32, BadImages.FAIL, warnings::add);
        ImageDataset train = s.train();
        assertThat(train.name()).isEqualTo("pets-train");
        assertThat(train.classNames()).containsExactly("cat", "dog");
        assertThat(train.labels()).containsExactly(0, 0, 1, 1);
        assertThat(train.inMemory()).isFalse();
        assertThat(train.channels()).isEqualTo(3);
        assertThat(train.height()).isEqualTo(32);
        assertThat(train.width()).isEqualTo(32);
        assertThat(train.normalization()).isEqualTo(Normalization.IMAGENET);

        assertPattern(train.image(0), 1, 5, 4);
        Image jpeg = train.image(1);
        assertThat(new int[] {jpeg.height(), jpeg.width()}).containsExactly(6, 8);
        assertFlat(jpeg, 0xC86432, 6);
        Image grey = train.image(2);
        assertThat(grey.channels()).isEqualTo(3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    assertThat(grey.at(c, y, x)).isEqualTo(pattern(2, 0, y, x));
                }
            }
        }
        assertFlat(train.image(3), 0x1E90FF, 6);

        ImageDataset val = s.test();
        assertThat(val.name()).isEqualTo("pets-val");
        assertThat(val.classNames()).containsExactly("cat", "dog");
        assertThat(val.labels()).containsExactly(0, 1);
        assertPattern(val.image(0), 4, 6, 6);
        assertPattern(val.image(1), 3, 4, 2);   // alpha dropped, colours exact
        assertThat(warnings).isEmpty();
    }

    @Test
    void genericFolderTakesTestWhenThereIsNoVal() throws IOException {
        Splits s = ImageFolder.folder(genericTree("test"), 224, BadImages.FAIL);
        assertThat(s.test().name()).isEqualTo("pets-test");
        assertThat(s.test().size()).isEqualTo(2);
    }

    @Test
    void tinyImageNetLayout() throws IOException {
        Path d = root.resolve("tiny-imagenet-200");
        Files.createDirectories(d);
        Files.writeString(d.resolve("wnids.txt"), "n02\nn01\n");   // file order, not sorted
        Files.writeString(d.resolve("words.txt"), "n01\tgoldfish, Carassius auratus\nn99\tunused\n");
        rgbPng(d.resolve("train/n02/images/n02_0.JPEG.png"), 5, 64, 64);
        flatJpeg(d.resolve("train/n02/images/n02_1.JPEG"), 0x808080, 64, 64);
        Files.writeString(d.resolve("train/n02/n02_boxes.txt"), "n02_0.JPEG\t0\t0\t10\t10\n");
        flatJpeg(d.resolve("train/n01/images/n01_0.JPEG"), 0xFF8000, 64, 64);
        flatJpeg(d.resolve("val/images/val_0.JPEG"), 0xFF8000, 64, 64);
        rgbPng(d.resolve("val/images/val_1.png"), 6, 64, 64);
        flatJpeg(d.resolve("val/images/val_2.JPEG"), 0x000000, 64, 64);   // not annotated: ignored
        Files.writeString(d.resolve("val/val_annotations.txt"),
                "val_1.png\tn02\t0\t0\t63\t63\nval_0.JPEG\tn01\t1\t2\t3\t4\n");

        // The parent folder works too, as the archive unpacks into tiny-imagenet-200/.
        Splits s = ImageFolder.tinyImageNet(root, ImageFolder.TINY_IMAGENET_SIZE, BadImages.FAIL, warnings::add);
        assertThat(s.train().classNames()).containsExactly("n02", "goldfish");
        assertThat(s.train().labels()).containsExactly(0, 0, 1);
        assertThat(s.train().height()).isEqualTo(64);
        assertPattern(s.train().image(0), 5, 64, 64);
        assertFlat(s.train().image(2), 0xFF8000, 6);
        assertThat(s.test().name()).isEqualTo("tinyimagenet-val");
        assertThat(s.test().labels()).containsExactly(1, 0);   // val_0.JPEG, val_1.png: sorted by name
        assertFlat(s.test().image(0), 0xFF8000, 6);
        assertPattern(s.test().image(1), 6, 64, 64);

        Files.writeString(d.resolve("val/val_annotations.txt"), "val_0.JPEG\tn07\t1\t2\t3\t4\n");
        assertThatThrownBy(() -> ImageFolder.tinyImageNet(d, 64, BadImages.FAIL))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("val_annotations.txt line 1")
                .hasMessageContaining("wnid 'n07' is not in wnids.txt");

        Files.delete(d.resolve("wnids.txt"));
        assertThatThrownBy(() -> ImageFolder.tinyImageNet(d, 64, BadImages.FAIL))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no wnids.txt; expected the unpacked tiny-imagenet-200 folder");
    }

    @Test
    void imageNetLayout() throws IOException {
        Path d = root.resolve("imagenet");
        flatJpeg(d.resolve("train/n01440764/n01440764_10026.JPEG"), 0x336699, 20, 10);
        flatJpeg(d.resolve("train/n01440764/n01440764_10027.JPEG"), 0x336699, 10, 20);
        flatJpeg(d.resolve("train/n01443537/n01443537_1.JPEG"), 0x996633, 16, 16);
        flatJpeg(d.resolve("val/n01443537/ILSVRC2012_val_00000001.JPEG"), 0x996633, 16, 16);
        Splits s = ImageFolder.imageNet(d, ImageFolder.IMAGENET_SIZE, BadImages.FAIL, warnings::add);
        assertThat(s.train().classNames()).containsExactly("n01440764", "n01443537");
        assertThat(s.train().labels()).containsExactly(0, 0, 1);
        assertThat(s.train().height()).isEqualTo(224);
        assertThat(s.test().name()).isEqualTo("imagenet-val");
        assertThat(s.test().labels()).containsExactly(1);
        Image first = s.train().image(0);
        assertThat(new int[] {first.height(), first.width()}).containsExactly(10, 20);

        flatJpeg(d.resolve("val/n09999999/x.JPEG"), 0, 8, 8);
        assertThatThrownBy(() -> ImageFolder.imageNet(d, 224, BadImages.FAIL))
                .hasMessageContaining("class 'n09999999' has no folder in");
    }

    @Test
    void missingFoldersAndEmptyClassesSayWhatWasExpected() throws IOException {
        Path flat = root.resolve("flat");
        rgbPng(flat.resolve("cat/a.png"), 1, 2, 2);
        assertThatThrownBy(() -> ImageFolder.folder(flat, 224, BadImages.FAIL))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("has no train/ folder")
                .hasMessageContaining("DIR/val/");
        // ... which loads as one split on its own.
        ImageDataset one = ImageFolder.classFolders(flat, "flat", 16, BadImages.FAIL);
        assertThat(one.size()).isEqualTo(1);

        Files.createDirectories(root.resolve("nothing/train"));
        Files.createDirectories(root.resolve("nothing/val"));
        assertThatThrownBy(() -> ImageFolder.folder(root.resolve("nothing"), 224, BadImages.FAIL))
                .hasMessageContaining("no class folders");

        Path d = genericTree("val");
        Files.createDirectories(d.resolve("train/emu"));
        assertThatThrownBy(() -> ImageFolder.folder(d, 224, BadImages.FAIL))
                .hasMessageContaining("emu: class folder with no images");

        assertThatThrownBy(() -> ImageFolder.folder(root.resolve("absent"), 224, BadImages.FAIL))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ImageFolder.imageNet(root.resolve("flat"), 224, BadImages.FAIL))
                .hasMessageContaining("has no train/ folder");
        assertThatThrownBy(() -> ImageFolder.folder(d, 0, BadImages.FAIL)).hasMessageContaining("image size 0");
    }

    // --- bad files ---------------------------------------------------------------------------

    /** The generic tree plus x.jpg of random bytes and a PNG cut in half. */
    private Path treeWithBadFiles() throws IOException {
        Path d = genericTree("val");
        byte[] noise = new byte[500];
        new Random(7).nextBytes(noise);
        Files.write(d.resolve("train/cat/x.jpg"), noise);
        Path whole = d.resolve("train/dog/half.png");
        rgbPng(whole, 9, 30, 30);
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(whole, Arrays.copyOf(bytes, bytes.length / 2));
        return d;
    }

    @Test
    void skipLeavesBadFilesOutWithAWarningEach() throws IOException {
        Path d = treeWithBadFiles();
        Splits s = ImageFolder.folder(d, 64, BadImages.SKIP, warnings::add);
        assertThat(s.train().size()).isEqualTo(4);
        assertThat(s.train().labels()).containsExactly(0, 0, 1, 1);
        assertPattern(s.train().image(0), 1, 5, 4);
        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).contains(d.resolve("train/cat/x.jpg").toString()).contains("not a JPEG or PNG");
        assertThat(warnings.get(1)).contains(d.resolve("train/dog/half.png").toString()).contains("truncated PNG");
        assertThat(warnings.get(2)).contains("pets-train: skipped 2 of 6 files");
    }

    @Test
    void failNamesTheFileAndTheWayOut() throws IOException {
        Path d = treeWithBadFiles();
        assertThatThrownBy(() -> ImageFolder.folder(d, 64, BadImages.FAIL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(d.resolve("train/cat/x.jpg").toString() + ": not a JPEG or PNG image")
                .hasMessageContaining("(and 1 more bad files in")
                .hasMessageContaining("--on-bad-image skip")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aFileSpoiledAfterLoadingFailsWhenReadNamingIt() throws IOException {
        Splits s = ImageFolder.folder(genericTree("val"), 64, BadImages.FAIL);
        Path a = root.resolve("pets/train/cat/a.png");
        Files.write(a, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> s.train().image(0))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(a.toString());
    }

    @Test
    void loadingReadsHeadersOnlyNotPixels() throws IOException {
        Path d = genericTree("val");
        // Spoil the compressed pixel data of a.png but keep its header and IEND chunk intact: loading
        // still succeeds, so it cannot have decoded the image; reading it then fails.
        Path a = d.resolve("train/cat/a.png");
        byte[] bytes = Files.readAllBytes(a);
        int idat = indexOf(bytes, "IDAT".getBytes());
        for (int k = idat + 4; k < bytes.length - 12; k++) {
            bytes[k] = (byte) 0xFF;
        }
        Files.write(a, bytes);
        Splits s = ImageFolder.folder(d, 64, BadImages.FAIL);
        assertThat(s.train().size()).isEqualTo(4);
        assertThatThrownBy(() -> s.train().image(0)).hasMessageContaining(a.toString());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    // --- dataset operations on files ----------------------------------------------------------

    @Test
    void subsetsAndLabelFractionsAreViewsOfTheSameFiles() throws IOException {
        Path d = root.resolve("many");
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < 4; k++) {
                rgbPng(d.resolve("train/class" + c + "/img" + k + ".png"), c * 10 + k, 3, 2);
            }
            rgbPng(d.resolve("val/class" + c + "/v.png"), 99, 3, 2);
        }
        ImageDataset train = ImageFolder.folder(d, 8, BadImages.FAIL).train();

        ImageDataset sub = train.subset(new int[] {6, 1});
        assertThat(sub.inMemory()).isFalse();
        assertThat(sub.labels()).containsExactly(1, 0);
        assertPattern(sub.image(0), 12, 3, 2);
        assertPattern(sub.image(1), 1, 3, 2);
        assertPattern(sub.subset(new int[] {1}).image(0), 1, 3, 2);   // a view of a view

        ImageDataset half = train.labelFraction(0.5, 42);
        assertThat(half.classCounts()).containsExactly(2, 2);
        assertThat(half.height()).isEqualTo(8);
        for (int i = 0; i < half.size(); i++) {
            int seed = -1;
            for (int s = 0; s < 14; s++) {
                if (half.image(i).at(0, 0, 0) == pattern(s, 0, 0, 0) && half.image(i).at(1, 1, 2) == pattern(s, 1, 1, 2)) {
                    seed = s;
                }
            }
            assertThat(seed / 10).as("image %d's class", i).isEqualTo(half.label(i));
        }
        assertThat(train.firstPerClass(1).labels()).containsExactly(0, 1);
        assertThat(train.withName("x").name()).isEqualTo("x");
        assertThat(train.withNormalization(Normalization.unitRange(3)).normalization())
                .isEqualTo(Normalization.unitRange(3));
        assertThatThrownBy(train::pixels).isInstanceOf(IllegalStateException.class).hasMessageContaining("image(i)");
        // A stored 3x2x3 file is shown at the dataset's 3x8x8 as evaluation sees it: resized, centre-cropped.
        Image stored = train.image(0);
        assertThat(stored.height()).isEqualTo(2);
        assertThat(train.imageBytes(0)).containsExactly(ImageDataset.fit(stored, 8, 8).pixels());
        assertThat(ImageDataset.fit(stored, 8, 8).height()).isEqualTo(8);
    }

    @Test
    void imageBytesPixelAndMeasureWorkForFilesAtTheDatasetSize() throws IOException {
        Path d = root.resolve("exact");
        rgbPng(d.resolve("train/a/0.png"), 0, 4, 4);
        rgbPng(d.resolve("train/b/1.png"), 1, 4, 4);
        greyPng(d.resolve("val/a/2.png"), 2, 4, 4);
        ImageDataset files = ImageFolder.folder(d, 4, BadImages.FAIL).train();
        byte[] all = new byte[2 * 48];
        System.arraycopy(files.imageBytes(0), 0, all, 0, 48);
        System.arraycopy(files.imageBytes(1), 0, all, 48, 48);
        ImageDataset memory = new ImageDataset("m", all, new int[] {0, 1}, 3, 4, 4, List.of("a", "b"),
                Normalization.IMAGENET);
        assertThat(memory.image(1).pixels()).containsExactly(files.image(1).pixels());
        assertThat(files.pixel(1, 2, 3, 1)).isEqualTo(pattern(1, 2, 3, 1));
        assertThat(files.unitImage(0)).containsExactly(memory.unitImage(0));
        assertThat(Normalization.measure(files)).isEqualTo(Normalization.measure(memory));
    }

    @Test
    void aFileStoreHoldsPathsNotPixels() throws IOException {
        // A million entries naming one small file: the store is the names table, and any image of it
        // decodes on demand. Holding 224 x 224 pixels for each would need 150 GB.
        Path file = root.resolve("one/p.png");
        rgbPng(file, 3, 5, 5);
        int n = 1_000_000;
        String[] names = new String[n];
        Arrays.fill(names, "p.png");
        FileImages store = new FileImages(new Path[] {file.getParent()}, new int[n], names);
        ImageDataset big = new ImageDataset("big", store, new int[n], 3, 224, 224, List.of("only"),
                Normalization.IMAGENET);
        assertThat(big.size()).isEqualTo(n);
        assertPattern(big.image(n - 1), 3, 5, 5);
        assertThat(big.labelFraction(0.001, 1).size()).isEqualTo(1000);
        for (Field f : FileImages.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            assertThat(f.getType()).as(f.getName()).isNotEqualTo(byte[].class).isNotEqualTo(Image.class);
        }
    }

    @Test
    void imageNamesAreCaseInsensitiveAndHiddenFilesIgnored() {
        assertThat(ImageFolder.isImageName("a.JPEG")).isTrue();
        assertThat(ImageFolder.isImageName("a.Jpg")).isTrue();
        assertThat(ImageFolder.isImageName("a.PNG")).isTrue();
        assertThat(ImageFolder.isImageName("a.gif")).isFalse();
        assertThat(ImageFolder.isImageName("._a.jpg")).isFalse();
    }
}
