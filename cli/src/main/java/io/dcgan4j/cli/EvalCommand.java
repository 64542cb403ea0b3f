package io.dcgan4j.cli;

import io.dcgan4j.engine.api.Checkpoint;
import io.dcgan4j.engine.api.Device;
import io.dcgan4j.engine.api.Gan;
import io.dcgan4j.engine.api.MnistClassifier;
import io.dcgan4j.engine.api.MnistDataset;
import io.dcgan4j.engine.api.SampleQuality;
import io.dcgan4j.engine.api.SampleQuality.Scores;
import picocli.CommandLine.ArgGroup;
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
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code dcgan4j eval}: FCD (MNIST classifier), classifier score and class histogram of a generator's samples, or of
 * a baseline (training images: the floor; uniform noise: the ceiling), against the MNIST test images.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Measure a checkpoint's samples with the MNIST classifier: FCD (MNIST classifier) against the "
                + "test images, classifier score, and the histogram of predicted digits with its entropy.",
                "Writes eval.json beside the checkpoint (or --out). Trains the classifier first if there is none."})
final class EvalCommand implements Callable<Integer> {

    static final int DEFAULT_SAMPLES = 10_000;
    static final long DEFAULT_SEED = 0;
    static final String FILE_NAME = "eval.json";

    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Subject subject;

    static final class Subject {
        @Option(names = "--checkpoint", paramLabel = "FILE", description = "A checkpoint written by 'dcgan4j train'.")
        private Path checkpoint;

        @Option(names = "--baseline", paramLabel = "train|noise", description = {"Score reference images instead "
                + "of a generator: 'train' (the first training images: the floor) or 'noise' (uniform noise in "
                + "[-1, 1]: the ceiling)."})
        private String baseline;
    }

    @Option(names = "--data", paramLabel = "DIR", description = {"MNIST folder with the training and test files.",
            "Default: ${sys:user.home}/.dcgan4j/mnist."})
    private Path data;

    @Option(names = "--samples", paramLabel = "N", description = "Images to score; the reference is as many test "
            + "images (at most all 10000).")
    private int samples = DEFAULT_SAMPLES;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the generator's noise (or of the noise images).")
    private long seed = DEFAULT_SEED;

    @Option(names = "--classifier", paramLabel = "FILE", description = {"The classifier to use; trained and saved "
            + "there if missing.", "Default: ${sys:user.home}/.dcgan4j/classifiers/mnist-classifier-<data hash>"
            + ".safetensors."})
    private Path classifierFile;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the JSON. Default: eval.json beside "
            + "the checkpoint, or in the working folder for --baseline.")
    private Path out;

    @Mixin
    private DeviceOptions deviceOptions;

    @Override
    public Integer call() throws IOException {
        if (samples < 2) {
            throw usage("--samples must be at least 2, got " + samples);
        }
        if (subject.baseline != null && !subject.baseline.equals("train") && !subject.baseline.equals("noise")) {
            throw usage("--baseline must be 'train' or 'noise', got '" + subject.baseline + "'");
        }
        Path dataDir = data != null ? data : DataHome.defaultMnistDir();
        PrintWriter stdout = spec.commandLine().getOut();
        if (data == null) {
            new MnistDownloader(stdout).ensure(dataDir);
        }
        Checkpoint checkpoint = subject.checkpoint != null ? Checkpoint.read(subject.checkpoint) : null;
        Path jsonFile = out != null ? out : subject.checkpoint != null
                ? subject.checkpoint.toAbsolutePath().resolveSibling(FILE_NAME) : Path.of(FILE_NAME);
        Device device = deviceOptions.device();
        long start = System.nanoTime();
        Path classifierPath = Classifiers.resolve(classifierFile, dataDir);
        try (MnistClassifier classifier = Classifiers.loadOrTrain(classifierFile, dataDir, device, stdout)) {
            SampleQuality quality = SampleQuality.againstTestSet(classifier, dataDir, samples);
            int referenceCount = quality.referenceCount();
            Scores scores;
            String what;
            if (checkpoint != null) {
                try (Gan gan = Gan.load(checkpoint, device)) {
                    scores = quality.score(gan, samples, seed);
                }
                what = subject.checkpoint + " (preset " + checkpoint.config().preset() + ", epoch "
                        + checkpoint.epochsDone() + ", step " + checkpoint.steps() + ")";
            } else if (subject.baseline.equals("train")) {
                MnistDataset train = MnistDataset.load(dataDir, samples);
                scores = quality.score(train.images(), train.count());
                what = "the first " + train.count() + " training images";
            } else {
                scores = quality.score(uniformNoise(samples, seed), samples);
                what = samples + " uniform noise images";
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            stdout.printf("eval of %s: %d samples, seed %d, against the first %d test images (%.1f s)%n", what,
                    scores.samples(), seed, referenceCount, seconds);
            EvalReport.printTable(stdout, scores);
            Path parent = jsonFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            EvalReport.write(EvalReport.toJson(scores, what, seed, referenceCount, classifier, classifierPath,
                    device.toString(), seconds), jsonFile);
            stdout.printf("wrote %s%n", jsonFile);
        }
        return 0;
    }

    /** Images of independent uniform pixels in [−1, 1]. */
    static float[] uniformNoise(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] images = new float[count * Gan.IMAGE_HEIGHT * Gan.IMAGE_WIDTH];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (2 * random.nextDouble() - 1);
        }
        return images;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
