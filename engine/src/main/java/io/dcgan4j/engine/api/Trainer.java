package io.dcgan4j.engine.api;

import io.dcgan4j.engine.api.Checkpoint.RunState;
import io.dcgan4j.engine.api.TrainingListener.EpochEvent;
import io.dcgan4j.engine.api.TrainingListener.StepEvent;
import io.dcgan4j.engine.checkpoint.Safetensors.Entry;
import io.dcgan4j.engine.data.Batches;
import io.dcgan4j.engine.data.BufferedShuffle;
import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.gan.GanTrainer;
import io.dcgan4j.engine.gan.StepResult;
import io.dcgan4j.engine.optim.Adam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seed's {@code train(dataset, epochs)}: every epoch, the shuffled batches of the data set through the two-optimiser
 * train step, then a preview grid from a fixed noise batch in inference mode. It can stop between any two steps,
 * save a {@link Checkpoint}, and be resumed from it exactly: on the CPU, a resumed run is bit-identical to one that
 * never stopped.
 *
 * <p>One seed fixes the whole run. It seeds a generator that draws, in this order, the initial weights' seed, the
 * train-step noise seed, the shuffle seed and the 16 preview noise vectors, so each stream is independent of the
 * others' lengths. Step k's noise depends only on the noise seed and k, epoch e's order only on the shuffle seed and e.
 *
 * <p>A NaN or infinite loss ends training with a {@link TrainingDivergedException}; a discriminator loss below
 * {@value #WINNING_LOSS} for {@value #WINNING_STEPS} steps in a row is reported once through
 * {@link TrainingListener#onWarning}. Not thread-safe, except {@link #requestStop()}.
 */
public final class Trainer implements AutoCloseable {

    /** Images in the per-epoch preview grid (the seed's {@code num_examples_to_generate}). */
    public static final int PREVIEW_COUNT = 16;
    /** A discriminator loss below this ... */
    public static final float WINNING_LOSS = 0.1f;
    /** ... for this many steps in a row draws a warning: D wins every batch and G learns little. */
    public static final int WINNING_STEPS = 20;

    private final DcganConfig config;
    private final TrainingOptions options;
    private final Gan gan;
    private final GanTrainer trainer;
    private final Batches batches;
    private final float[] previewNoise;
    private final float[] batch;
    private final long seed;
    private final long noiseSeed;
    private final long shuffleSeed;
    private final int dataCount;
    private int epochsDone;
    private int stepInEpoch;
    private long epochNanos;
    private final WinningWatch winningWatch = new WinningWatch();
    private boolean diverged;
    private volatile boolean stopRequested;

    private Trainer(Gan gan, TrainingOptions options, MnistDataset data, long seed, long noiseSeed, long shuffleSeed,
                    float[] previewNoise) {
        this.gan = gan;
        this.config = gan.config();
        this.options = options;
        this.seed = seed;
        this.noiseSeed = noiseSeed;
        this.shuffleSeed = shuffleSeed;
        this.previewNoise = previewNoise;
        this.dataCount = data.count();
        this.trainer = new GanTrainer(gan.backend(), gan.model(), noiseSeed);
        this.batches = new Batches(data, config.batchSize(),
                new BufferedShuffle(data.count(), options.shuffleBuffer(), shuffleSeed));
        this.batch = new float[config.batchSize() * Dcgan.IMAGE_SIZE];
    }

    /**
     * A new run from {@code seed}.
     *
     * @param config  model and optimiser hyper-parameters
     * @param options epochs and data handling
     * @param data    the images, already limited to {@code options.samples()}
     * @param device  where to train
     * @param seed    seed of the whole run
     * @return the trainer, before its first step; close it when done
     * @throws IllegalStateException the device cannot be used here (the message says why)
     */
    public static Trainer start(DcganConfig config, TrainingOptions options, MnistDataset data, Device device,
                                long seed) {
        SplittableRandom seeds = new SplittableRandom(seed);
        long modelSeed = seeds.nextLong();
        long noiseSeed = seeds.nextLong();
        long shuffleSeed = seeds.nextLong();
        float[] previewNoise = new float[PREVIEW_COUNT * config.noiseDim()];
        for (int i = 0; i < previewNoise.length; i++) {
            previewNoise[i] = (float) seeds.nextGaussian();
        }
        Gan gan = Gan.create(config, device, modelSeed);
        try {
            return new Trainer(gan, options, data, seed, noiseSeed, shuffleSeed, previewNoise);
        } catch (RuntimeException e) {
            gan.close();
            throw e;
        }
    }

    /**
     * Continues a saved run exactly where it stopped, up to {@code options.epochs()} epochs in all (as Keras's
     * {@code initial_epoch}: a run saved after 2 epochs and resumed with 5 trains 3 more).
     *
     * @param checkpoint the saved run
     * @param options    the run's options; only the epoch count may differ from the checkpoint's
     * @param data       the same images the saved run trained on
     * @param device     where to train (need not be the saved run's)
     * @return the trainer, positioned after the checkpoint's last step; close it when done
     * @throws CheckpointException the checkpoint does not fit its config, or the options or data differ from the
     *                             saved run's in a way that would change what the next steps compute
     */
    public static Trainer resume(Checkpoint checkpoint, TrainingOptions options, MnistDataset data, Device device)
            throws CheckpointException {
        TrainingOptions saved = checkpoint.options();
        RunState s = checkpoint.state();
        if (options.samples() != saved.samples() || options.shuffleBuffer() != saved.shuffleBuffer()) {
            throw checkpoint.invalid(String.format(Locale.ROOT, "the saved run used samples %s and shuffle buffer %d;"
                    + " resuming with samples %s and shuffle buffer %d would change the data order",
                    samplesText(saved.samples()), saved.shuffleBuffer(), samplesText(options.samples()),
                    options.shuffleBuffer()));
        }
        if (data.count() != s.dataCount()) {
            throw checkpoint.invalid("the saved run trained on " + s.dataCount() + " images, this data set has "
                    + data.count());
        }
        if (options.epochs() <= s.epochsDone() && s.stepInEpoch() == 0) {
            throw checkpoint.invalid("the saved run has already done " + s.epochsDone() + " epochs; ask for more");
        }
        Gan gan = Gan.create(checkpoint.config(), device, 0);
        try {
            CheckpointLayout.of(gan.model()).check(checkpoint);
            Trainer t = new Trainer(gan, options, data, s.seed(), s.noiseSeed(), s.shuffleSeed(),
                    checkpoint.entries().get(Checkpoint.PREVIEW_NOISE).values().clone());
            if (s.stepInEpoch() >= t.stepsPerEpoch()) {
                throw checkpoint.invalid("the saved run stopped at step " + s.stepInEpoch() + " of an epoch of "
                        + t.stepsPerEpoch() + " steps");
            }
            gan.restore(checkpoint);
            t.restoreMoments(CheckpointLayout.GENERATOR, t.trainer.generatorOptimizer(), checkpoint);
            t.restoreMoments(CheckpointLayout.DISCRIMINATOR, t.trainer.discriminatorOptimizer(), checkpoint);
            t.trainer.generatorOptimizer().restoreIterations(s.generatorAdamSteps());
            t.trainer.discriminatorOptimizer().restoreIterations(s.discriminatorAdamSteps());
            t.trainer.restoreSteps(s.steps());
            t.epochsDone = s.epochsDone();
            t.stepInEpoch = s.stepInEpoch();
            return t;
        } catch (CheckpointException | RuntimeException e) {
            gan.close();
            throw e;
        }
    }

    private static String samplesText(int samples) {
        return samples == TrainingOptions.ALL_SAMPLES ? "all" : Integer.toString(samples);
    }

    private void restoreMoments(String network, Adam adam, Checkpoint checkpoint) {
        for (Adam.Slot slot : adam.slots()) {
            String name = slot.variable().name();
            gan.backend().upload(checkpoint.entries().get(CheckpointLayout.moment(network, name, "m")).values(),
                    slot.m());
            gan.backend().upload(checkpoint.entries().get(CheckpointLayout.moment(network, name, "v")).values(),
                    slot.v());
        }
    }

    /**
     * Trains until {@code options.epochs()} epochs are done or {@link #requestStop()} is called.
     *
     * @param listener receives every step and epoch end
     * @throws TrainingDivergedException a loss became NaN or infinite
     */
    public void train(TrainingListener listener) {
        train(Long.MAX_VALUE, listener);
    }

    /**
     * Trains at most {@code maxSteps} steps, stopping early at the last epoch's end or on {@link #requestStop()}.
     *
     * @param maxSteps the most steps to take
     * @param listener receives every step and epoch end
     * @return the steps taken
     * @throws TrainingDivergedException a loss became NaN or infinite; the trainer cannot be used after it
     */
    public long train(long maxSteps, TrainingListener listener) {
        if (diverged) {
            throw new IllegalStateException("training diverged; resume from the last checkpoint instead");
        }
        stopRequested = false;
        int steps = batches.batchesPerEpoch();
        long taken = 0;
        while (!finished() && taken < maxSteps && !stopRequested) {
            long start = System.nanoTime();
            int count = batches.fill(epochsDone, stepInEpoch, batch);
            long stepStart = System.nanoTime();
            StepResult r = trainer.step(batch, count);
            long now = System.nanoTime();
            taken++;
            guard(r);
            stepInEpoch++;
            epochNanos += now - start;
            listener.onStep(new StepEvent(epochsDone + 1, stepInEpoch, steps, trainer.steps(), count,
                    r.discriminatorLoss(), r.generatorLoss(), r.realScore(), r.fakeScore(), now - stepStart));
            watchDiscriminator(r.discriminatorLoss(), listener);
            if (stepInEpoch == steps) {
                epochsDone++;
                stepInEpoch = 0;
                long nanos = epochNanos;
                epochNanos = 0;
                listener.onEpochEnd(new EpochEvent(epochsDone, options.epochs(), preview(), nanos));
            }
        }
        return taken;
    }

    private void guard(StepResult r) {
        boolean badD = !Float.isFinite(r.discriminatorLoss());
        boolean badG = !Float.isFinite(r.generatorLoss());
        if (badD || badG) {
            diverged = true;
            String which = badD && badG ? "d_loss is " + r.discriminatorLoss() + " and g_loss is " + r.generatorLoss()
                    : badD ? "d_loss is " + r.discriminatorLoss() : "g_loss is " + r.generatorLoss();
            throw new TrainingDivergedException(trainer.steps(), String.format(Locale.ROOT,
                    "training diverged at step %d (epoch %d, batch %d): %s", trainer.steps(), epochsDone + 1,
                    stepInEpoch + 1, which));
        }
    }

    /** Counts the discriminator's winning streak; says once when it first reaches {@link #WINNING_STEPS}. */
    static final class WinningWatch {
        private int streak;
        private boolean warned;

        boolean observe(float discriminatorLoss) {
            streak = discriminatorLoss < WINNING_LOSS ? streak + 1 : 0;
            if (streak >= WINNING_STEPS && !warned) {
                warned = true;
                return true;
            }
            return false;
        }
    }

    private void watchDiscriminator(float dLoss, TrainingListener listener) {
        if (winningWatch.observe(dLoss)) {
            listener.onWarning(String.format(Locale.ROOT, "d_loss has stayed below %s for %d steps (step %d): the "
                    + "discriminator wins every batch, so the generator gets little gradient (a known GAN failure "
                    + "mode)", WINNING_LOSS, WINNING_STEPS, trainer.steps()));
        }
    }

    /** Asks a running {@link #train} to return after the step under way; safe from any thread (e.g. on Ctrl-C). */
    public void requestStop() {
        stopRequested = true;
    }

    /** {@return whether {@link #requestStop()} was called since the last {@link #train} began} */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** {@return whether every epoch of the options is done} */
    public boolean finished() {
        return epochsDone >= options.epochs();
    }

    /**
     * Snapshots the whole run: weights, moving statistics, both optimisers, position and random state.
     *
     * @return the checkpoint, in memory
     */
    public Checkpoint checkpoint() {
        Map<String, Entry> tensors = new LinkedHashMap<>(gan.variableEntries());
        addMoments(tensors, CheckpointLayout.GENERATOR, trainer.generatorOptimizer().slots());
        addMoments(tensors, CheckpointLayout.DISCRIMINATOR, trainer.discriminatorOptimizer().slots());
        tensors.put(Checkpoint.PREVIEW_NOISE,
                new Entry(new int[]{PREVIEW_COUNT, config.noiseDim()}, previewNoise.clone()));
        RunState state = new RunState(seed, epochsDone, stepInEpoch, trainer.steps(), noiseSeed, shuffleSeed,
                dataCount, trainer.generatorOptimizer().iterations(), trainer.discriminatorOptimizer().iterations());
        return new Checkpoint(config, options, state, tensors, null);
    }

    private void addMoments(Map<String, Entry> tensors, String network, List<Adam.Slot> slots) {
        for (Adam.Slot slot : slots) {
            tensors.put(CheckpointLayout.moment(network, slot.variable().name(), "m"), gan.download(slot.m()));
            tensors.put(CheckpointLayout.moment(network, slot.variable().name(), "v"), gan.download(slot.v()));
        }
    }

    /**
     * Writes {@link #checkpoint()} to {@code file} atomically (see {@link Checkpoint#write}).
     *
     * @param file where to write
     * @throws IOException the file cannot be written; a previous {@code file} is left as it was
     */
    public void save(Path file) throws IOException {
        checkpoint().write(file);
    }

    /** {@return the preview grid's {@value #PREVIEW_COUNT} images {@code [16,28,28,1]} from the current generator} */
    public float[] preview() {
        return gan.sample(previewNoise);
    }

    /** {@return the model being trained, for sampling between steps} */
    public Gan gan() {
        return gan;
    }

    /** {@return steps in each epoch (the last batch of an epoch may be partial)} */
    public int stepsPerEpoch() {
        return batches.batchesPerEpoch();
    }

    /** {@return epochs completed} */
    public int epochsDone() {
        return epochsDone;
    }

    /** {@return steps completed in the epoch under way} */
    public int stepInEpoch() {
        return stepInEpoch;
    }

    /** {@return steps completed in all, across resumes} */
    public long steps() {
        return trainer.steps();
    }

    /** {@return the run's seed} */
    public long seed() {
        return seed;
    }

    /** {@return the model and optimiser hyper-parameters} */
    public DcganConfig config() {
        return config;
    }

    /** {@return the run's options} */
    public TrainingOptions options() {
        return options;
    }

    /** Frees the device's memory and threads. */
    @Override
    public void close() {
        gan.close();
    }
}
