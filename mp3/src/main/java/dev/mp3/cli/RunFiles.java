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

    static void writeHistory(ReportDir dir, String name, List<Trainer.EpochRecord> history, String metricName)
            throws IOException {
        List<List<?>> rows = new ArrayList<>();
        double[] epochs = new double[history.size()];
        double[] loss = new double[history.size()];
        double[] metric = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            var r = history.get(i);
            rows.add(List.of(r.epoch(), r.step(), r.trainLoss(), r.lr(), r.metric(), r.seconds(), r.imagesPerSecond()));
            epochs[i] = r.epoch();
            loss[i] = r.trainLoss();
            metric[i] = r.metric();
        }
        dir.writeCsv(name + "-history.csv", List.of("epoch", "step", "train_loss", "lr", metricName, "seconds",
                "images_per_second"), rows);
        if (!history.isEmpty()) {
            dir.writeChart(name + "-loss.png", new Chart(name + ": training loss", "epoch", "loss").line("train loss", epochs, loss));
            if (!Double.isNaN(metric[metric.length - 1])) {
                dir.writeChart(name + "-" + metricName + ".png", new Chart(name + ": " + metricName, "epoch", metricName)
                        .line(metricName, epochs, metric));
            }
        }
    }
}
