package dev.mp3.opencl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java keeps its own signal handling beside an OpenCL runtime ({@link SignalChaining}): after the
 * runtime has compiled a kernel, an integer division by zero in JIT-compiled Java code still throws.
 * Without libjsig preloaded (the test configuration's LD_PRELOAD removed), PoCL's SIGFPE handler
 * skips the faulting divisions and this test counts too few exceptions and a wrong sum.
 */
class SignalChainingTest {

    @Test
    void theTestJvmRunsWithSignalChaining() {
        assertThat(SignalChaining.active()).as("libjsig.so mapped into the test JVM (surefire's LD_PRELOAD)")
                .hasValue(true);
    }

    @Test
    void aJavaDivisionByZeroThrowsAfterTheRuntimeCompiledAKernel(@TempDir Path dir) {
        ClContext cl = ClTestSupport.backend().context();
        // A fresh compile: LLVM inside PoCL (re)installs its handlers when it compiles.
        Program.build(cl, "elementwise", ClContext.source("elementwise"), "-DSIGNAL_CHAINING_TEST=1",
                new ProgramCache(dir));

        int n = 2_000_000;   // enough calls for the JIT to compile quotient() and the loop
        long thrown = 0;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            try {
                sum += quotient(7, i & 1);
            } catch (ArithmeticException e) {
                thrown++;
            }
        }
        // Every even i divides by zero, every odd one gives 7.
        assertThat(thrown).isEqualTo(n / 2);
        assertThat(sum).isEqualTo(7L * (n / 2));
    }

    private static int quotient(int a, int b) {
        return a / b;
    }
}
