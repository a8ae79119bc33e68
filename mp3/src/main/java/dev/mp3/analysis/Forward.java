package dev.mp3.analysis;

import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.report.ProgressBar;
import dev.mp3.tensor.MemoryScope;

import java.util.function.Consumer;

/**
 * The evaluation loop the analyses share: a dataset in order, batch by batch, with a progress bar.
 * Each batch runs in its own {@link MemoryScope}, so on a device its activations go back when the
 * batch is done rather than when the garbage collector finds them: a body keeps what it needs on
 * the host (or in a tensor passed to {@link MemoryScope#keep}).
 */
final class Forward {
    private Forward() {}

    static void each(ImageDataset data, int batchSize, String label, Consumer<Batch> body) {
        Batches batches = Batches.evaluation(data, batchSize);
        ProgressBar bar = ProgressBar.console(label, batches.stepsPerEpoch(), batchSize, "images");
        int done = 0;
        for (Batch b : batches.epoch(0)) {
            try (MemoryScope batchMemory = MemoryScope.open()) {
                body.accept(b);
            }
            bar.update(++done, Double.NaN);
        }
        bar.finish(done, Double.NaN);
    }
}
