package io.dcgan4j.engine.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageGridTest {

    @Test
    void mapsMinusOneToBlackOneToWhiteAndClamps() {
        assertEquals(0, ImageGrid.toGray(-1f));
        assertEquals(255, ImageGrid.toGray(1f));
        assertEquals(128, ImageGrid.toGray(0f));
        assertEquals(64, ImageGrid.toGray(-0.5f));
        assertEquals(0, ImageGrid.toGray(-3f));
        assertEquals(255, ImageGrid.toGray(7f));
        assertEquals(0, ImageGrid.toGray(Float.NaN));
    }

    /** Three 2×3 images in two columns: tile placement, scaling and the black gaps. */
    @Test
    void placesEachTileScaledWithGaps() {
        int h = 2, w = 3, scale = 2;
        float[] images = new float[3 * h * w];
        for (int i = 0; i < images.length; i++) {
            images[i] = -1f + 2f * i / (images.length - 1);
        }
        BufferedImage img = ImageGrid.render(images, 3, h, w, 2, scale);
        assertEquals(2 * w * scale + 3 * scale, img.getWidth());
        assertEquals(2 * h * scale + 3 * scale, img.getHeight());
        Raster r = img.getRaster();
        for (int i = 0; i < 3; i++) {
            int top = scale + (i / 2) * (h * scale + scale);
            int left = scale + (i % 2) * (w * scale + scale);
            for (int y = 0; y < h * scale; y++) {
                for (int x = 0; x < w * scale; x++) {
                    int expected = ImageGrid.toGray(images[(i * h + y / scale) * w + x / scale]);
                    assertEquals(expected, r.getSample(left + x, top + y, 0), "tile " + i + " at " + x + "," + y);
                }
            }
        }
        assertEquals(0, r.getSample(0, 0, 0));
        assertEquals(0, r.getSample(img.getWidth() - 1, img.getHeight() - 1, 0), "the empty fourth tile is black");
    }

    @Test
    void writesAReadablePngAndReplacesAnOldOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("grid.png");
        Files.writeString(file, "old");
        float[] images = {-1f, 1f, 0.5f, -0.25f};
        ImageGrid.writePng(ImageGrid.render(images, 1, 2, 2, 1, 3), file);
        BufferedImage back = ImageIO.read(file.toFile());
        assertEquals(12, back.getWidth());
        assertEquals(255, back.getRaster().getSample(3 + 3, 3, 0) & 0xff);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void rejectsTooFewValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.render(new float[10], 4, 2, 2, 2, 1));
        assertEquals("4 images of 2×2 need 16 values, got 10", e.getMessage());
    }
}
