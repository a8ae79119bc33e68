package dev.mp3.opencl;

import dev.mp3.tensor.io.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiled programs on disk: the first build compiles and stores the device binary, the next loads
 * it (no compile) with its kernels; a file cut short, emptied or with a flipped byte is not trusted
 * (compiled again, a valid file written back); another source or other options get another file.
 * (Every kernel's results are checked by the op suite, which runs on binaries from this cache
 * whenever an earlier run filled it.)
 */
class ProgramCacheTest {

    @Test
    void aStoredBinaryIsLoadedInsteadOfCompiledAndComputesTheSame(@TempDir Path dir) throws Exception {
        ClContext cl = ClTestSupport.backend().context();
        ProgramCache cache = new ProgramCache(dir);
        String source = ClContext.source("elementwise");
        Path file = cache.file(cl.info, "", source);

        long compiled = Program.COMPILED.get();
        long loaded = Program.FROM_CACHE.get();
        Program first = Program.build(cl, "elementwise", source, "", cache);
        assertThat(Program.COMPILED.get()).isEqualTo(compiled + 1);
        assertThat(file).exists();
        byte[] binary = ProgramCache.read(file);
        assertThat(binary).isNotNull().isNotEmpty();

        Program second = Program.build(cl, "elementwise", source, "", cache);
        assertThat(Program.FROM_CACHE.get()).as("loaded from the file, not compiled").isEqualTo(loaded + 1);
        assertThat(Program.COMPILED.get()).isEqualTo(compiled + 1);
        assertThat(second.kernel("fill")).isNotNull();
        assertThat(first.kernel("fill")).isNotNull();

        // Another option string or source is another file.
        assertThat(cache.file(cl.info, "-DX=1", source)).isNotEqualTo(file);
        assertThat(cache.file(cl.info, "", source + "\n")).isNotEqualTo(file);
    }

    @Test
    void aDamagedFileIsCompiledAgainAndRewritten(@TempDir Path dir) throws Exception {
        ClContext cl = ClTestSupport.backend().context();
        ProgramCache cache = new ProgramCache(dir);
        String source = ClContext.source("reduce");
        Path file = cache.file(cl.info, "", source);
        Program.build(cl, "reduce", source, "", cache);
        byte[] good = Files.readAllBytes(file);
        assertThat(ProgramCache.read(file)).isNotNull();

        byte[] flipped = good.clone();
        flipped[flipped.length - 1] ^= 0x5a;
        for (byte[] damaged : new byte[][] {flipped, Arrays.copyOf(good, good.length / 2), new byte[0]}) {
            AtomicFile.write(file, damaged);
            assertThat(ProgramCache.read(file)).as("a damaged file is not trusted").isNull();
            long compiled = Program.COMPILED.get();
            Program p = Program.build(cl, "reduce", source, "", cache);
            assertThat(Program.COMPILED.get()).isEqualTo(compiled + 1);
            assertThat(p.kernel("reduce_chunks")).isNotNull();
            assertThat(ProgramCache.read(file)).as("a valid file written back").isNotNull();
        }
    }
}
