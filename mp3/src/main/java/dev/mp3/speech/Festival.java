package dev.mp3.speech;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Festival 2.5 with Debian's English voices: kal_diphone ({@code festvox-kallpc16k}), ked_diphone
 * ({@code festvox-kdlpc16k}) and cmu_us_slt_arctic_hts ({@code festvox-us-slt-hts}, 32 kHz).
 *
 * <p>Festival takes about 0.4 s to start and load a voice, several times the synthesis of one
 * word, so one {@code festival --batch} process speaks a batch of words from a generated Scheme
 * script: {@code (voice_V) (Parameter.set 'Duration_Stretch 1/SPEED) (utt.save.wave (utt.synth
 * (Utterance Text "WORD")) "out.wav" 'riff)} per request. Pitch is left to the generator's
 * resampling (the HTS voice has no simple pitch control).
 */
final class Festival implements Synthesiser {

    /** The voices used and the person behind each (kal is Flite's kal, slt Flite's slt). */
    static final List<Voice> VOICES = List.of(new Voice("kal_diphone", "kal"), new Voice("ked_diphone", "ked"),
            new Voice("cmu_us_slt_arctic_hts", "slt"));

    private final String executable;
    private List<Voice> installed;

    Festival(String executable) {
        this.executable = executable;
    }

    @Override
    public String name() {
        return "festival";
    }

    @Override
    public String packages() {
        return "festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts";
    }

    @Override
    public String version() {
        // "festival: Festival Speech Synthesis System: 2.5.0:release December 2017"
        return Synthesiser.versionOf(this, List.of(executable, "--version")).replace("festival: ", "").trim();
    }

    @Override
    public synchronized List<Voice> voices() {
        if (installed == null) {
            // "(cmu_us_slt_arctic_hts ked_diphone kal_diphone)"
            String listed = Synthesiser.versionOf(this, List.of(executable, "-b", "(print (voice.list))"));
            List<String> names = List.of(listed.replaceAll("[()]", " ").trim().split("\\s+"));
            installed = Synthesiser.installed(VOICES, names);
        }
        return installed;
    }

    @Override
    public boolean nativePitch() {
        return false;
    }

    @Override
    public int batchSize() {
        return 24;
    }

    @Override
    public void synthesise(List<Request> requests, Path scratch) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        String voice = null;
        for (Request r : requests) {
            if (!r.voice().equals(voice)) {
                voice = r.voice();
                script.append("(voice_").append(voice).append(")\n");
            }
            // Words are a-z only (SyntheticSpeech.Options checks) and paths are the generator's own.
            script.append(String.format(Locale.ROOT, "(Parameter.set 'Duration_Stretch %.4f)%n", 1 / r.speed()));
            script.append("(utt.save.wave (utt.synth (Utterance Text \"").append(r.word()).append("\")) \"")
                    .append(r.out()).append("\" 'riff)\n");
        }
        Path file = Files.createTempFile(scratch, "festival-", ".scm");
        try {
            Files.writeString(file, script);
            String output = Synthesiser.run(this, List.of(executable, "--batch", file.toString()));
            for (Request r : requests) {
                if (!Files.exists(r.out())) {
                    throw new IllegalStateException("make-speech-data: festival wrote no " + r.out() + " for \""
                            + r.word() + "\" with voice " + r.voice() + ": " + output);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
