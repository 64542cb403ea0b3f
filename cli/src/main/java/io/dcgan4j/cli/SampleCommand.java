package io.dcgan4j.cli;

import io.dcgan4j.engine.api.Device;
import io.dcgan4j.engine.api.Gan;
import io.dcgan4j.engine.api.ImageGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** {@code dcgan4j sample}: images from a checkpoint's generator, in inference mode, as one PNG grid. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Generate a grid of images with the generator of a checkpoint (inference mode).",
                "With --interpolate, each row walks from one random latent point to the next."})
final class SampleCommand implements Callable<Integer> {

    /** Rows of a latent walk when --count is not given. */
    static final int DEFAULT_WALKS = 4;
    static final int DEFAULT_COUNT = 16;

    @Spec
    private CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint written by 'dcgan4j train'.")
    private Path checkpoint;

    @Option(names = "--count", paramLabel = "N",
            description = "Images (default " + DEFAULT_COUNT + "), or with --interpolate rows (default "
                    + DEFAULT_WALKS + ").")
    private Integer count;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the noise. Default: random, printed.")
    private Long seed;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Where to write the grid.")
    private Path out = Path.of("samples.png");

    @Option(names = "--force", description = "Replace --out if it exists.")
    private boolean force;

    @Option(names = "--interpolate", description = "Latent walks instead of independent samples.")
    private boolean interpolate;

    @Option(names = "--steps", paramLabel = "N", description = "Images per walk with --interpolate.")
    private int steps = 8;

    @Option(names = "--scale", paramLabel = "N", description = "Pixel size in the grid.")
    private int scale = RunOutputs.GRID_SCALE;

    @Mixin
    private DeviceOptions deviceOptions;

    @Override
    public Integer call() throws IOException {
        int n = count != null ? count : interpolate ? DEFAULT_WALKS : DEFAULT_COUNT;
        positive("--count", n);
        positive("--scale", scale);
        if (interpolate && steps < 2) {
            throw usage("--steps must be at least 2, got " + steps);
        }
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw usage("--out must name a .png file, got " + out);
        }
        if (Files.exists(out) && !force) {
            throw new IOException(out + ": exists; choose another --out or pass --force");
        }
        Device dev = deviceOptions.device();
        long noiseSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        PrintWriter stdout = spec.commandLine().getOut();
        try (Gan gan = Gan.load(checkpoint, dev)) {
            float[] noise = interpolate ? gan.interpolationNoise(n, steps, noiseSeed) : gan.noise(n, noiseSeed);
            int images = noise.length / gan.config().noiseDim();
            int columns = interpolate ? steps : ImageGrid.squareColumns(images);
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            ImageGrid.writePng(ImageGrid.render(gan.sample(noise), images, Gan.IMAGE_HEIGHT, Gan.IMAGE_WIDTH,
                    columns, scale), out);
            stdout.printf("wrote %s: %d %s from %s, seed %d%s%n", out, images,
                    interpolate ? "images in " + n + " latent walks" : "samples", checkpoint, noiseSeed,
                    seed == null ? " (random; pass --seed " + noiseSeed + " to repeat)" : "");
        }
        return 0;
    }

    private void positive(String option, int value) {
        if (value < 1) {
            throw usage(option + " must be a positive whole number, got " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
