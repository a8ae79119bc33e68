package dev.mp3.tensor;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernels give the same bits interpreted and JIT-compiled. The Vector API's own EXP, TANH and
 * lane-sum reductions do not (they switch algorithm when C2 compiles the caller), which made the
 * same call return different bits early and late in a run; this test catches their return.
 */
class JitIndependenceTest {

    @Test
    void interpretedAndCompiledKernelsAgree() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector", "-Dmp3.threads=1",
                "-cp", System.getProperty("java.class.path"), JitProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        // Warm up here meanwhile, so that C2 compiles the kernels in this JVM.
        for (int i = 0; i < 300; i++) {
            JitProbe.outputs();
        }
        long compiled = JitProbe.checksum();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("interpreter-only probe finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as("probe exit code; classpath " + System.getProperty("java.class.path").split(File.pathSeparator).length + " entries").isZero();
        assertThat(Long.parseLong(out)).as("checksum of the kernels' bits, -Xint vs warmed-up JIT").isEqualTo(compiled);
    }
}
