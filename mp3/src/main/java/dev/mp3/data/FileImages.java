package dev.mp3.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Images as JPEG or PNG files, decoded by the JDK's ImageIO each time one is read, always as 3-channel
 * RGB (grey is replicated, alpha dropped). The store holds only where the files are: a folder table
 * plus one file name and one folder index per image, about 100 bytes an image, so ImageNet's 1.28
 * million training images cost some 130 MB of heap rather than the ~200 GB of their pixels. A
 * subset is a view, an index array into the same table.
 */
final class FileImages implements ImageStore {

    /** PNG files end with this IEND chunk; checking it catches files cut short by a failed copy. */
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    private final Path[] folders;
    private final int[] folderOf;
    private final String[] names;
    /** The images of this view as indices into the table, or null for all of it in order. */
    private final int[] view;

    FileImages(Path[] folders, int[] folderOf, String[] names) {
        this(folders, folderOf, names, null);
    }

    private FileImages(Path[] folders, int[] folderOf, String[] names, int[] view) {
        if (folderOf.length != names.length) {
            throw new IllegalArgumentException(folderOf.length + " folder indices for " + names.length + " files");
        }
        this.folders = folders;
        this.folderOf = folderOf;
        this.names = names;
        this.view = view;
    }

    @Override
    public int size() {
        return view == null ? names.length : view.length;
    }

    /** The file of image {@code i}. */
    Path path(int i) {
        int k = view == null ? i : view[i];
        return folders[folderOf[k]].resolve(names[k]);
    }

    @Override
    public Image read(int i) {
        return decode(path(i));
    }

    @Override
    public FileImages select(int[] indices) {
        int[] v = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            v[k] = view == null ? indices[k] : view[indices[k]];
        }
        return new FileImages(folders, folderOf, names, v);
    }

    /**
     * Decodes {@code file} into planar RGB bytes. A file that no longer decodes (changed or cut short
     * since the dataset was loaded) is an {@link UncheckedIOException} naming it, since reads happen
     * deep inside batch building where a checked exception cannot travel.
     */
    static Image decode(Path file) {
        BufferedImage b;
        try {
            b = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException(file + ": cannot decode the image (" + reason(e)
                    + "); was the file changed since the dataset was loaded?", e));
        }
        if (b == null) {
            throw new UncheckedIOException(new IOException(file + ": no JPEG or PNG reader recognises the file;"
                    + " was it changed since the dataset was loaded?"));
        }
        return rgb(b);
    }

    /**
     * Why {@code file} is not a readable JPEG or PNG, or null if it looks fine. Cheap: reads only the
     * header (format, width and height) and, for PNGs, the closing IEND chunk; a JPEG cut short still
     * decodes (the missing rows come out grey), so its end is not checked.
     */
    static String problem(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return "cannot open the file";
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return "not a JPEG or PNG image (no image reader recognises its first bytes)";
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!format.equals("jpeg") && !format.equals("png")) {
                    return "a " + format + " image, not JPEG or PNG";
                }
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    return "image size " + w + "x" + h;
                }
                if (!reader.getImageTypes(0).hasNext()) {
                    return "unsupported colour type (for instance a CMYK JPEG)";
                }
                if (format.equals("png") && !endsWith(file, PNG_END)) {
                    return "truncated PNG (no IEND chunk at the end)";
                }
                return null;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return reason(e);
        }
    }

    private static boolean endsWith(Path file, byte[] tail) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            if (ch.size() < tail.length) {
                return false;
            }
            ch.position(ch.size() - tail.length);
            ByteBuffer buf = ByteBuffer.allocate(tail.length);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until full or end of file
            }
            return !buf.hasRemaining() && ByteBuffer.wrap(tail).equals(buf.flip());
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }

    /**
     * The image as [3, H, W] bytes. Grey and RGB images with component colour models are read from
     * the raster's samples, exactly as stored: going through {@code getRGB} would apply the JDK's
     * linear-grey to sRGB conversion and change grey values. Anything else (palette PNGs) goes
     * through {@code getRGB}, which is exact for sRGB palettes.
     */
    static Image rgb(BufferedImage b) {
        int w = b.getWidth();
        int h = b.getHeight();
        int plane = w * h;
        byte[] out = new byte[3 * plane];
        ColorModel cm = b.getColorModel();
        Raster raster = b.getRaster();
        int type = cm.getColorSpace().getType();
        boolean grey = type == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
        boolean srgb = cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3;
        if (!(cm instanceof IndexColorModel) && (grey || srgb)) {
            int bands = grey ? 1 : 3;
            int[] row = new int[w];
            for (int band = 0; band < bands; band++) {
                int max = (1 << cm.getComponentSize(band)) - 1;
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, band, row);
                    for (int x = 0; x < w; x++) {
                        int v = max == 255 ? row[x] : (int) Math.round(row[x] * 255.0 / max);
                        if (grey) {
                            out[y * w + x] = (byte) v;
                            out[plane + y * w + x] = (byte) v;
                            out[2 * plane + y * w + x] = (byte) v;
                        } else {
                            out[band * plane + y * w + x] = (byte) v;
                        }
                    }
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                b.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    out[y * w + x] = (byte) (p >> 16);
                    out[plane + y * w + x] = (byte) (p >> 8);
                    out[2 * plane + y * w + x] = (byte) p;
                }
            }
        }
        return new Image(out, 3, h, w);
    }
}
