package dev.mp3.cli;

import dev.mp3.report.Chart;
import dev.mp3.report.ReportDir;
import dev.mp3.train.Trainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What every training command writes next to its checkpoint: the history as CSV and the curves as PNG. */
final class RunFiles {
    private RunFiles() {}

    /** The per-epoch history (loss, learning rate, time, throughput) as CSV and the loss curve as PNG. */
    static void writeHistory(ReportDir dir, String name, List<Trainer.EpochRecord> history) throws IOException {
        List<List<?>> rows = new ArrayList<>();
        double[] epochs = new double[history.size()];
        double[] loss = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            var r = history.get(i);
            rows.add(List.of(r.epoch(), r.step(), r.trainLoss(), r.lr(), r.seconds(), r.imagesPerSecond()));
            epochs[i] = r.epoch();
            loss[i] = r.trainLoss();
        }
        dir.writeCsv(name + "-history.csv", List.of("epoch", "step", "train_loss", "lr", "seconds", "images_per_second"),
                rows);
        if (!history.isEmpty()) {
            dir.writeChart(name + "-loss.png", new Chart(name + ": training loss", "epoch", "loss").line("train loss", epochs, loss));
        }
    }
}
