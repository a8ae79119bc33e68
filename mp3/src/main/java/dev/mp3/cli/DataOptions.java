package dev.mp3.cli;

import dev.mp3.data.Cifar;
import dev.mp3.data.FashionMnist;
import dev.mp3.data.ImageFolder;
import dev.mp3.data.Splits;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Where the images come from: the {@code --data} option shared by the vision commands. */
final class DataOptions {

    /** The folder-of-files sources, whose images are decoded from disk on demand. */
    private static final String[] FOLDER_PREFIXES = {"folder:", "tinyimagenet:", "imagenet:"};

    @Option(names = "--data", defaultValue = "embedded", paramLabel = "SOURCE",
            description = "embedded (the 10k/2k Fashion-MNIST subset in the jar), fashion-mnist (the full set:"
                    + " /usr/share/datasets/fashion-mnist, else the cache, else --download), a directory of"
                    + " Fashion-MNIST/MNIST IDX files, cifar10:DIR or cifar100:DIR (binary version),"
                    + " or JPEG/PNG files read from disk as needed, of any size: folder:DIR (DIR/train/<class>/ and"
                    + " DIR/val/<class>/ or DIR/test/<class>/), tinyimagenet:DIR (unpacked tiny-imagenet-200) or"
                    + " imagenet:DIR (DIR/train/<wnid>/, DIR/val/<wnid>/). Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--image-size", paramLabel = "N",
            description = "Side of the square images the model sees for folder:, tinyimagenet: and imagenet: data"
                    + " (files are resized to it). Default: 64 for tinyimagenet, 224 for imagenet and folder.")
    Integer imageSize;

    @Option(names = "--on-bad-image", paramLabel = "skip|fail", defaultValue = "fail",
            description = "A file of folder data that is not a readable JPEG or PNG: fail (stop, naming it) or skip"
                    + " (leave it out with a warning). Default: ${DEFAULT-VALUE}.")
    String onBadImage;

    @Option(names = "--download", description = "Download the full Fashion-MNIST into the cache directory if it is not found.")
    boolean download;

    /**
     * {@code --data} of a training run: the checkpoint's on {@code --resume} (a given one must name the
     * same source), recorded in the run's checkpoints in the canonical form of {@link #canonical}.
     */
    void resolve(RunFolder folder) {
        source = folder.setting("data", "--data", canonical(source));
        if (isFolder(source)) {
            imageSize = Integer.valueOf(folder.setting("image-size", "--image-size", String.valueOf(imageSize())));
        }
    }

    /** Whether {@code source} names JPEG/PNG files on disk (folder:, tinyimagenet:, imagenet:). */
    static boolean isFolder(String source) {
        String s = source.trim();
        for (String prefix : FOLDER_PREFIXES) {
            if (s.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code --image-size} of folder data, or its source's default: 64 for Tiny ImageNet, else 224. */
    int imageSize() {
        if (imageSize != null) {
            if (imageSize <= 0) {
                throw new IllegalArgumentException("--image-size " + imageSize + " must be positive, such as 64 or 224");
            }
            return imageSize;
        }
        return source.trim().startsWith("tinyimagenet:") ? ImageFolder.TINY_IMAGENET_SIZE : ImageFolder.IMAGENET_SIZE;
    }

    ImageFolder.BadImages badImages() {
        return switch (onBadImage.trim().toLowerCase(Locale.ROOT)) {
            case "skip" -> ImageFolder.BadImages.SKIP;
            case "fail" -> ImageFolder.BadImages.FAIL;
            default -> throw new IllegalArgumentException("--on-bad-image '" + onBadImage + "': expected skip or fail");
        };
    }

    /** The source with its folder made absolute, so a run resumed from another directory reads the same files. */
    static String canonical(String source) {
        String s = source.trim();
        if (s.equals("embedded") || s.equals("fashion-mnist")) {
            return s;
        }
        for (String prefix : new String[] {"cifar10:", "cifar100:", "folder:", "tinyimagenet:", "imagenet:"}) {
            if (s.startsWith(prefix)) {
                return prefix + absolute(s.substring(prefix.length()));
            }
        }
        return absolute(s);
    }

    private static String absolute(String dir) {
        return Path.of(dir).toAbsolutePath().normalize().toString();
    }

    Splits load() throws IOException {
        String s = source.trim();
        if (imageSize != null && !isFolder(s)) {
            throw new IllegalArgumentException("--image-size is for folder:, tinyimagenet: and imagenet: data; "
                    + s + " has a fixed image size, so leave it out");
        }
        if (s.equals("embedded")) {
            return FashionMnist.embedded();
        }
        if (s.equals("fashion-mnist")) {
            Path cache = FashionMnist.defaultCacheDir();
            if (download && !FashionMnist.hasFiles(FashionMnist.SYSTEM_DIR) && !FashionMnist.hasFiles(cache)) {
                return FashionMnist.download(cache);
            }
            return FashionMnist.fromDirectory(FashionMnist.locate(null, cache));
        }
        if (s.startsWith("cifar10:")) {
            return Cifar.cifar10(existing(s.substring("cifar10:".length())));
        }
        if (s.startsWith("cifar100:")) {
            return Cifar.cifar100(existing(s.substring("cifar100:".length())), Cifar.Label.FINE);
        }
        if (s.startsWith("folder:")) {
            return ImageFolder.folder(existing(s.substring("folder:".length())), imageSize(), badImages());
        }
        if (s.startsWith("tinyimagenet:")) {
            return ImageFolder.tinyImageNet(existing(s.substring("tinyimagenet:".length())), imageSize(), badImages());
        }
        if (s.startsWith("imagenet:")) {
            return ImageFolder.imageNet(existing(s.substring("imagenet:".length())), imageSize(), badImages());
        }
        return FashionMnist.fromDirectory(FashionMnist.locate(Path.of(s), FashionMnist.defaultCacheDir()));
    }

    private static Path existing(String dir) {
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("--data: '" + dir + "' is not a directory; expected embedded,"
                    + " fashion-mnist, a directory of IDX files, cifar10:DIR, cifar100:DIR, folder:DIR, tinyimagenet:DIR"
                    + " or imagenet:DIR");
        }
        return p;
    }
}
