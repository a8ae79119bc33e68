package dev.mp3.data;

/** A data set's training and test splits. */
public record Splits(ImageDataset train, ImageDataset test) {
}
