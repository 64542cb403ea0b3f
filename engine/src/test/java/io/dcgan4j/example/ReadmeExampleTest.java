package io.dcgan4j.example;

import io.dcgan4j.engine.api.Checkpoint;
import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.api.Device;
import io.dcgan4j.engine.api.Gan;
import io.dcgan4j.engine.api.ImageGrid;
import io.dcgan4j.engine.api.MnistDataset;
import io.dcgan4j.engine.api.Trainer;
import io.dcgan4j.engine.api.TrainingListener;
import io.dcgan4j.engine.api.TrainingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedding example of the README, compiled and run from outside the engine's packages: the README's code block is
 * the body of {@link #example} between its markers, so the two cannot drift apart.
 */
class ReadmeExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/io/dcgan4j/example/ReadmeExampleTest.java");
    private static final Path README = Path.of("../README.md");

    /** Returns the grid it drew, for the test to check. */
    static BufferedImage example(Path dataDir, Path runDir) throws IOException {
        // README:begin
        MnistDataset mnist = MnistDataset.load(dataDir, 512);              // the first 512 training images
        DcganConfig config = DcganConfig.seedDefaults().withBatchSize(64); // the seed's model, smaller batches
        TrainingOptions options = new TrainingOptions(2, 512, 256);        // 2 epochs, 512 samples, shuffle buffer
        Path checkpoint = runDir.resolve("checkpoint.safetensors");

        try (Trainer trainer = Trainer.start(config, options, mnist, Device.cpu(2), 42)) {
            trainer.train(3, new TrainingListener() {                      // three steps, then return
                @Override
                public void onStep(StepEvent e) {
                    System.out.printf("step %d: d_loss %.3f, g_loss %.3f%n",
                            e.globalStep(), e.discriminatorLoss(), e.generatorLoss());
                }
            });
            trainer.save(checkpoint);                                      // weights, Adam state, position, RNG
        }

        try (Trainer resumed = Trainer.resume(Checkpoint.read(checkpoint), options, mnist, Device.cpu())) {
            resumed.train(TrainingListener.NONE);                          // the rest of the 2 epochs, exactly
            resumed.save(checkpoint);
        }

        try (Gan gan = Gan.load(checkpoint, Device.cpu())) {
            float[] pixels = gan.sample(4, 7);                             // 4 images of 28×28 in [-1, 1]
            System.out.println(pixels.length + " values, the first " + pixels[0]);
            BufferedImage grid = gan.sampleGrid(16, 7, 4);                 // a 4×4 grid, pixels drawn 4×4
            Files.write(runDir.resolve("grid.png"), ImageGrid.pngBytes(grid));
            return grid;
        }
        // README:end
    }

    @Test
    void theReadmeExampleRuns(@TempDir Path dir) throws IOException {
        Path mnist = Path.of(System.getProperty("dcgan4j.shared", "../../shared"), "data/mnist");
        BufferedImage grid = example(mnist, dir);
        assertEquals(4 * 28 * 4 + 5 * 4, grid.getWidth());
        assertTrue(Files.size(dir.resolve("grid.png")) > 0);
    }

    @Test
    void theReadmeShowsThisExampleWordForWord() throws IOException {
        List<String> source = Files.readAllLines(SOURCE);
        int begin = source.indexOf("        // README:begin"), end = source.indexOf("        // README:end");
        String code = String.join("\n", source.subList(begin + 1, end).stream()
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).toList());
        String readme = Files.readString(README);
        assertTrue(readme.contains(code), "README.md must contain the example of " + SOURCE + " as it is:\n" + code);
    }
}
