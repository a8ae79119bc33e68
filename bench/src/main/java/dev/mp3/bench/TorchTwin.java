package dev.mp3.bench;

import dev.mp3.nn.ViTConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch twin of the step benchmark, kept running beside it: bench/pytorch/vit_step.py
 * {@code --serve} builds the same model per mode and times one step whenever asked, so the
 * benchmark can alternate a step of ours with a step of PyTorch's. On a host whose speed drifts
 * (1.6x between runs minutes apart on the 2-core build machines), timing all of ours and then all
 * of PyTorch's moved the ratio as much as the code did; steps seconds apart see the same machine.
 * Comparison only: PyTorch is never a dependency.
 */
final class TorchTwin implements AutoCloseable {
    private static final Pattern SECONDS = Pattern.compile("\"seconds\": \\[([^\\]]*)\\]");
    private static final Pattern CORE = Pattern.compile("\"openblas_core\": \"([^\"]+)\"");
    private static final Pattern IMPL = Pattern.compile("\"impl\": \"([^\"]+)\"");
    private static final List<String> PRE_AVX = List.of("Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom",
            "Katmai", "Coppermine", "Northwood", "Banias");

    private final Process process;
    private final Writer requests;
    private final BufferedReader answers;
    /** What PyTorch printed on start: its version and OpenBLAS's kernel family (set once, by {@link #start}). */
    String description;

    private TorchTwin(Process process) {
        this.process = process;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts the twin for this model, batch and thread count ({@code --python}, {@code --script} and
     * {@code --openblas-coretype} from the benchmark's options); null, with a note printed, when
     * python3-torch or the script is missing or PyTorch fails to start.
     */
    static TorchTwin start(Map<String, String> opt, ViTConfig model, int batch, int warmup, int threads)
            throws IOException {
        String python = opt.getOrDefault("python", "/usr/bin/python3");
        Path script = Path.of(opt.getOrDefault("script", "bench/pytorch/vit_step.py"));
        if (!Files.isRegularFile(script) || !Files.isExecutable(Path.of(python))) {
            System.out.println("  pytorch: skipped (" + script + " or " + python + " not found; run from the repository"
                    + " root with Debian's python3-torch installed)");
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--serve", "--dim", "" + model.dim(),
                "--depth", "" + model.depth(), "--heads", "" + model.heads(), "--patch", "" + model.patchSize(),
                "--image", "" + model.imageSize(), "--channels", "" + model.channels(), "--batch", "" + batch,
                "--warmup", "" + warmup, "--threads", "" + threads));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // OpenBLAS picks its AVX-512 kernels only without this machine's Haswell override.
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        // A processor newer than the OpenBLAS build (Debian's 0.3.21 calls an Emerald Rapids Xeon
        // "Prescott" and runs its SSE3 kernels at a tenth of the speed) needs its core named.
        String core = opt.get("openblas-coretype");
        if (core != null) {
            pb.environment().put("OPENBLAS_CORETYPE", core);
        }
        TorchTwin twin = new TorchTwin(pb.start());
        String hello = twin.answers.readLine();
        Matcher impl = hello == null ? null : IMPL.matcher(hello);
        if (impl == null || !impl.find()) {
            System.out.println("  pytorch: failed to start (" + String.join(" ", cmd) + "):\n" + twin.rest(hello));
            twin.close();
            return null;
        }
        Matcher chosen = CORE.matcher(hello);
        String name = chosen.find() ? chosen.group(1) : "none (no OpenBLAS)";
        String note = PRE_AVX.contains(name) ? " -- a pre-AVX kernel: this OpenBLAS does not know the processor; name"
                + " its core (--openblas-coretype COOPERLAKE, SKYLAKEX or HASWELL) or the PyTorch figures are several"
                + " times too slow" : "";
        twin.description = impl.group(1) + ", OpenBLAS core " + name + note;
        return twin;
    }

    /** Builds the mode's model and runs its warm-up steps (untimed by the caller). */
    void warm(String mode) throws IOException {
        request(mode, 0);
    }

    /** Seconds of one training step of this mode. */
    double step(String mode) throws IOException {
        return request(mode, 1)[0];
    }

    private double[] request(String mode, int steps) throws IOException {
        requests.write(mode + " " + steps + "\n");
        requests.flush();
        String line = answers.readLine();
        Matcher m = line == null ? null : SECONDS.matcher(line);
        if (m == null || !m.find()) {
            throw new IllegalStateException("pytorch twin: expected {\"mode\": ..., \"seconds\": [...]} for '" + mode
                    + " " + steps + "', got:\n" + rest(line));
        }
        String list = m.group(1).trim();
        if (list.isEmpty()) {
            return new double[0];
        }
        String[] parts = list.split(",");
        double[] seconds = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            seconds[i] = Double.parseDouble(parts[i].trim());
        }
        return seconds;
    }

    /** The line read and whatever else the process printed (a Python traceback, usually). */
    private String rest(String first) throws IOException {
        StringBuilder out = new StringBuilder(first == null ? "(end of output)" : first);
        requests.close();
        for (String line; (line = answers.readLine()) != null; ) {
            out.append('\n').append(line);
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            requests.close();
        } catch (IOException alreadyGone) {
            // the process has ended; nothing left to tell it
        }
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }
}
