/**
 * Image data for MP3: readers, datasets in memory or as image files on disk, batches and augmentation.
 *
 * <pre>{@code
 * Splits fm = FashionMnist.embedded();                 // or fromDirectory(locate(dataOption, cache)), download(cache)
 * ImageDataset unlabeled = fm.train();                 // pretraining ignores the labels
 * ImageDataset labeled = fm.train().labelFraction(0.1, seed);   // stratified 10% for finetuning
 *
 * Batches pre = Batches.training(unlabeled, 256, Augment.NONE, seed);
 * for (int epoch = startEpoch; epoch < epochs; epoch++) {
 *     for (Batch b : pre.epoch(epoch, epoch == startEpoch ? startStep : 0)) {
 *         Tensor images = b.images();   // [B, C, H, W] F32, normalised
 *         Tensor labels = b.labels();   // [B] I32
 *     }
 * }
 * Batches fine = Batches.training(labeled, 256, Augment.cropAndFlip(28), seed);
 * Batches test = Batches.evaluation(fm.test(), 500);
 * }</pre>
 *
 * <p>Pixels stay bytes until a batch is built; a batch value is {@code (p / 255 - mean[c]) / std[c]}
 * ({@link dev.mp3.data.Normalization}). Batch (epoch, step) depends only on the seed, epoch and step,
 * so resuming a checkpoint needs no loader state. Bad files raise one IOException naming the file,
 * the field, what was expected and what was found.
 *
 * <p>Folders of JPEG/PNG files of any size ({@link dev.mp3.data.ImageFolder}: generic class folders,
 * Tiny ImageNet, ImageNet) load as datasets that hold only file names and decode an image when it is
 * read ({@link dev.mp3.data.ImageDataset#image(int)}), at its own size.
 */
package dev.mp3.data;
