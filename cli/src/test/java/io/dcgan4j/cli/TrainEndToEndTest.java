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
        int side = ConsoleReport.GRID_COLUMNS * (28 * ConsoleReport.GRID_SCALE)
                + (ConsoleReport.GRID_COLUMNS + 1) * ConsoleReport.GRID_SCALE;
        assertEquals(side, img.getWidth());
        assertEquals(side, img.getHeight());
        int min = 255, max = 0;
        int tile = ConsoleReport.GRID_SCALE;
        for (int y = tile; y < tile + 28 * tile; y++) {
            for (int x = tile; x < tile + 28 * tile; x++) {
                int g = img.getRaster().getSample(x, y, 0);
                min = Math.min(min, g);
                max = Math.max(max, g);
            }
        }
        assertTrue(min >= 0 && max <= 255 && max - min > 16, "gray range of the first tile " + min + ".." + max);

        CliRun again = train(dir.resolve("b"), 42);
        assertEquals(losses(r.out()), losses(again.out()), "the same seed gives the same losses");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(png),
                Files.readAllBytes(dir.resolve("b/image_at_epoch_0001.png"))), "and the same grid");
    }

    private static List<String> losses(String out) {
        return out.lines().filter(l -> l.startsWith("epoch:")).map(l -> l.replaceAll(" \\(\\d+ img/s\\)", ""))
                .toList();
    }
}
