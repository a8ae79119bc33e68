package dev.mp3.speech;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * espeak-ng, a formant synthesiser: {@code espeak-ng -v ACCENT+VARIANT -s WPM -p PITCH -w out.wav WORD}
 * at 22,050 Hz. A variant (m1..m8, f1..f5, klatt, named voices) is a speaker, the base voice
 * (en-us, en-gb, en-gb-scotland, ...) an accent drawn per clip. Speed is 170 words per minute
 * times the request's factor, pitch 50 (espeak-ng's default of 0..99) times its factor.
 */
final class EspeakNg implements Synthesiser {

    /** English base voices of espeak-ng 1.51: the accents. */
    static final List<String> BASE_VOICES = List.of("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp",
            "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029", "en-us-nyc");

    /** Voice variants that sound like people (robots, whispers and effects left out): the speakers. */
    static final List<String> VARIANTS = List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3",
            "f4", "f5", "klatt", "klatt2", "klatt3", "klatt4", "adam", "Alex", "Alicia", "Andrea", "Andy", "Annie",
            "antonio", "aunty", "belinda", "benjamin", "boris", "caleb", "david", "Denis", "Diogo", "ed", "edward",
            "Gene", "gustave", "Henrique", "Hugo", "iven", "Jacky", "john", "Lee", "linda", "marcelo", "Mario",
            "max", "Michael", "michel", "miguel", "Mike", "Nguyen", "pablo", "paul", "pedro", "quincy", "rob",
            "robert", "steph", "norbert", "sandro", "shelby", "travis", "victor", "zac", "anika", "grandpa",
            "grandma", "croak");

    private final String executable;

    EspeakNg(String executable) {
        this.executable = executable;
    }

    @Override
    public String name() {
        return "espeak-ng";
    }

    @Override
    public String packages() {
        return "espeak-ng";
    }

    @Override
    public String version() {
        // "eSpeak NG text-to-speech: 1.51  Data at: /usr/..."
        return Synthesiser.versionOf(this, List.of(executable, "--version")).split("\\s+Data at:")[0];
    }

    @Override
    public List<Voice> voices() {
        return VARIANTS.stream().map(v -> new Voice(v, "espeak-ng " + v)).toList();
    }

    @Override
    public List<String> accents() {
        return BASE_VOICES;
    }

    @Override
    public boolean nativePitch() {
        return true;
    }

    @Override
    public int batchSize() {
        return 1;
    }

    @Override
    public void synthesise(List<Request> requests, Path scratch) throws IOException, InterruptedException {
        for (Request r : requests) {
            Synthesiser.run(this, List.of(executable, "-v", r.accent() + "+" + r.voice(),
                    "-s", String.valueOf(Math.round(170 * r.speed())), "-p", String.valueOf(Math.round(50 * r.pitch())),
                    "-w", r.out().toString(), r.word()));
        }
    }
}
