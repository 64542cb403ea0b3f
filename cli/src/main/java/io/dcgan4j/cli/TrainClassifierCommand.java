package io.dcgan4j.cli;

import io.dcgan4j.engine.api.ClassifierOptions;
import io.dcgan4j.engine.api.Device;
import io.dcgan4j.engine.api.MnistClassifier;
import io.dcgan4j.engine.api.MnistDataset;
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
import java.util.concurrent.Callable;

/** {@code dcgan4j train-classifier}: the MNIST classifier that {@code eval} measures samples with. */
@Command(name = "train-classifier", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Train the small MNIST classifier whose features and predictions 'eval' uses, report its test "
                + "accuracy, and save it.",
                "Deterministic for a seed. 'eval' trains one itself on first use; this command chooses the options."})
final class TrainClassifierCommand implements Callable<Integer> {

    private static final ClassifierOptions DEFAULTS = ClassifierOptions.defaults();

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = {"MNIST folder with the training and test files.",
            "Default: ${sys:user.home}/.dcgan4j/mnist."})
    private Path data;

    @Option(names = "--out", paramLabel = "FILE", description = {"Where to save it.",
            "Default: where 'eval' looks, ${sys:user.home}/.dcgan4j/classifiers/mnist-classifier-<data hash>"
                    + ".safetensors."})
    private Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    private boolean force;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training images.")
    private int epochs = DEFAULTS.epochs();

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per step.")
    private int batchSize = DEFAULTS.batchSize();

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate.")
    private float learningRate = DEFAULTS.learningRate();

    @Option(names = "--samples", paramLabel = "N|all", converter = TrainCommand.SamplesConverter.class,
            description = "How many leading training images to use, or 'all'.")
    private int samples = DEFAULTS.samples();

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the weights and shuffles.")
    private long seed = DEFAULTS.seed();

    @Mixin
    private DeviceOptions deviceOptions;

    @Override
    public Integer call() throws IOException {
        ClassifierOptions options;
        try {
            options = new ClassifierOptions(epochs, batchSize, learningRate, samples, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path dataDir = data != null ? data : DataHome.defaultMnistDir();
        Path file = Classifiers.resolve(out, dataDir);
        if (Files.exists(file) && !force) {
            throw new IOException(file + ": exists; choose another --out or pass --force");
        }
        Device device = deviceOptions.device();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("training the MNIST classifier on %s (%s%s) on %s%n", dataDir, Classifiers.describe(options),
                samples == MnistDataset.ALL ? "" : ", first " + samples + " images", device);
        stdout.flush();
        long start = System.nanoTime();
        try (MnistClassifier c = Classifiers.train(dataDir, options, device, stdout)) {
            c.save(file);
            stdout.printf("saved %s (%.1f s in all)%n", file, (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
