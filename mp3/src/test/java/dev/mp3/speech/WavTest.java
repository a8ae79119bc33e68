package dev.mp3.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

    @TempDir
    Path dir;

    /** A WAV file assembled byte by byte, independent of {@link Wav#write}. */
    static byte[] wav(int formatTag, int channels, int rate, int bits, byte[] data, byte[]... chunksBeforeData) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        int blockAlign = channels * bits / 8;
        ByteBuffer fmt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) formatTag)
                .putShort((short) channels).putInt(rate).putInt(rate * blockAlign).putShort((short) blockAlign)
                .putShort((short) bits);
        body.writeBytes(chunk("fmt ", fmt.array()));
        for (byte[] c : chunksBeforeData) {
            body.writeBytes(c);
        }
        body.writeBytes(chunk("data", data));
        byte[] b = body.toByteArray();
        ByteBuffer riff = ByteBuffer.allocate(8 + b.length).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(b.length).put(b);
        return riff.array();
    }

    static byte[] chunk(String id, byte[] payload) {
        ByteBuffer c = ByteBuffer.allocate(8 + payload.length + (payload.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        c.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload);
        return c.array();
    }

    static byte[] pcm16(short... samples) {
        ByteBuffer b = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsPcm16MonoScaledBy32768() throws IOException {
        Path p = file("ok.wav", wav(1, 1, 16000, 16, pcm16((short) 0, (short) 16384, (short) -32768, (short) 32767)));
        assertThat(Wav.readSpeechClip(p)).containsExactly(0f, 0.5f, -1f, 32767f / 32768f);
    }

    @Test
    void skipsUnknownChunksIncludingOddSizedOnes() throws IOException {
        byte[] list = chunk("LIST", "INFOabc".getBytes(StandardCharsets.US_ASCII)); // 7 bytes + pad byte
        byte[] fact = chunk("fact", new byte[] {1, 0, 0, 0});
        Path p = file("chunks.wav", wav(1, 1, 16000, 16, pcm16((short) 100, (short) -200), list, fact));
        assertThat(Wav.readSpeechClip(p)).containsExactly(100f / 32768f, -200f / 32768f);
    }

    /** WAVE_FORMAT_EXTENSIBLE whose sub-format GUID starts with 0x0001 is PCM. */
    @Test
    void extensibleFormatWithPcmSubformatIsRead() throws IOException {
        ByteBuffer fmt = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xFFFE)
                .putShort((short) 1).putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16)
                .putShort((short) 22).putShort((short) 16).putInt(4).putShort((short) 1); // cbSize, valid bits, mask, GUID
        byte[] body = new byte[4 + (8 + 40) + (8 + 2)];
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        b.put("WAVE".getBytes(StandardCharsets.US_ASCII)).put(chunk("fmt ", fmt.array()))
                .put(chunk("data", pcm16((short) -7)));
        ByteBuffer riff = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
        Path p = file("ext.wav", riff.array());
        assertThat(Wav.readSpeechClip(p)).containsExactly(-7f / 32768f);
    }

    @Test
    void readsAnyRateWithTheLenientReader() throws IOException {
        Path p = file("espeak.wav", wav(1, 1, 22050, 16, pcm16((short) 3)));
        Wav.Audio audio = Wav.read(p);
        assertThat(audio.sampleRate()).isEqualTo(22050);
        assertThat(audio.samples()).containsExactly(3f / 32768f);
    }

    @Test
    void wrongRateNamesFileAndFormatFound() throws IOException {
        Path p = file("rate.wav", wav(1, 1, 22050, 16, pcm16((short) 1)));
        assertThatThrownBy(() -> Wav.readSpeechClip(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate.wav")
                .hasMessageContaining("22050 Hz mono 16-bit PCM, expected 16000 Hz mono 16-bit PCM");
    }

    @Test
    void stereoIsRejected() throws IOException {
        Path p = file("stereo.wav", wav(1, 2, 16000, 16, pcm16((short) 1, (short) 2)));
        assertThatThrownBy(() -> Wav.readSpeechClip(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stereo.wav").hasMessageContaining("16000 Hz stereo 16-bit PCM");
    }

    @Test
    void eightBitIsRejected() throws IOException {
        Path p = file("u8.wav", wav(1, 1, 22050, 8, new byte[] {(byte) 128, 127}));
        assertThatThrownBy(() -> Wav.read(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("u8.wav").hasMessageContaining("22050 Hz mono 8-bit PCM")
                .hasMessageContaining("expected mono 16-bit PCM");
    }

    @Test
    void floatFormatIsRejected() throws IOException {
        Path p = file("float.wav", wav(3, 1, 16000, 32, new byte[8]));
        assertThatThrownBy(() -> Wav.readSpeechClip(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16000 Hz mono 32-bit IEEE float, expected 16000 Hz mono 16-bit PCM");
    }

    @Test
    void truncatedDataIsRejected() throws IOException {
        byte[] full = wav(1, 1, 16000, 16, pcm16(new short[100]));
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 50);
        Path p = file("cut.wav", cut);
        assertThatThrownBy(() -> Wav.readSpeechClip(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cut.wav").hasMessageContaining("truncated")
                .hasMessageContaining("200 bytes but only 150 follow");
    }

    @Test
    void missingDataChunkIsRejected() throws IOException {
        byte[] full = wav(1, 1, 16000, 16, new byte[0]);
        byte[] headerOnly = java.util.Arrays.copyOf(full, 12 + 24); // RIFF header + fmt chunk only
        Path p = file("nodata.wav", headerOnly);
        assertThatThrownBy(() -> Wav.readSpeechClip(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodata.wav").hasMessageContaining("no data chunk");
    }

    @Test
    void notRiffIsRejected() throws IOException {
        Path p = file("song.mp3", "ID3\u0004\u0000junkjunkjunk".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Wav.readSpeechClip(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("song.mp3").hasMessageContaining("not a RIFF/WAVE file");
        Path empty = file("empty.wav", new byte[0]);
        assertThatThrownBy(() -> Wav.readSpeechClip(empty)).hasMessageContaining("not a RIFF/WAVE file");
    }

    @Test
    void missingFileNamesThePath() {
        Path p = dir.resolve("absent.wav");
        assertThatThrownBy(() -> Wav.readSpeechClip(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absent.wav").hasMessageContaining("cannot read");
    }

    @Test
    void writeThenReadRoundTripsAndClips() throws IOException {
        Path p = dir.resolve("sub/out.wav");
        float[] samples = {0f, 0.25f, -0.5f, 1.5f, -2f, 100f / 32768f};
        Wav.write(p, samples, 16000);
        assertThat(Wav.readSpeechClip(p)).containsExactly(0f, 0.25f, -0.5f, 32767f / 32768f, -1f, 100f / 32768f);
        byte[] bytes = Files.readAllBytes(p);
        assertThat(bytes).hasSize(44 + 12);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(24)).isEqualTo(16000); // sample rate field
        assertThat(b.getInt(40)).isEqualTo(12); // data size
        try (Stream<Path> left = Files.list(p.getParent())) {
            assertThat(left).containsExactly(p); // no temporary file left behind
        }
    }

    @Test
    void writeRejectsNaN() {
        assertThatThrownBy(() -> Wav.write(dir.resolve("nan.wav"), new float[] {Float.NaN}, 16000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThat(dir.resolve("nan.wav")).doesNotExist();
    }

    @Test
    void padOrCropToOneSecond() throws IOException {
        Path shortClip = file("short.wav", wav(1, 1, 16000, 16, pcm16((short) 5, (short) 6)));
        float[] padded = Wav.readSpeechClip(shortClip, 16000);
        assertThat(padded).hasSize(16000);
        assertThat(padded[0]).isEqualTo(5f / 32768f);
        assertThat(padded[1]).isEqualTo(6f / 32768f);
        for (int i = 2; i < padded.length; i++) {
            assertThat(padded[i]).isZero();
        }
        short[] longPcm = new short[17000];
        for (int i = 0; i < longPcm.length; i++) {
            longPcm[i] = (short) (i % 1000);
        }
        Path longClip = file("long.wav", wav(1, 1, 16000, 16, pcm16(longPcm)));
        float[] cropped = Wav.readSpeechClip(longClip, 16000);
        assertThat(cropped).hasSize(16000);
        assertThat(cropped[15999]).isEqualTo((15999 % 1000) / 32768f); // kept from the start
    }
}
