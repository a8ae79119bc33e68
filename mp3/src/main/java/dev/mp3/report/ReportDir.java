package dev.mp3.report;

import dev.mp3.nn.Json;
import dev.mp3.tensor.io.AtomicFile;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The folder one run writes its report into (metrics.json, curves.csv, loss.png, config.json ...).
 * Every file is written atomically, so a crash leaves each file either complete or absent.
 */
public final class ReportDir {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * False in a data-parallel rank other than 0: it computes what rank 0 computes, and rank 0
     * alone writes the files (two processes renaming into the same folder would race).
     */
    private static volatile boolean writing = true;

    private final Path dir;

    /** Makes every report folder of this process leave its files unwritten (data-parallel ranks but 0). */
    public static void stopWriting() {
        writing = false;
    }

    /** Whether this process writes report files (see {@link #stopWriting}). */
    public static boolean writing() {
        return writing;
    }

    private ReportDir(Path dir) {
        this.dir = dir;
    }

    /** Uses {@code dir} as the report folder, creating it (and its parents) if needed. */
    public static ReportDir at(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("report folder " + dir + " exists but is not a directory");
        }
        Files.createDirectories(dir);
        return new ReportDir(dir);
    }

    /**
     * A new folder {@code root/prefix-yyyyMMdd-HHmmss} (with "-2", "-3" ... appended if that name is
     * taken), so that runs never overwrite each other's reports.
     */
    public static ReportDir newRun(Path root, String prefix, LocalDateTime now) throws IOException {
        Files.createDirectories(root);
        String base = prefix + "-" + STAMP.format(now);
        for (int n = 1; ; n++) {
            Path candidate = root.resolve(n == 1 ? base : base + "-" + n);
            try {
                // createDirectory fails if the name exists: an atomic claim even if two runs start together.
                Files.createDirectory(candidate);
                return new ReportDir(candidate);
            } catch (FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** The path of file {@code name} inside the folder; names may not climb out of it. */
    public Path file(String name) {
        Path p = dir.resolve(name).normalize();
        if (name.isBlank() || !p.startsWith(dir.normalize()) || p.equals(dir.normalize())) {
            throw new IllegalArgumentException("report file name '" + name + "' must name a file inside " + dir);
        }
        return p;
    }

    public Path writeJson(String name, Object value) throws IOException {
        return writeText(name, Json.write(value) + "\n");
    }

    public Path writeCsv(String name, List<String> header, List<? extends List<?>> rows) throws IOException {
        return writeText(name, Csv.write(header, rows));
    }

    public Path writePng(String name, BufferedImage image) throws IOException {
        Path p = file(name);
        if (writing) {
            Png.write(p, image);
        }
        return p;
    }

    public Path writeChart(String name, Chart chart) throws IOException {
        Path p = file(name);
        if (writing) {
            chart.write(p);
        }
        return p;
    }

    public Path writeText(String name, String text) throws IOException {
        Path p = file(name);
        if (writing) {
            AtomicFile.writeString(p, text);
        }
        return p;
    }
}
