package dev.mp3.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Where Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; MIT licence, Zalando SE) comes from:
 * <ul>
 *   <li>{@link #embedded()}: a real subset committed in this jar, 1,000 training and 200 test images
 *       per class (10,000 / 2,000), so demos and tests run offline anywhere;</li>
 *   <li>{@link #fromDirectory(Path)}: the four IDX files, gzip-compressed or not, in a folder;</li>
 *   <li>{@link #system()}: the Debian package {@code dataset-fashion-mnist}, {@value #SYSTEM_DIR_NAME};</li>
 *   <li>{@link #download(Path)}: the official site into a cache folder, each file checked against
 *       the MD5 published in the zalandoresearch/fashion-mnist README.</li>
 * </ul>
 * {@link #locate} picks the full set for a {@code --data} option: explicit path, then the system
 * folder, then the cache, else an error that lists the three ways to get it.
 */
public final class FashionMnist {

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String SYSTEM_DIR_NAME = "/usr/share/datasets/fashion-mnist";
    public static final Path SYSTEM_DIR = Path.of(SYSTEM_DIR_NAME);
    /** The official download address (an S3 website endpoint, which serves plain HTTP only). */
    public static final URI OFFICIAL_URL = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
    /** Classpath folder of the embedded subset. */
    public static final String RESOURCE_DIR = "/dev/mp3/data/fashion-mnist/";
    public static final int EMBEDDED_TRAIN_PER_CLASS = 1000;
    public static final int EMBEDDED_TEST_PER_CLASS = 200;

    /**
     * The four files. {@code gzMd5} is the checksum of the .gz file published in the upstream README;
     * {@code rawMd5} that of the decompressed IDX bytes. Mirrors may recompress (the Debian package
     * does: same IDX bytes, different .gz bytes), so a file passes if either checksum matches.
     */
    public enum DataFile {
        TRAIN_IMAGES("train-images-idx3-ubyte", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
        TRAIN_LABELS("train-labels-idx1-ubyte", "25c81989df183df01b3e8a0aad5dffbe", "9018921c3c673c538a1fc5bad174d6f9"),
        TEST_IMAGES("t10k-images-idx3-ubyte", "bef4ecab320f06d8554ea6380940ec79", "8181f5470baa50b63fa0f6fddb340f0a"),
        TEST_LABELS("t10k-labels-idx1-ubyte", "bb300cfdad3c16e7a12a480ee83cd310", "15d484375f8d13e6eb1aabb0c3f46965");

        private final String baseName;
        private final String gzMd5;
        private final String rawMd5;

        DataFile(String baseName, String gzMd5, String rawMd5) {
            this.baseName = baseName;
            this.gzMd5 = gzMd5;
            this.rawMd5 = rawMd5;
        }

        /** The uncompressed name, e.g. {@code train-images-idx3-ubyte}. */
        public String baseName() {
            return baseName;
        }

        public String gzName() {
            return baseName + ".gz";
        }

        public String gzMd5() {
            return gzMd5;
        }

        public String rawMd5() {
            return rawMd5;
        }
    }

    private FashionMnist() {
    }

    // ---------------------------------------------------------------- sources

    /** The committed subset: 10,000 training and 2,000 test images, balanced over the 10 classes. */
    public static Splits embedded() {
        try {
            return new Splits(
                    loadResource(DataFile.TRAIN_IMAGES, DataFile.TRAIN_LABELS, "fashion-mnist-embedded-train"),
                    loadResource(DataFile.TEST_IMAGES, DataFile.TEST_LABELS, "fashion-mnist-embedded-test"));
        } catch (IOException e) {
            throw new IllegalStateException("the embedded Fashion-MNIST subset in this jar is unreadable (a packaging "
                    + "error): " + e.getMessage(), e);
        }
    }

    /** The four files in {@code dir}, each as {@code NAME.gz} or {@code NAME}. */
    public static Splits fromDirectory(Path dir) throws IOException {
        List<String> missing = missingFiles(dir);
        if (!missing.isEmpty()) {
            throw new IOException("Fashion-MNIST folder " + dir + " lacks " + String.join(", ", missing)
                    + "; expected the four files " + fileList() + " (each may also be uncompressed, without .gz)");
        }
        return new Splits(
                Idx.load(find(dir, DataFile.TRAIN_IMAGES), find(dir, DataFile.TRAIN_LABELS), "fashion-mnist-train",
                        CLASS_NAMES, Normalization.FASHION_MNIST),
                Idx.load(find(dir, DataFile.TEST_IMAGES), find(dir, DataFile.TEST_LABELS), "fashion-mnist-test",
                        CLASS_NAMES, Normalization.FASHION_MNIST));
    }

    /** The Debian package's copy in {@value #SYSTEM_DIR_NAME}. */
    public static Splits system() throws IOException {
        return fromDirectory(SYSTEM_DIR);
    }

    /** Downloads the files missing from {@code cacheDir} from the official address, then loads them. */
    public static Splits download(Path cacheDir) throws IOException {
        return download(cacheDir, OFFICIAL_URL);
    }

    /**
     * Downloads from {@code baseUrl} (the official address or a mirror with the same file names) every
     * file that is not already in {@code cacheDir} with a matching checksum, then loads them. Each file
     * is verified before it is renamed into place; a mismatch deletes it and fails.
     */
    public static Splits download(Path cacheDir, URI baseUrl) throws IOException {
        for (DataFile f : DataFile.values()) {
            Path target = cacheDir.resolve(f.gzName());
            if (Files.isRegularFile(target) && checksumMismatch(f, target) == null) {
                continue;
            }
            URI url = baseUrl.resolve(f.gzName());
            Download.fetch(url, target, downloaded -> {
                String problem = checksumMismatch(f, downloaded);
                if (problem != null) {
                    throw new IOException("checksum mismatch for " + url + ": " + problem
                            + "; the download was deleted (try again, or fetch the files by hand and pass the folder)");
                }
            });
        }
        return fromDirectory(cacheDir);
    }

    /**
     * The folder to read the full data set from, for a {@code --data} option: {@code explicit} if given
     * (which must hold the files), else {@value #SYSTEM_DIR_NAME}, else {@code cacheDir}; if none has
     * the files, an IOException explains the three ways to get them.
     */
    public static Path locate(Path explicit, Path cacheDir) throws IOException {
        return locate(explicit, SYSTEM_DIR, cacheDir);
    }

    static Path locate(Path explicit, Path systemDir, Path cacheDir) throws IOException {
        if (explicit != null) {
            List<String> missing = missingFiles(explicit);
            if (!missing.isEmpty()) {
                throw new IOException("--data " + explicit + ": " + (Files.isDirectory(explicit)
                        ? "the folder lacks " + String.join(", ", missing) : "no such folder")
                        + "; expected a folder with " + fileList());
            }
            return explicit;
        }
        if (missingFiles(systemDir).isEmpty()) {
            return systemDir;
        }
        if (cacheDir != null && missingFiles(cacheDir).isEmpty()) {
            return cacheDir;
        }
        throw new IOException("the full Fashion-MNIST data set was not found. Get it one of three ways:\n"
                + "  1. pass --data DIR, a folder with " + fileList() + ";\n"
                + "  2. install the Debian/Ubuntu package: sudo apt-get install dataset-fashion-mnist (files go to "
                + systemDir + ");\n"
                + "  3. download it from " + OFFICIAL_URL + " into " + cacheDir + " (checksums verified) with --download.");
    }

    /** {@code $XDG_CACHE_HOME/mp3/fashion-mnist}, or {@code ~/.cache/mp3/fashion-mnist}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mp3").resolve("fashion-mnist");
    }

    /** Whether {@code dir} holds all four files (compressed or not). */
    public static boolean hasFiles(Path dir) {
        return missingFiles(dir).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    static String checksumMismatch(DataFile f, Path file) throws IOException {
        String md5 = Download.md5(file);
        if (md5.equals(f.gzMd5())) {
            return null;
        }
        String content;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            content = Download.md5(in);
        } catch (IOException notGzip) {
            return "MD5 " + md5 + ", expected " + f.gzMd5() + " (published for " + f.gzName()
                    + "), and the file is not valid gzip (" + notGzip.getMessage() + ")";
        }
        if (content.equals(f.rawMd5())) {
            return null;
        }
        return "MD5 " + md5 + ", expected " + f.gzMd5() + " (published for " + f.gzName()
                + "); decompressed MD5 " + content + ", expected " + f.rawMd5() + " (" + f.baseName() + ")";
    }

    private static ImageDataset loadResource(DataFile images, DataFile labels, String name) throws IOException {
        try (InputStream imagesIn = resource(images); InputStream labelsIn = resource(labels)) {
            return Idx.load(imagesIn, "classpath:" + RESOURCE_DIR + images.gzName(), labelsIn,
                    "classpath:" + RESOURCE_DIR + labels.gzName(), name, CLASS_NAMES, Normalization.FASHION_MNIST);
        }
    }

    private static InputStream resource(DataFile f) throws IOException {
        InputStream in = FashionMnist.class.getResourceAsStream(RESOURCE_DIR + f.gzName());
        if (in == null) {
            throw new IOException("resource " + RESOURCE_DIR + f.gzName() + " is missing");
        }
        return in;
    }

    private static Path find(Path dir, DataFile f) {
        Path gz = dir.resolve(f.gzName());
        return Files.isRegularFile(gz) ? gz : dir.resolve(f.baseName());
    }

    private static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (DataFile f : DataFile.values()) {
            if (!Files.isRegularFile(dir.resolve(f.gzName())) && !Files.isRegularFile(dir.resolve(f.baseName()))) {
                missing.add(f.gzName());
            }
        }
        return missing;
    }

    private static String fileList() {
        List<String> names = new ArrayList<>();
        for (DataFile f : DataFile.values()) {
            names.add(f.gzName());
        }
        return String.join(", ", names);
    }
}
