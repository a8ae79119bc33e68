package dev.mp3.cli;

import dev.mp3.data.Cifar;
import dev.mp3.data.FashionMnist;
import dev.mp3.data.Splits;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the images come from: the {@code --data} option shared by the vision commands. */
final class DataOptions {

    @Option(names = "--data", defaultValue = "embedded", paramLabel = "SOURCE",
            description = "embedded (the 10k/2k Fashion-MNIST subset in the jar), fashion-mnist (the full set:"
                    + " /usr/share/datasets/fashion-mnist, else the cache, else --download), a directory of"
                    + " Fashion-MNIST/MNIST IDX files, cifar10:DIR or cifar100:DIR (binary version). Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--download", description = "Download the full Fashion-MNIST into the cache directory if it is not found.")
    boolean download;

    /**
     * {@code --data} of a training run: the checkpoint's on {@code --resume} (a given one must name the
     * same source), recorded in the run's checkpoints in the canonical form of {@link #canonical}.
     */
    void resolve(RunFolder folder) {
        source = folder.setting("data", "--data", canonical(source));
    }

    /** The source with its folder made absolute, so a run resumed from another directory reads the same files. */
    static String canonical(String source) {
        String s = source.trim();
        if (s.equals("embedded") || s.equals("fashion-mnist")) {
            return s;
        }
        for (String prefix : new String[] {"cifar10:", "cifar100:"}) {
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
        return FashionMnist.fromDirectory(FashionMnist.locate(Path.of(s), FashionMnist.defaultCacheDir()));
    }

    private static Path existing(String dir) {
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("--data: '" + dir + "' is not a directory; expected embedded,"
                    + " fashion-mnist, a directory of IDX files, cifar10:DIR or cifar100:DIR");
        }
        return p;
    }
}
