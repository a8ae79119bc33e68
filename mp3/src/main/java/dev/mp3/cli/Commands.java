package dev.mp3.cli;

import dev.mp3.data.ImageDataset;
import dev.mp3.nn.VisionTransformer;

import java.nio.file.Path;

/** Checks shared by the commands that load a checkpoint. */
final class Commands {
    private Commands() {}

    static void requireFits(VisionTransformer net, ImageDataset data, Path checkpoint) {
        var c = net.config;
        if (c.imageSize() != data.height() || c.imageSize() != data.width() || c.channels() != data.channels()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " expects " + c.imageSize() + "x"
                    + c.imageSize() + " images with " + c.channels() + " channel(s), but the data has "
                    + data.height() + "x" + data.width() + " with " + data.channels());
        }
        if (net.head != null && c.numClasses() != data.numClasses()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " classifies " + c.numClasses()
                    + " classes, but the data has " + data.numClasses());
        }
    }
}
