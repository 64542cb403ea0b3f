package io.dcgan4j.cli;

import io.dcgan4j.engine.api.Checkpoint;
import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.api.DcganConfig.DiscriminatorActivation;
import io.dcgan4j.engine.api.DcganConfig.KernelInit;
import io.dcgan4j.engine.api.Device;
import io.dcgan4j.engine.api.MnistClassifier;
import io.dcgan4j.engine.api.MnistDataset;
import io.dcgan4j.engine.api.Preset;
import io.dcgan4j.engine.api.SampleQuality;
import io.dcgan4j.engine.api.Trainer;
import io.dcgan4j.engine.api.TrainingDivergedException;
import io.dcgan4j.engine.api.TrainingListener;
import io.dcgan4j.engine.api.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** {@code dcgan4j train}: a preset's run (the seed's by default), with every value it fixes as an option. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Train the DCGAN on MNIST-format images and write a 4×4 sample grid after every epoch.",
                "The values come from --preset (by default the seed's run: 5 epochs over the first 2000 images, "
                        + "batch 256, Adam 1e-3); an option given explicitly overrides the preset's value."})
final class TrainCommand implements Callable<Integer> {

    /** The shell's code for a run ended by Ctrl-C (128 + SIGINT). */
    static final int INTERRUPTED = 130;
    private static final String FROM_PRESET = "Default: the preset's.";

    private CommandSpec spec;

    /** Takes the spec and lists the presets' values under the usage text, from the presets themselves. */
    @Spec
    void spec(CommandSpec commandSpec) {
        this.spec = commandSpec;
        commandSpec.usageMessage().footer(PresetText.help());
    }

    @Option(names = "--preset", paramLabel = "NAME", converter = PresetText.PresetConverter.class,
            description = {"Starting values of the run: seed, seed-text or dcgan-paper (listed below)."})
    private Preset preset = Preset.SEED;

    @Option(names = "--data", paramLabel = "DIR", description = {
            "Folder with train-images-idx3-ubyte(.gz).",
            "Default: ${sys:user.home}/.dcgan4j/mnist, where MNIST is downloaded (and checksummed) when missing."})
    private Path data;

