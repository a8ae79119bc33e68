package dev.mp3.speech;

import dev.mp3.tensor.io.AtomicFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RIFF/WAVE files holding 16-bit PCM: a strict reader for Speech Commands clips (16 kHz mono),
 * a lenient one for any sample rate (espeak-ng writes 22,050 Hz), and an atomic writer.
 *
 * <p>Layout: "RIFF", size, "WAVE", then chunks of (4-byte id, little-endian size, payload padded
 * to an even length). The "fmt " chunk holds format tag (1 = PCM), channels, sample rate, byte
 * rate, block align and bits per sample; the "data" chunk holds the samples. Other chunks (LIST,
 * fact, ...) are skipped. Samples are scaled by 1/32768 to [-1, 1), as TensorFlow's decode_wav
 * does, so the MFCCs match TC-ResNet's.
 */
public final class Wav {

    public static final int SPEECH_RATE = 16_000;

    /** For {@link #parse}: accept any positive sample rate. */
    static final int ANY_RATE = 0;

    private static final int PCM = 1;
    private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

    private Wav() {}

    /** 16-bit PCM audio: the sample rate and the mono samples as read (scaled to [-1, 1)). */
    public record Audio(int sampleRate, float[] samples) {}

    /** What a file's fmt chunk says. */
    record Format(int formatTag, int channels, int sampleRate, int bitsPerSample) {
        String describe() {
            String tag = switch (formatTag) {
                case PCM -> "PCM";
                case 3 -> "IEEE float";
                case 6 -> "A-law";
                case 7 -> "mu-law";
                case WAVE_FORMAT_EXTENSIBLE -> "extensible";
                default -> "format tag " + formatTag;
            };
            String layout = channels == 1 ? "mono" : channels == 2 ? "stereo" : channels + " channels";
            return sampleRate + " Hz " + layout + " " + bitsPerSample + "-bit " + tag;
        }
    }

    /**
     * Reads a Speech Commands clip: 16,000 Hz mono 16-bit PCM, else an IllegalArgumentException
     * naming the file and the format found.
     */
    public static float[] readSpeechClip(Path file) {
        return parse(file.toString(), readBytes(file), SPEECH_RATE).samples();
    }

    /**
     * A Speech Commands clip cropped or zero-padded at the end to {@code samples} samples, as
     * TensorFlow's decode_wav(desired_samples) does for TC-ResNet (1 s = 16,000 samples).
     */
    public static float[] readSpeechClip(Path file, int samples) {
        return padOrCrop(readSpeechClip(file), samples);
    }

    /** The first {@code length} samples, zero-padded at the end when the input is shorter. */
    public static float[] padOrCrop(float[] samples, int length) {
        return java.util.Arrays.copyOf(samples, length);
    }

