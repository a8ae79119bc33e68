package dev.mp3.speech.cli;

import dev.mp3.report.Chart;
import dev.mp3.report.ReportDir;
import dev.mp3.speech.train.SpeechRecipe;
import dev.mp3.speech.train.SpeechTrainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What every speech training run writes next to its checkpoint: the validation history as CSV and PNG curves. */
final class SpeechRunFiles {
    private SpeechRunFiles() {}

    /** "validation_accuracy" for classification, "validation_position_top1" for pretraining. */
    static String metricName(SpeechRecipe recipe) {
        return recipe.task() == SpeechRecipe.Task.PRETRAIN ? "validation_position_top1" : "validation_accuracy";
    }

    static void writeHistory(ReportDir dir, String name, SpeechRecipe recipe, List<SpeechTrainer.Validation> history)
            throws IOException {
        String metric = metricName(recipe);
        List<List<?>> rows = new ArrayList<>();
        for (SpeechTrainer.Validation v : history) {
            rows.add(List.of(v.step(), v.trainLoss(), v.lr(), v.metric(), v.seconds()));
        }
        dir.writeCsv(name + "-history.csv", List.of("update", "train_loss", "lr", metric, "seconds"), rows);
        if (!history.isEmpty()) {
            dir.writeChart(name + "-loss.png", new Chart(name + ": training loss", "update", "loss")
                    .line("train loss", steps(history), losses(history)));
            dir.writeChart(name + "-validation.png", new Chart(name + ": " + metric.replace('_', ' '), "update",
                    "accuracy").line(metric.replace('_', ' '), steps(history), metrics(history)));
        }
    }

    static double[] steps(List<SpeechTrainer.Validation> h) {
        return h.stream().mapToDouble(SpeechTrainer.Validation::step).toArray();
    }

    static double[] losses(List<SpeechTrainer.Validation> h) {
        return h.stream().mapToDouble(SpeechTrainer.Validation::trainLoss).toArray();
    }

    static double[] metrics(List<SpeechTrainer.Validation> h) {
        return h.stream().mapToDouble(SpeechTrainer.Validation::metric).toArray();
    }
}
