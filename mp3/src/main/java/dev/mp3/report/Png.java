package dev.mp3.report;

import dev.mp3.tensor.io.AtomicFile;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Float images to PNG. Pixel values are in [0, 1] (clamped; NaN shows as black), laid out
 * channel-major like a tensor row: {@code [C, H, W]} with C = 1 (grey) or 3 (RGB). A value v
 * becomes the byte round(255 v).
 */
public final class Png {

    private static final Color CAPTION = new Color(40, 40, 40);

    private Png() {
    }

    /** One image from {@code values[offset ..]} in [C, H, W] order. */
    public static BufferedImage image(float[] values, int offset, int channels, int height, int width) {
        checkChannels(channels);
        if (offset < 0 || (long) offset + (long) channels * height * width > values.length) {
            throw new IllegalArgumentException("Png.image: " + channels + "x" + height + "x" + width
                    + " values from offset " + offset + " do not fit in an array of " + values.length);
        }
        BufferedImage image = new BufferedImage(width, height,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = offset + y * width + x;
                if (channels == 1) {
                    // Set the sample itself: setRGB on a grey image would convert through a linear
                    // grey colour space and shift mid-tones.
                    image.getRaster().setSample(x, y, 0, toByte(values[p]));
                } else {
                    image.setRGB(x, y, rgb(values, p, plane));
                }
            }
        }
        return image;
    }

    /**
     * A grid of {@code count} images taken from {@code values} ([count, C, H, W]), {@code columns}
     * per row, each enlarged {@code scale} times (nearest neighbour) on a white background with a
     * 2-pixel gap. When {@code captions} is not null, one caption per image is drawn below it.
     */
    public static BufferedImage grid(float[] values, int count, int channels, int height, int width,
                                     int columns, int scale, List<String> captions) {
        checkChannels(channels);
        if (count <= 0 || columns <= 0 || scale <= 0) {
            throw new IllegalArgumentException("Png.grid: count " + count + ", columns " + columns
                    + " and scale " + scale + " must all be positive");
        }
        if ((long) count * channels * height * width != values.length) {
            throw new IllegalArgumentException("Png.grid: " + values.length + " values, expected count x C x H x W = "
                    + count + "x" + channels + "x" + height + "x" + width);
        }
        if (captions != null && captions.size() != count) {
            throw new IllegalArgumentException("Png.grid: " + captions.size() + " captions for " + count + " images");
        }
        int gap = 2;
        int captionHeight = captions == null ? 0 : BitmapFont.CELL_HEIGHT + 2;
        int cellW = width * scale;
        int cellH = height * scale + captionHeight;
        int rows = (count + columns - 1) / columns;
        int cols = Math.min(columns, count);
        BufferedImage grid = new BufferedImage(gap + cols * (cellW + gap), gap + rows * (cellH + gap),
                BufferedImage.TYPE_INT_RGB);
        var g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        g.dispose();
        int size = channels * height * width;
        int plane = height * width;
        for (int i = 0; i < count; i++) {
            int left = gap + (i % columns) * (cellW + gap);
            int top = gap + (i / columns) * (cellH + gap);
            for (int y = 0; y < height * scale; y++) {
                for (int x = 0; x < cellW; x++) {
                    int p = i * size + (y / scale) * width + x / scale;
                    grid.setRGB(left + x, top + y, rgb(values, p, channels == 1 ? 0 : plane));
                }
            }
            if (captions != null) {
                String text = fit(captions.get(i), cellW);
                BitmapFont.draw(grid, text, left + (cellW - BitmapFont.width(text, 1)) / 2,
                        top + height * scale + 2, 1, CAPTION);
            }
        }
        return grid;
    }

    /** Writes {@code image} as PNG, atomically. */
    public static void write(Path path, BufferedImage image) throws IOException {
        AtomicFile.write(path, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available for image type " + image.getType());
            }
        });
    }

    /** Reads a PNG (or any image ImageIO reads); a damaged file is an IOException naming it. */
    public static BufferedImage read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        checkClaimedSize(path, bytes);
        BufferedImage image;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            image = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            // ImageIO's messages ("I/O error reading PNG header!") do not say which file, and its
            // decoders throw unchecked exceptions on some damaged input.
            throw new IOException(path + ": not a readable PNG (" + e + ")", e);
        }
        if (image == null) {
            throw new IOException(path + ": not a readable image (expected a PNG)");
        }
        return image;
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /**
     * ImageIO allocates the whole image as soon as it has read the header, so a damaged width or
     * height (a million rows in a 200-byte file) would cost gigabytes or an OutOfMemoryError before
     * the missing data is noticed. Deflate expands at most about 1,032-fold, so a header claiming
     * more pixel bytes than that times the file's length is refused first.
     */
    private static void checkClaimedSize(Path path, byte[] bytes) throws IOException {
        if (bytes.length < 26 || !Arrays.equals(bytes, 0, 8, SIGNATURE, 0, 8)
                || !new String(bytes, 12, 4, StandardCharsets.ISO_8859_1).equals("IHDR")) {
            return; // not a PNG with a header to check; ImageIO says what it is not
        }
        ByteBuffer header = ByteBuffer.wrap(bytes); // big-endian, as PNG is
        long width = Integer.toUnsignedLong(header.getInt(16));
        long height = Integer.toUnsignedLong(header.getInt(20));
        int depth = bytes[24] & 0xFF;
        int channels = switch (bytes[25]) {
            case 2 -> 3;      // RGB
            case 4 -> 2;      // grey + alpha
            case 6 -> 4;      // RGBA
            default -> 1;     // grey, palette, or invalid (ImageIO rejects those): the fewest bits
        };
        // Scanline bytes without the filter bytes: a lower bound for interlaced images too.
        long pixelBytes = height * ((width * channels * Math.max(1, depth) + 7) / 8);
        long most = 1_032L * bytes.length;
        if (pixelBytes > most) {
            throw new IOException(path + ": PNG header claims " + width + " x " + height + " pixels (" + pixelBytes
                    + " bytes of image data), more than the " + bytes.length + "-byte file can hold compressed"
                    + " (at most " + most + "); expected an undamaged PNG");
        }
    }

    /** Packed 0xRRGGBB of the pixel at {@code p}; {@code plane} 0 means grey (one channel). */
    private static int rgb(float[] values, int p, int plane) {
        int r = toByte(values[p]);
        if (plane == 0) {
            return r << 16 | r << 8 | r;
        }
        return r << 16 | toByte(values[p + plane]) << 8 | toByte(values[p + 2 * plane]);
    }

    static int toByte(float v) {
        if (!(v > 0f)) {
            return 0;
        }
        return v >= 1f ? 255 : Math.round(v * 255f);
    }

    private static String fit(String caption, int pixels) {
        int chars = Math.max(1, (pixels + 1) / BitmapFont.CELL_WIDTH);
        return caption.length() <= chars ? caption : caption.substring(0, chars);
    }

    private static void checkChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Png: " + channels + " channels; expected 1 (grey) or 3 (RGB)");
        }
    }
}
