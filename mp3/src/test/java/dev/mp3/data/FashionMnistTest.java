package dev.mp3.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static final String SKIP = "Debian package dataset-fashion-mnist is not installed (no "
            + FashionMnist.SYSTEM_DIR + "): apt-get install dataset-fashion-mnist to run this test";

    @TempDir
    Path dir;

    private static boolean debianPresent() {
        boolean present = FashionMnist.hasFiles(FashionMnist.SYSTEM_DIR);
        if (!present) {
            System.err.println("SKIPPED: " + SKIP);
        }
        return present;
    }

    @Test
    void embeddedSubsetIsBalancedWithTheDocumentedSizes() {
        Splits s = FashionMnist.embedded();
        assertThat(s.train().size()).isEqualTo(10_000);
        assertThat(s.test().size()).isEqualTo(2_000);
        assertThat(s.train().classCounts()).containsOnly(1000);
        assertThat(s.test().classCounts()).containsOnly(200);
        assertThat(s.train().channels()).isEqualTo(1);
        assertThat(s.train().height()).isEqualTo(28);
        assertThat(s.train().width()).isEqualTo(28);
        assertThat(s.train().classNames()).containsExactlyElementsOf(FashionMnist.CLASS_NAMES);
        assertThat(s.train().normalization()).isEqualTo(Normalization.FASHION_MNIST);
    }

    @Test
    void embeddedSubsetIsTheFirstImagesOfEachClassOfTheOfficialFiles() throws IOException {
        assumeTrue(debianPresent(), SKIP);
        Splits full = FashionMnist.system();
        Splits embedded = FashionMnist.embedded();
        // The very first image of both files is the same picture.
        assertThat(embedded.train().imageBytes(0)).containsExactly(full.train().imageBytes(0));
        assertThat(embedded.train().label(0)).isEqualTo(full.train().label(0));
        // And every image follows the documented rule.
        ImageDataset train = full.train().firstPerClass(FashionMnist.EMBEDDED_TRAIN_PER_CLASS);
        ImageDataset test = full.test().firstPerClass(FashionMnist.EMBEDDED_TEST_PER_CLASS);
        assertThat(embedded.train().pixels()).isEqualTo(train.pixels());
        assertThat(embedded.train().labels()).isEqualTo(train.labels());
        assertThat(embedded.test().pixels()).isEqualTo(test.pixels());
        assertThat(embedded.test().labels()).isEqualTo(test.labels());
    }

    @Test
    void debianFilesCarryTheOfficialContentAndStatistics() throws IOException {
        assumeTrue(debianPresent(), SKIP);
        for (FashionMnist.DataFile f : FashionMnist.DataFile.values()) {
            assertThat(FashionMnist.checksumMismatch(f, FashionMnist.SYSTEM_DIR.resolve(f.gzName()))).isNull();
        }
        Splits full = FashionMnist.system();
        assertThat(full.train().size()).isEqualTo(60_000);
        assertThat(full.test().size()).isEqualTo(10_000);
        assertThat(full.train().classCounts()).containsOnly(6000);
        // The normalisation constants are the training split's statistics.
        Normalization measured = Normalization.measure(full.train());
        assertThat(measured.mean(0)).isCloseTo(Normalization.FASHION_MNIST.mean(0), within(5e-5f));
        assertThat(measured.std(0)).isCloseTo(Normalization.FASHION_MNIST.std(0), within(5e-5f));
        // 10% of the labels: 600 per class.
        assertThat(full.train().labelFraction(0.1, 0).classCounts()).containsOnly(600);
    }

    @Test
    void md5MatchesRfc1321TestVectors() throws IOException {
        assertThat(Download.md5(new ByteArrayInputStream(new byte[0]))).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Download.md5(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(Download.md5(new ByteArrayInputStream("message digest".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("f96b697d7cb7938d525a2f31aaf161d0");
    }

    @Test
    void fromDirectoryReadsUncompressedFilesAndNamesMissingOnes() throws IOException {
        byte[] pixels = new byte[3 * 28 * 28];
        pixels[28 * 28 + 5] = (byte) 250;
        Idx.writeImages(dir.resolve("train-images-idx3-ubyte"), new Idx.Images(3, 28, 28, pixels), false);
        Idx.writeLabels(dir.resolve("train-labels-idx1-ubyte"), new int[] {9, 0, 4}, false);
        Idx.writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), new Idx.Images(1, 28, 28, new byte[784]), true);
        assertThatThrownBy(() -> FashionMnist.fromDirectory(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("lacks t10k-labels-idx1-ubyte.gz");
        Idx.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {2}, false);
        Splits s = FashionMnist.fromDirectory(dir);
        assertThat(s.train().labels()).containsExactly(9, 0, 4);
        assertThat(s.train().pixel(1, 0, 0, 5)).isEqualTo(250);
        assertThat(s.test().labels()).containsExactly(2);
    }

    private Path fourFiles(String name) throws IOException {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        for (FashionMnist.DataFile f : FashionMnist.DataFile.values()) {
            Files.writeString(d.resolve(f.gzName()), "x");
        }
        return d;
    }

    @Test
    void locateTriesExplicitThenSystemThenCache() throws IOException {
        Path explicit = fourFiles("explicit");
        Path system = fourFiles("system");
        Path cache = fourFiles("cache");
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertThat(FashionMnist.locate(explicit, system, cache)).isEqualTo(explicit);
        assertThat(FashionMnist.locate(null, system, cache)).isEqualTo(system);
        assertThat(FashionMnist.locate(null, empty, cache)).isEqualTo(cache);
        assertThatThrownBy(() -> FashionMnist.locate(empty, system, cache))
                .hasMessageContaining("--data " + empty)
                .hasMessageContaining("lacks train-images-idx3-ubyte.gz");
        assertThatThrownBy(() -> FashionMnist.locate(dir.resolve("nowhere"), system, cache))
                .hasMessageContaining("no such folder");
        assertThatThrownBy(() -> FashionMnist.locate(null, empty, empty.resolve("cache")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("--data DIR")
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining(FashionMnist.OFFICIAL_URL.toString())
                .hasMessageContaining(empty.resolve("cache").toString());
    }

    /** A local HTTP server serving {@code files} by name; anything else is 404. */
    private static HttpServer serve(Map<String, byte[]> files) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath().substring(1));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI base(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private List<Path> leftovers(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void downloadVerifiesAndInstallsTheFiles() throws IOException {
        assumeTrue(debianPresent(), SKIP);
        Map<String, byte[]> files = new ConcurrentHashMap<>();
        for (FashionMnist.DataFile f : FashionMnist.DataFile.values()) {
            files.put(f.gzName(), Files.readAllBytes(FashionMnist.SYSTEM_DIR.resolve(f.gzName())));
        }
        Path cache = dir.resolve("cache");
        HttpServer server = serve(files);
        try {
            Splits s = FashionMnist.download(cache, base(server));
            assertThat(s.train().size()).isEqualTo(60_000);
            assertThat(s.test().size()).isEqualTo(10_000);
        } finally {
            server.stop(0);
        }
        for (FashionMnist.DataFile f : FashionMnist.DataFile.values()) {
            assertThat(Files.readAllBytes(cache.resolve(f.gzName()))).isEqualTo(files.get(f.gzName()));
        }
        assertThat(leftovers(cache)).isEmpty();
        // Verified files already in the cache are kept: with the server gone this still works.
        assertThat(FashionMnist.download(cache, base(server)).test().size()).isEqualTo(10_000);
    }

    @Test
    void badChecksumDeletesTheDownloadAndFails() throws IOException {
        // A well-formed gzip IDX label file that is not the official one.
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 3, 4});
        }
        Map<String, byte[]> files = new ConcurrentHashMap<>();
        files.put(FashionMnist.DataFile.TRAIN_IMAGES.gzName(), gz.toByteArray());
        Path cache = dir.resolve("cache");
        HttpServer server = serve(files);
        try {
            URI url = base(server).resolve(FashionMnist.DataFile.TRAIN_IMAGES.gzName());
            assertThatThrownBy(() -> FashionMnist.download(cache, base(server)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("checksum mismatch for " + url)
                    .hasMessageContaining("expected " + FashionMnist.DataFile.TRAIN_IMAGES.gzMd5())
                    .hasMessageContaining("expected " + FashionMnist.DataFile.TRAIN_IMAGES.rawMd5())
                    .hasMessageContaining("deleted");
            assertThat(cache.resolve(FashionMnist.DataFile.TRAIN_IMAGES.gzName())).doesNotExist();
            assertThat(leftovers(cache)).isEmpty();

            // Not gzip at all.
            files.put(FashionMnist.DataFile.TRAIN_IMAGES.gzName(), "<html>moved</html>".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> FashionMnist.download(cache, base(server)))
                    .hasMessageContaining("not valid gzip");
            assertThat(leftovers(cache)).isEmpty();

            // Missing on the server.
            files.clear();
            assertThatThrownBy(() -> FashionMnist.download(cache, base(server)))
                    .hasMessageContaining("HTTP status 404");
            assertThat(leftovers(cache)).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void recompressedCopyOfTheOfficialContentPassesTheCheck() throws IOException {
        assumeTrue(debianPresent(), SKIP);
        // Re-gzip the official labels with Java's compressor: different .gz bytes, same content.
        FashionMnist.DataFile f = FashionMnist.DataFile.TEST_LABELS;
        byte[] content;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(FashionMnist.SYSTEM_DIR.resolve(f.gzName())))) {
            content = in.readAllBytes();
        }
        Path regz = dir.resolve(f.gzName());
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(regz))) {
            out.write(content);
        }
        assertThat(Download.md5(regz)).isNotEqualTo(f.gzMd5());
        assertThat(FashionMnist.checksumMismatch(f, regz)).isNull();
        // One flipped label is caught.
        byte[] tampered = Arrays.copyOf(content, content.length);
        tampered[100] ^= 1;
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(regz))) {
            out.write(tampered);
        }
        assertThat(FashionMnist.checksumMismatch(f, regz)).contains("decompressed MD5").contains(f.rawMd5());
    }
}
