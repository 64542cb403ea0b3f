package io.dcgan4j.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code train} on the real MNIST files of {@code shared/}: one epoch of 512 images in batches of 64. */
class TrainEndToEndTest {

    private static final Pattern STEP = Pattern.compile(
            "^epoch:(\\d+),batch step:(\\d+),d_loss:([^,]+),g_loss:(\\S+) \\((\\d+) img/s\\)$");

    @BeforeAll
    static void needsShared() {
        Path mnist = CommandLineTest.mnist();
        boolean present = Files.isDirectory(mnist);
        if (!present) {
            System.out.println("TrainEndToEndTest skipped: no MNIST at " + mnist + " (shared/ is not beside the repository)");
        }
        assumeTrue(present, "no MNIST at " + mnist);
    }

    private static CliRun train(Path out, long seed) {
        return CliRun.of("train", "--data", CommandLineTest.mnist().toString(), "--samples", "512",
                "--batch-size", "64", "--epochs", "1", "--seed", Long.toString(seed), "--threads", "2",
                "--out", out.toString());
    }

    @Test
    void oneEpochWritesTheGridAndFiniteLossesAndRepeatsForTheSameSeed(@TempDir Path dir) throws IOException {
        CliRun r = train(dir.resolve("a"), 42);
        assertEquals(0, r.exitCode(), r.err());
        List<String> steps = r.out().lines().filter(l -> l.startsWith("epoch:")).toList();
        assertEquals(8, steps.size(), r.out());
        for (int i = 0; i < steps.size(); i++) {
            Matcher m = STEP.matcher(steps.get(i));
            assertTrue(m.matches(), steps.get(i));
            assertEquals(1, Integer.parseInt(m.group(1)));
            assertEquals(i + 1, Integer.parseInt(m.group(2)));
            assertTrue(Float.isFinite(Float.parseFloat(m.group(3))), steps.get(i));
            assertTrue(Float.isFinite(Float.parseFloat(m.group(4))), steps.get(i));
        }
        assertTrue(r.out().contains("seed 42"), r.out());

        Path png = dir.resolve("a/image_at_epoch_0001.png");
        BufferedImage img = ImageIO.read(png.toFile());
        int side = RunOutputs.GRID_COLUMNS * (28 * RunOutputs.GRID_SCALE)
                + (RunOutputs.GRID_COLUMNS + 1) * RunOutputs.GRID_SCALE;
        assertEquals(side, img.getWidth());
        assertEquals(side, img.getHeight());
        int min = 255, max = 0;
        int tile = RunOutputs.GRID_SCALE;
        for (int y = tile; y < tile + 28 * tile; y++) {
            for (int x = tile; x < tile + 28 * tile; x++) {
                int g = img.getRaster().getSample(x, y, 0);
                min = Math.min(min, g);
                max = Math.max(max, g);
            }
        }
        assertTrue(min >= 0 && max <= 255 && max - min > 16, "gray range of the first tile " + min + ".." + max);

        List<String> metrics = Files.readAllLines(dir.resolve("a/metrics.csv"));
        assertEquals(MetricsCsv.HEADER, metrics.get(0));
        assertEquals("epoch,step,d_loss,g_loss,d_real,d_fake,ms_per_step,images_per_second,fcd_mnist_classifier,"
                + "classifier_score,class_entropy", metrics.get(0));
        assertEquals(9, metrics.size(), "a header and one row per step");
        for (int i = 1; i < metrics.size(); i++) {
            String[] f = metrics.get(i).split(",", -1);
            assertEquals(11, f.length, metrics.get(i));
            assertEquals(",,,", metrics.get(i).substring(metrics.get(i).length() - 3), "no --eval-every: no scores");
            assertEquals("1", f[0]);
            assertEquals(Integer.toString(i), f[1]);
            for (int c = 2; c < 6; c++) {
                assertTrue(Float.isFinite(Float.parseFloat(f[c])), metrics.get(i));
            }
            float dReal = Float.parseFloat(f[4]), dFake = Float.parseFloat(f[5]);
            assertTrue(dReal > 0 && dReal < 1 && dFake > 0 && dFake < 1, "D's means are probabilities");
            assertTrue(Double.parseDouble(f[6]) > 0 && Double.parseDouble(f[7]) > 0, metrics.get(i));
        }
        BufferedImage plot = ImageIO.read(dir.resolve("a/" + LossPlot.FILE_NAME).toFile());
        assertEquals(LossPlot.WIDTH, plot.getWidth());
        assertEquals(LossPlot.HEIGHT, plot.getHeight());
        assertEquals(1, gifFrames(dir.resolve("a/" + EpochAnimation.FILE_NAME)), "one frame per epoch");
        assertTrue(Files.isRegularFile(dir.resolve("a/" + RunOutputs.CHECKPOINT_FILE)));

        CliRun again = train(dir.resolve("b"), 42);
        assertEquals(losses(r.out()), losses(again.out()), "the same seed gives the same losses");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(png),
                Files.readAllBytes(dir.resolve("b/image_at_epoch_0001.png"))), "and the same grid");
    }

    static int gifFrames(Path gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }

    private static List<String> losses(String out) {
        return out.lines().filter(l -> l.startsWith("epoch:")).map(l -> l.replaceAll(" \\(\\d+ img/s\\)", ""))
                .toList();
    }
}