    /** Reads mono 16-bit PCM at any sample rate; anything else is an IllegalArgumentException. */
    public static Audio read(Path file) {
        return parse(file.toString(), readBytes(file), ANY_RATE);
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("WAV " + file + ": cannot read: " + e, e);
        }
    }

    /**
     * Parses WAV bytes, requiring mono 16-bit PCM at {@code requiredRate} (or any rate for
     * {@link #ANY_RATE}); {@code name} only labels error messages.
     */
    static Audio parse(String name, byte[] bytes, int requiredRate) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(bytes, 0).equals("RIFF") || !tag(bytes, 8).equals("WAVE")) {
            throw new IllegalArgumentException("WAV " + name + ": not a RIFF/WAVE file (first bytes "
                    + printable(bytes) + "), expected \"RIFF....WAVE\"");
        }
        Format format = null;
        // A long, so that a chunk size near 2^32 moves the walk past the end instead of overflowing.
        long pos = 12;
        while (pos + 8 <= bytes.length) {
            String id = tag(bytes, (int) pos);
            long size = Integer.toUnsignedLong(buf.getInt((int) pos + 4));
            int body = (int) pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new IllegalArgumentException("WAV " + name + ": fmt chunk of " + size
                            + " bytes is truncated, expected at least 16");
                }
                format = new Format(buf.getShort(body) & 0xFFFF, buf.getShort(body + 2) & 0xFFFF,
                        buf.getInt(body + 4), buf.getShort(body + 14) & 0xFFFF);
                if (format.formatTag() == WAVE_FORMAT_EXTENSIBLE && size >= 26) {
                    if (body + 26 > bytes.length) {
                        throw new IllegalArgumentException("WAV " + name + ": extensible fmt chunk of " + size
                                + " bytes is truncated, expected its sub-format at bytes 24-25 of the chunk");
                    }
                    // The real format is the first two bytes of the sub-format GUID.
                    format = new Format(buf.getShort(body + 24) & 0xFFFF, format.channels(),
                            format.sampleRate(), format.bitsPerSample());
                }
            } else if (id.equals("data")) {
                if (format == null) {
                    throw new IllegalArgumentException("WAV " + name
                            + ": data chunk comes before any fmt chunk, expected fmt first");
                }
                requireMono16(name, format, requiredRate);
                long available = bytes.length - body;
                if (size > available) {
                    throw new IllegalArgumentException("WAV " + name + ": truncated, data chunk says "
                            + size + " bytes but only " + available + " follow");
                }
                if (size % 2 != 0) {
                    throw new IllegalArgumentException("WAV " + name + ": data chunk of " + size
                            + " bytes is not a whole number of 16-bit samples");
                }
                float[] samples = new float[(int) (size / 2)];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = buf.getShort(body + 2 * i) / 32768f;
                }
                return new Audio(format.sampleRate(), samples);
            }
            pos = body + size + (size & 1);
        }
        throw new IllegalArgumentException("WAV " + name + ": truncated or malformed, "
                + (format == null ? "no fmt chunk" : "no data chunk") + " found in " + bytes.length
                + " bytes");
    }

    private static void requireMono16(String name, Format format, int requiredRate) {
        boolean rateOk = requiredRate == ANY_RATE ? format.sampleRate() > 0 : format.sampleRate() == requiredRate;
        if (format.formatTag() != PCM || format.channels() != 1 || format.bitsPerSample() != 16 || !rateOk) {
            throw new IllegalArgumentException("WAV " + name + ": " + format.describe() + ", expected "
                    + (requiredRate == ANY_RATE ? "" : requiredRate + " Hz ") + "mono 16-bit PCM");
        }
    }

    /**
     * Writes mono 16-bit PCM, clipping samples to [-1, 1] and rounding to the nearest step. The
     * file is written to a temporary sibling and renamed into place, so a reader never sees half.
     */
    public static void write(Path file, float[] samples, int sampleRate) throws IOException {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("Wav.write " + file + ": sample rate must be positive, got "
                    + sampleRate);
        }
        ByteBuffer buf = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(ascii("RIFF")).putInt(36 + 2 * samples.length).put(ascii("WAVE"));
        buf.put(ascii("fmt ")).putInt(16).putShort((short) PCM).putShort((short) 1).putInt(sampleRate)
                .putInt(2 * sampleRate).putShort((short) 2).putShort((short) 16);
        buf.put(ascii("data")).putInt(2 * samples.length);
        for (float s : samples) {
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("Wav.write " + file + ": NaN sample");
            }
            buf.putShort(toPcm16(s));
        }
        AtomicFile.write(file, buf.array());
    }

    /** [-1, 1] to a 16-bit sample: the inverse of the reader's 1/32768 scaling, clipped. */
    static short toPcm16(float s) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(s * 32768f)));
    }

    private static String tag(byte[] bytes, int pos) {
        if (pos + 4 > bytes.length) {
            return "";
        }
        return new String(bytes, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(12, bytes.length); i++) {
            int b = bytes[i] & 0xFF;
            sb.append(b >= 32 && b < 127 ? String.valueOf((char) b) : ".");
        }
        return sb.append('"').toString();
    }
}
