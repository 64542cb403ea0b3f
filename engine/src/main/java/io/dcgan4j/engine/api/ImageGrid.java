package io.dcgan4j.engine.api;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Lays out single-channel images in [−1, 1] as a gray-level grid, the seed's {@code generate_plot_image}: value v
 * becomes gray {@code round(127.5 · (v + 1))}, clamped to 0..255. The mapping is fixed, not stretched per image
 * (matplotlib's {@code imshow} stretches each tile to its own range), so grids of different epochs compare.
 */
public final class ImageGrid {

    private ImageGrid() {
    }

    /**
     * A grid of {@code count} images of {@code height × width} ({@code images} holds them one after the other),
     * {@code columns} per row, each pixel drawn as a {@code scale × scale} block, with a one-block black gap between
     * tiles.
     *
     * @param images  the values, one image after another
     * @param count   images to draw
     * @param height  image height in pixels
     * @param width   image width in pixels
     * @param columns tiles per row
     * @param scale   screen pixels per image pixel, each way
     * @return the grid, 8-bit gray
     */
    public static BufferedImage render(float[] images, int count, int height, int width, int columns, int scale) {
        if (count < 1 || height < 1 || width < 1 || columns < 1 || scale < 1) {
            throw new IllegalArgumentException("count, height, width, columns and scale must be positive");
        }
        if (images.length < count * height * width) {
            throw new IllegalArgumentException(count + " images of " + height + "×" + width + " need "
                    + count * height * width + " values, got " + images.length);
        }
        int rows = (count + columns - 1) / columns;
        int tileH = height * scale, tileW = width * scale;
        BufferedImage out = new BufferedImage(columns * tileW + (columns + 1) * scale,
                rows * tileH + (rows + 1) * scale, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = out.getRaster();
        for (int i = 0; i < count; i++) {
            int top = scale + (i / columns) * (tileH + scale);
            int left = scale + (i % columns) * (tileW + scale);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int gray = toGray(images[(i * height + y) * width + x]);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setSample(left + x * scale + dx, top + y * scale + dy, 0, gray);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The column count that makes a grid most nearly square.
     *
     * @param count images in a grid
     * @return the columns of the most nearly square grid: {@code ceil(sqrt(count))}
     */
    public static int squareColumns(int count) {
        int c = (int) Math.ceil(Math.sqrt(count));
        return Math.max(1, c);
    }

    /**
     * Encodes an image as PNG in memory.
     *
     * @param image an image
     * @return the image encoded as PNG
     * @throws IOException the image cannot be encoded
     */
    public static byte[] pngBytes(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available");
        }
        return out.toByteArray();
    }

    /**
     * The gray level of a value in [−1, 1]; NaN maps to 0.
     *
     * @param v a generated value
     * @return 0 (black) to 255 (white)
     */
    public static int toGray(float v) {
        float g = Math.round(127.5f * (v + 1f));
        return g >= 255f ? 255 : g > 0f ? (int) g : 0;
    }

    /**
     * Writes {@code image} as a PNG file, replacing {@code file} only once the new one is complete.
     *
     * @param image the image
     * @param file  where to write it; its folder must exist
     * @throws IOException the file cannot be written; an existing {@code file} is left as it was
     */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
