package dev.mp3.opencl;

import dev.mp3.tensor.io.AtomicFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Compiled OpenCL programs on disk, so a process does not compile every kernel family again: a
 * GPU driver's compiler can take seconds per family. One file per (device, driver, build options,
 * source), named by the SHA-256 of all four, in {@code <cache dir>/mp3/opencl-programs/} (the
 * directory of {@link TuningCache}); a new driver or an edited kernel gets a new name, never a
 * stale binary. A file holds a magic line, the binary's length and CRC-32C, then the binary; one
 * that is cut or damaged is ignored (the program is compiled from source and the file rewritten),
 * never trusted. Written with {@link AtomicFile}. Off on PoCL unless asked for ({@link #standard}).
 */
final class ProgramCache {
    private static final byte[] MAGIC = "mp3-opencl-binary-1\n".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;

    ProgramCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The cache in the default directory for {@code device}, or null when turned off: by
     * {@code -Dmp3.opencl.programCache=false}, or by default on PoCL, which keeps a kernel cache of
     * its own and, asked for a binary, compiles every kernel of a family (a first run three times
     * slower for a start 0.5 s faster after it; docs/opencl-launches.md). {@code =true} turns it on
     * everywhere.
     */
    static ProgramCache standard(DeviceInfo device) {
        String setting = System.getProperty("mp3.opencl.programCache", "");
        boolean pocl = device.platformName().contains("Portable Computing Language");
        if (setting.equalsIgnoreCase("false") || (pocl && !setting.equalsIgnoreCase("true"))) {
            return null;
        }
        return new ProgramCache(TuningCache.defaultFile().getParent().resolve("opencl-programs"));
    }

    /** The file of a program: the SHA-256 of the device, its driver, the options and the source. */
    Path file(DeviceInfo device, String options, String source) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {device.platformName(), device.platformVersion(), device.name(),
                    device.vendor(), device.version(), device.driverVersion(), options, source}) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
                sha.update(b);
            }
            return dir.resolve(HexFormat.of().formatHex(sha.digest()) + ".bin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The binary stored at {@code file}, or null when there is none or it is cut or damaged. */
    static byte[] read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
        int head = MAGIC.length + 12;
        if (all.length < head || !java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return null;
        }
        ByteBuffer meta = ByteBuffer.wrap(all, MAGIC.length, 12);
        long length = meta.getLong();
        int crc = meta.getInt();
        if (length != all.length - head || length == 0) {
            return null;
        }
        CRC32C check = new CRC32C();
        check.update(all, head, (int) length);
        if ((int) check.getValue() != crc) {
            return null;
        }
        return java.util.Arrays.copyOfRange(all, head, all.length);
    }

    /** Stores {@code binary} at {@code file} (atomically; a failure to write only costs the next compile). */
    static boolean write(Path file, byte[] binary) {
        CRC32C crc = new CRC32C();
        crc.update(binary);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 12 + binary.length);
        out.put(MAGIC).putLong(binary.length).putInt((int) crc.getValue()).put(binary);
        try {
            Files.createDirectories(file.getParent());
            AtomicFile.write(file, out.array());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
