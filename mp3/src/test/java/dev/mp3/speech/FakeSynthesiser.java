package dev.mp3.speech;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in synthesiser for tests that need no installed program: each word is a tone whose
 * frequency follows the voice and word and whose length follows the speed, so clips differ the
 * way real ones do and are reproducible.
 */
final class FakeSynthesiser implements Synthesiser {

    private final String name;
    private final List<Voice> voices;
    private final boolean nativePitch;
    private final int batchSize;
    private final int rate;

    FakeSynthesiser(String name, List<Voice> voices, boolean nativePitch, int batchSize, int rate) {
        this.name = name;
        this.voices = voices;
        this.nativePitch = nativePitch;
        this.batchSize = batchSize;
        this.rate = rate;
    }

    /** Fakes named like the three real ones, with their voices: a formant pool and a recorded pool. */
    static List<Synthesiser> trio() {
        return List.of(new FakeSynthesiser("espeak-ng", new EspeakNg("espeak-ng").voices(), true, 1, 22_050),
                new FakeSynthesiser("flite", Flite.VOICES, false, 1, 16_000),
                new FakeSynthesiser("festival", Festival.VOICES, false, 5, 32_000));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String packages() {
        return "fake-" + name;
    }

    @Override
    public String version() {
        return "fake " + name + " 1.0";
    }

    @Override
    public List<Voice> voices() {
        return voices;
    }

    @Override
    public List<String> accents() {
        return nativePitch ? List.of("a", "b") : List.of();
    }

    @Override
    public boolean nativePitch() {
        return nativePitch;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public void synthesise(List<Request> requests, Path scratch) throws IOException {
        for (Request r : requests) {
            int h = Math.floorMod((r.voice() + r.word() + r.accent()).hashCode(), 20);
            double f = (150 + 15 * h) * (nativePitch ? r.pitch() : 1);
            int n = (int) (0.4 / r.speed() * rate);
            float[] x = new float[n + rate / 10];
            for (int i = 0; i < n; i++) {
                x[rate / 20 + i] = (float) (0.5 * Math.sin(Math.PI * i / n) * Math.sin(2 * Math.PI * f * i / rate));
            }
            Wav.write(r.out(), x, rate);
        }
    }
}
