package dev.mp3.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Rebuilds the embedded Fashion-MNIST subset under src/main/resources/dev/mp3/data/fashion-mnist:
 * the first 1,000 training and the first 200 test images of every class, in file order, from the
 * full data set (checked against the official content checksums first, so the output is
 * reproducible). Run from the repository root after {@code mvn -pl mp3 -am test-compile}:
 * <pre>
 * java -cp mp3/target/test-classes:mp3/target/classes:tensor/target/classes \
 *      dev.mp3.data.MakeEmbeddedFashionMnist /usr/share/datasets/fashion-mnist \
 *      mp3/src/main/resources/dev/mp3/data/fashion-mnist
 * </pre>
 */
public final class MakeEmbeddedFashionMnist {

    private MakeEmbeddedFashionMnist() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: MakeEmbeddedFashionMnist SOURCE_DIR OUTPUT_DIR");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path out = Path.of(args[1]);
        for (FashionMnist.DataFile f : FashionMnist.DataFile.values()) {
            Path file = source.resolve(f.gzName());
            String problem = FashionMnist.checksumMismatch(f, file);
            if (problem != null) {
                throw new IOException(file + " is not the official Fashion-MNIST file: " + problem);
            }
        }
        Splits full = FashionMnist.fromDirectory(source);
        write(full.train().firstPerClass(FashionMnist.EMBEDDED_TRAIN_PER_CLASS), out,
                FashionMnist.DataFile.TRAIN_IMAGES, FashionMnist.DataFile.TRAIN_LABELS);
        write(full.test().firstPerClass(FashionMnist.EMBEDDED_TEST_PER_CLASS), out,
                FashionMnist.DataFile.TEST_IMAGES, FashionMnist.DataFile.TEST_LABELS);
    }

    private static void write(ImageDataset subset, Path out, FashionMnist.DataFile images, FashionMnist.DataFile labels)
            throws IOException {
        Idx.writeImages(out.resolve(images.gzName()),
                new Idx.Images(subset.size(), subset.height(), subset.width(), subset.pixels()), true);
        Idx.writeLabels(out.resolve(labels.gzName()), subset.labels(), true);
        System.out.println("wrote " + subset.size() + " examples to " + out.resolve(images.gzName()) + " and "
                + labels.gzName());
    }
}
