package dev.mp3.data;

import dev.mp3.report.ProgressBar;
import dev.mp3.tensor.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches one file over HTTP(S) into place safely: the body goes to a temporary file next to the
 * target, is checked, and only then renamed to the target name. A failed transfer or a failed check
 * deletes the temporary file, so the target is either absent or a verified copy.
 */
public final class Download {

    /** Decides whether a downloaded file is the one we wanted; throws with the reason if not. */
    @FunctionalInterface
    public interface Check {
        void verify(Path downloaded) throws IOException;
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    private Download() {
    }

    public static void fetch(URI url, Path target, Check check) throws IOException {
        Path temp = AtomicFile.createTemp(target, ".part");
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build();
            HttpResponse<InputStream> response;
            try {
                response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + url + " interrupted", e);
            } catch (IOException e) {
                throw new IOException("cannot download " + url + ": " + e.getMessage(), e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("cannot download " + url + ": HTTP status " + response.statusCode()
                            + "; expected 200");
                }
                copyWithProgress(body, temp, response.headers().firstValueAsLong("Content-Length").orElse(-1),
                        target.getFileName().toString());
            }
            check.verify(temp);
            AtomicFile.moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Copies the body to {@code temp}, with a progress bar in KiB when the server said how long it is. */
    private static void copyWithProgress(InputStream body, Path temp, long length, String name) throws IOException {
        ProgressBar bar = length > 0 ? ProgressBar.console(name, Math.max(1, length >> 10), 1024, "B") : null;
        long copied = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(temp)) {
            for (int n; (n = body.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                copied += n;
                if (bar != null) {
                    bar.update(copied >> 10, Double.NaN);
                }
            }
        }
        if (bar != null) {
            bar.finish(copied >> 10, Double.NaN);
        }
    }

    /** Lower-case hex MD5 of a file's bytes. */
    public static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return md5(in);
        }
    }

    /** Lower-case hex MD5 of everything {@code in} yields. */
    public static String md5(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5 (every Java SE runtime must)", e);
        }
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
