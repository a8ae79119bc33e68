package dev.mp3.train;

import dev.mp3.report.Chart;
import dev.mp3.report.ReportDir;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What every training run writes next to its checkpoint: the history as CSV and its curves as PNG. */
public final class RunFiles {
    private RunFiles() {}

    /**
     * {@code NAME-history.csv} (update, training loss, learning rate, the validation metric when the
     * task has one, seconds and examples per second since the previous row), {@code NAME-loss.png}
     * and, with a metric, {@code NAME-validation.png}.
     *
     * @param metric the task's metric name ({@link Task#metric()}), or null
     * @param unit   what an example is, for the throughput column ("images", "clips")
     */
    public static void writeHistory(ReportDir dir, String name, List<Trainer.Report> history, String metric,
                                    String unit) throws IOException {
        List<String> header = new ArrayList<>(List.of("update", "train_loss", "lr"));
        if (metric != null) {
            header.add(metric);
        }
        header.addAll(List.of("seconds", unit + "_per_second"));
        List<List<?>> rows = new ArrayList<>();
        for (Trainer.Report r : history) {
            List<Object> row = new ArrayList<>(List.of(r.step(), r.trainLoss(), r.lr()));
            if (metric != null) {
                row.add(r.metric());
            }
            row.addAll(List.of(r.seconds(), r.examplesPerSecond()));
            rows.add(row);
        }
        dir.writeCsv(name + "-history.csv", header, rows);
        if (history.isEmpty()) {
            return;
        }
        double[] steps = history.stream().mapToDouble(Trainer.Report::step).toArray();
        dir.writeChart(name + "-loss.png", new Chart(name + ": training loss", "update", "loss")
                .line("train loss", steps, history.stream().mapToDouble(Trainer.Report::trainLoss).toArray()));
        if (metric != null) {
            String title = metric.replace('_', ' ');
            dir.writeChart(name + "-validation.png", new Chart(name + ": " + title, "update", "accuracy")
                    .line(title, steps, history.stream().mapToDouble(Trainer.Report::metric).toArray()));
        }
    }
}
