package dev.mp3.speech;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Flite (CMU's small engine): {@code flite -voice VOICE --setf duration_stretch=1/SPEED -t WORD -o out.wav}.
 * Debian's flite 2.2 has kal (8 kHz diphone), kal16 (16 kHz diphone), awb, rms and slt (16 kHz
 * clustergen); awb_time only speaks times and is left out. Its pitch feature works for some voices
 * and not others (rms ignores it), so pitch is left to the generator's resampling.
 */
final class Flite implements Synthesiser {

    /** The voices used and the person each was recorded from (kal is Festival's kal too, slt its slt). */
    static final List<Voice> VOICES = List.of(new Voice("kal", "kal"), new Voice("kal16", "kal"),
            new Voice("awb", "awb"), new Voice("rms", "rms"), new Voice("slt", "slt"));

    private final String executable;
    private List<Voice> installed;

    Flite(String executable) {
        this.executable = executable;
    }

    @Override
    public String name() {
        return "flite";
    }

    @Override
    public String packages() {
        return "flite";
    }

    @Override
    public String version() {
        // "  Carnegie Mellon University, ...\n  version: flite-2.2-current Sep 2018 (http://cmuflite.org)"
        String text = Synthesiser.outputOf(this, List.of(executable, "--version")); // exits 1 after printing
        return text.lines().filter(l -> l.contains("version:")).map(l -> l.trim().replace("version: ", "flite "))
                .findFirst().orElse(text.trim());
    }

    @Override
    public synchronized List<Voice> voices() {
        if (installed == null) {
            // "Voices available: kal awb_time kal16 awb rms slt"
            List<String> listed = List.of(Synthesiser.versionOf(this, List.of(executable, "-lv"))
                    .replace("Voices available:", "").trim().split("\\s+"));
            installed = Synthesiser.installed(VOICES, listed);
        }
        return installed;
    }

    @Override
    public boolean nativePitch() {
        return false;
    }

    @Override
    public int batchSize() {
        return 1;
    }

    @Override
    public void synthesise(List<Request> requests, Path scratch) throws IOException, InterruptedException {
        for (Request r : requests) {
            Synthesiser.run(this, List.of(executable, "-voice", r.voice(), "--setf",
                    String.format(Locale.ROOT, "duration_stretch=%.4f", 1 / r.speed()), "-t", r.word(),
                    "-o", r.out().toString()));
        }
    }
}
