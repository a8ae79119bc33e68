package dev.mp3.analysis;

import dev.mp3.data.Batch;
import dev.mp3.data.Batches;
import dev.mp3.data.ImageDataset;
import dev.mp3.report.ProgressBar;

import java.util.function.Consumer;

/** The evaluation loop the analyses share: a dataset in order, batch by batch, with a progress bar. */
final class Forward {
    private Forward() {}

    static void each(ImageDataset data, int batchSize, String label, Consumer<Batch> body) {
        Batches batches = Batches.evaluation(data, batchSize);
        ProgressBar bar = ProgressBar.console(label, batches.stepsPerEpoch(), batchSize, "images");
        int done = 0;
        for (Batch b : batches.epoch(0)) {
            body.accept(b);
            bar.update(++done, Double.NaN);
        }
        bar.finish(done, Double.NaN);
    }
}