    @Option(names = "--epochs", paramLabel = "N", description = {"Passes over the data.", FROM_PRESET})
    private Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = {"Images per step (the last batch of an epoch "
            + "may hold fewer).", FROM_PRESET})
    private Integer batchSize;

    @Option(names = "--samples", paramLabel = "N|all", converter = SamplesConverter.class,
            description = {"How many leading images of the training file to use, or 'all'.", FROM_PRESET})
    private Integer samples;

    @Option(names = "--noise-dim", paramLabel = "N", description = {"Length of the generator's noise vector.",
            FROM_PRESET})
    private Integer noiseDim;

    @Option(names = "--shuffle-buffer", paramLabel = "N", description = {"tf.data shuffle buffer size.", FROM_PRESET})
    private Integer shuffleBuffer;

    @Option(names = "--lr", paramLabel = "RATE", description = {"Adam learning rate of both optimisers.",
            FROM_PRESET})
    private Float learningRate;

    @Option(names = "--beta1", paramLabel = "B", description = {"Adam β1 of both optimisers.", FROM_PRESET})
    private Float beta1;

    @Option(names = "--beta2", paramLabel = "B", description = {"Adam β2 of both optimisers.", FROM_PRESET})
    private Float beta2;

    @Option(names = "--d-activation", paramLabel = "NAME",
            converter = PresetText.ActivationConverter.class,
            description = {"What follows each discriminator BatchNormalization: none or leaky-relu.", FROM_PRESET})
    private DiscriminatorActivation discriminatorActivation;

    @Option(names = "--kernel-init", paramLabel = "NAME",
            converter = PresetText.KernelInitConverter.class,
            description = {"How the kernels are first drawn: glorot-uniform or normal-0.02.", FROM_PRESET})
    private KernelInit kernelInit;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the whole run (weights, noise, shuffle). Default: random, printed.")
    private Long seed;

    @Mixin
    private DeviceOptions deviceOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: a new folder under runs/, "
            + "or with --resume the checkpoint's folder.")
    private Path out;

    @Option(names = "--force", description = "Write into an --out folder that is not empty.")
    private boolean force;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Save checkpoint.safetensors every N epochs (0: only at the end and on Ctrl-C).")
    private int checkpointEvery = 1;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue the run saved in this checkpoint "
            + "exactly where it stopped, up to --epochs in all (default: the saved run's own epoch count). Its model "
            + "options and seed cannot change.")
    private Path resume;

    @Option(names = "--eval-every", paramLabel = "N", description = {"Score the generator every N epochs with the "
            + "MNIST classifier (as 'eval': FCD (MNIST classifier), classifier score, class entropy) and add the "
            + "numbers to metrics.csv. 0: never."})
    private int evalEvery;

    @Option(names = "--eval-samples", paramLabel = "N", description = "Images scored by each --eval-every evaluation.")
    private int evalSamples = EvalCommand.DEFAULT_SAMPLES;

    @Option(names = "--classifier", paramLabel = "FILE", description = {"The classifier of --eval-every; trained and "
            + "saved there if missing.", "Default: as 'eval'."})
    private Path classifierFile;

    @Override
    public Integer call() throws IOException {
        if (checkpointEvery < 0) {
            throw usage("--checkpoint-every must be 0 or more, got " + checkpointEvery);
        }
        if (evalEvery < 0) {
            throw usage("--eval-every must be 0 or more, got " + evalEvery);
        }
        if (evalSamples < 2) {
            throw usage("--eval-samples must be at least 2, got " + evalSamples);
        }
        Checkpoint saved = resume != null ? Checkpoint.read(resume) : null;
        DcganConfig config = saved != null ? savedConfig(saved) : modelConfig();
        TrainingOptions options = trainingOptions(saved);
        Device dev = deviceOptions.device();
        PrintWriter stdout = spec.commandLine().getOut();
        long runSeed = saved != null ? saved.seed() : seed != null ? seed : ThreadLocalRandom.current().nextLong();
        Path dataDir = data != null ? data : DataHome.defaultMnistDir();
        if (data == null) {
            new MnistDownloader(stdout).ensure(dataDir);
        }
        MnistDataset dataset = MnistDataset.load(dataDir, options.samples());
        Path outDir = prepareOutput(saved);
        try (MnistClassifier classifier = evalEvery > 0
                ? Classifiers.loadOrTrain(classifierFile, dataDir, dev, stdout) : null;
             Trainer trainer = saved != null ? Trainer.resume(saved, options, dataset, dev)
                : Trainer.start(config, options, dataset, dev, runSeed);
             RunOutputs outputs = new RunOutputs(stdout, outDir, trainer, checkpointEvery,
                     classifier == null ? null : new RunOutputs.Evaluation(SampleQuality.againstTestSet(classifier,
                             dataDir, evalSamples), evalEvery, evalSamples))) {
            printHeader(stdout, trainer, dataset, saved, outDir);
            ConsoleReport console = new ConsoleReport(stdout, outDir, Terminal.isInteractive());
            TrainingListener both = new TrainingListener() {
                @Override
                public void onStep(StepEvent e) {
                    outputs.onStep(e);
                    console.onStep(e);
                }

                @Override
                public void onEpochEnd(EpochEvent e) {
                    console.closeBar();
                    outputs.onEpochEnd(e);
                    console.onEpochEnd(e);
                    outputs.evaluateIfDue(e.epoch());
                    outputs.checkpointIfDue(e.epoch());
                }

                @Override
                public void onWarning(String message) {
                    console.onWarning(message);
                }
            };
            Interrupts.Registration interrupts = Interrupts.onInterrupt(() -> {
                console.closeBar();
                stdout.println("interrupted: finishing this step, then saving a checkpoint (Ctrl-C again to abort)");
                stdout.flush();
                trainer.requestStop();
            });
            try {
                trainer.train(both);
            } catch (TrainingDivergedException e) {
                console.closeBar();
                throw new TrainingFailure(e.getMessage() + "; " + outputs.lastCheckpointText());
            } finally {
                interrupts.close();
            }
            console.closeBar();
            if (!trainer.finished()) {
                outputs.saveCheckpoint();
                stdout.printf("stopped at epoch %d, step %d; continue with: dcgan4j train --resume %s%n",
                        trainer.epochsDone() + 1, trainer.stepInEpoch(), outputs.checkpointFile());
                return INTERRUPTED;
            }
            outputs.finish();
        }
        return 0;
    }

    private void printHeader(PrintWriter stdout, Trainer trainer, MnistDataset dataset, Checkpoint saved,
                             Path outDir) {
        DcganConfig c = trainer.config();
        stdout.printf("dcgan4j train: %d images from %s, %d epochs of %d steps, batch %d, seed %d%s%n",
                dataset.count(), dataset.source(), trainer.options().epochs(), trainer.stepsPerEpoch(),
                c.batchSize(), trainer.seed(), saved == null && seed == null
                        ? " (random; pass --seed " + trainer.seed() + " to repeat this run)" : "");
        stdout.printf("preset %s: %s%n", c.preset(), PresetText.options(c, trainer.options()));
        if (saved != null) {
            stdout.printf("resuming %s at epoch %d, step %d (%d steps done)%n", saved.source(),
                    saved.epochsDone() + 1, saved.stepInEpoch() + 1, saved.steps());
        }
        stdout.printf("backend %s, writing to %s%n", trainer.gan().describeDevice(), outDir);
        stdout.flush();
    }

    /** The preset's config with every explicitly given option in its place. */
    private DcganConfig modelConfig() {
        DcganConfig p = preset.config();
        int batch = or(batchSize, p.batchSize());
        int noise = or(noiseDim, p.noiseDim());
        float lr = or(learningRate, p.learningRate());
        float b1 = or(beta1, p.beta1());
        float b2 = or(beta2, p.beta2());
        positive("--batch-size", batch);
        positive("--noise-dim", noise);
        if (!(lr > 0f) || Float.isInfinite(lr)) {
            throw usage("--lr must be a positive number, got " + lr);
        }
        betaInRange("--beta1", b1);
        betaInRange("--beta2", b2);
        return new DcganConfig(preset, noise, batch, lr, b1, b2, p.adamEpsilon(), p.leakyAlpha(), p.bnMomentum(),
                p.bnEpsilon(), or(discriminatorActivation, p.discriminatorActivation()),
                or(kernelInit, p.kernelInit()));
    }

    private static <T> T or(T given, T presetValue) {
        return given != null ? given : presetValue;
    }

    /** The saved run's config; an option given explicitly must agree with it. */
    private DcganConfig savedConfig(Checkpoint saved) {
        DcganConfig c = saved.config();
        TrainingOptions o = saved.options();
        sameAsSaved("--preset", preset, c.preset());
        sameAsSaved("--d-activation", discriminatorActivation, c.discriminatorActivation());
        sameAsSaved("--kernel-init", kernelInit, c.kernelInit());
        sameAsSaved("--batch-size", batchSize, c.batchSize());
        sameAsSaved("--noise-dim", noiseDim, c.noiseDim());
        sameAsSaved("--lr", learningRate, c.learningRate());
        sameAsSaved("--beta1", beta1, c.beta1());
        sameAsSaved("--beta2", beta2, c.beta2());
        sameAsSaved("--seed", seed, saved.seed());
        sameAsSaved("--samples", samples, o.samples());
        sameAsSaved("--shuffle-buffer", shuffleBuffer, o.shuffleBuffer());
        return c;
    }

    private void sameAsSaved(String option, Object given, Object savedValue) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option) && !given.equals(savedValue)) {
            throw usage(option + " " + given + " differs from the resumed run's " + savedValue
                    + " (a resumed run keeps its configuration; leave the option out)");
        }
    }

    private TrainingOptions trainingOptions(Checkpoint saved) {
        if (epochs != null) {
            positive("--epochs", epochs);
        }
        if (saved == null) {
            TrainingOptions p = preset.options();
            int buffer = or(shuffleBuffer, p.shuffleBuffer());
            positive("--shuffle-buffer", buffer);
            return new TrainingOptions(or(epochs, p.epochs()), or(samples, p.samples()), buffer);
        }
        boolean explicitEpochs = epochs != null;
        int target = explicitEpochs ? epochs : saved.options().epochs();
        if (target <= saved.epochsDone()) {
            throw usage("the resumed run has done " + saved.epochsDone() + " epochs" + (explicitEpochs ? "" :
                    ", all it asked for") + "; pass --epochs N with N above " + saved.epochsDone());
        }
        return new TrainingOptions(target, saved.options().samples(), saved.options().shuffleBuffer());
    }

    /** The output folder, made now so that a bad path fails before any training. */
    private Path prepareOutput(Checkpoint saved) throws IOException {
        if (out == null) {
            return saved != null ? saved.source().toAbsolutePath().getParent() : newRunFolder(Path.of("runs"));
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IOException(out + ": exists and is not a folder");
        }
        if (Files.isDirectory(out) && !force) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(out + ": folder is not empty; choose another --out or pass --force");
                }
            }
        }
        return Files.createDirectories(out);
    }

    /** {@code parent/<date-time>}, with a suffix when two runs start in the same second. */
    static Path newRunFolder(Path parent) throws IOException {
        Files.createDirectories(parent);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        for (int i = 1; ; i++) {
            Path candidate = parent.resolve(i == 1 ? stamp : stamp + "-" + i);
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                // another run took this name: try the next suffix
            }
        }
    }

    private void positive(String option, int value) {
        if (value < 1) {
            throw usage(option + " must be a positive whole number, got " + value);
        }
    }

    private void betaInRange(String option, float value) {
        if (!(value >= 0f && value < 1f)) {
            throw usage(option + " must be in [0, 1), got " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code all} or a positive count. */
    static final class SamplesConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equalsIgnoreCase("all")) {
                return TrainingOptions.ALL_SAMPLES;
            }
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is neither a count nor 'all'");
            }
            if (n < 1) {
                throw new TypeConversionException("must be at least 1 or 'all', got " + n);
            }
            return n;
        }
    }
}
