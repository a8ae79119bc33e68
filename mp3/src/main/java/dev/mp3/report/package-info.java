/**
 * Run reports: a folder of metrics (JSON, CSV), training curves and image grids (PNG), and a
 * terminal progress bar. Every file is written atomically (temporary file, then rename).
 *
 * <pre>{@code
 * ReportDir report = ReportDir.newRun(Path.of("runs"), "demo", LocalDateTime.now());
 * report.writeJson("config.json", config);               // records are written field by field
 * report.writeCsv("curve.csv", List.of("step", "loss"), rows);
 * report.writeChart("loss.png", new Chart("Pretraining", "step", "loss").line("train", steps, losses));
 * report.writePng("reconstruction.png", Png.grid(unitValues, n, 1, 28, 28, 8, 3, captions));
 *
 * ProgressBar bar = ProgressBar.console("pretrain", totalSteps, batchSize, "img");
 * bar.start(resumedStep);
 * bar.update(step, loss);   // throttled: redraws on a terminal, a line every 10 s in a log
 * bar.finish(step, loss);
 * }</pre>
 *
 * <p>Text in charts and grids is drawn with {@link dev.mp3.report.BitmapFont}, so reports render on
 * headless machines without fonts; no charting library is used.
 */
package dev.mp3.report;
