package dev.mp3.cli;

import dev.mp3.data.Idx;
import dev.mp3.tensor.Rng;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny Fashion-MNIST-format folder for command tests: gz IDX files, 10 classes, class-dependent brightness. */
final class TinyFashionMnist {
    private TinyFashionMnist() {}

    /**
     * {@code train} and {@code test} images of {@code side} x {@code side} pixels in {@code dir};
     * image i has label i mod 10 and pixels 20 * label plus noise, so a classifier has something to learn.
     */
    static Path write(Path dir, int train, int test, int side, long seed) throws IOException {
        Files.createDirectories(dir);
        Rng rng = new Rng(seed);
        int size = side * side;
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? train : test;
            byte[] px = new byte[n * size];
            float[] u = rng.uniform(px.length).toFloatArray();
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 10;
                for (int p = 0; p < size; p++) {
                    px[i * size + p] = (byte) Math.min(255, labels[i] * 20 + (int) (u[i * size + p] * 60));
                }
            }
            Idx.writeImages(dir.resolve(split + "-images-idx3-ubyte.gz"), new Idx.Images(n, side, side, px), true);
            Idx.writeLabels(dir.resolve(split + "-labels-idx1-ubyte.gz"), labels, true);
        }
        return dir;
    }
}
