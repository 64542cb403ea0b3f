package io.dcgan4j.engine.api;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.data.Batches;
import io.dcgan4j.engine.data.BufferedShuffle;
import io.dcgan4j.engine.api.MnistDataset;
import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.gan.GanTrainer;
import io.dcgan4j.engine.gan.Sampler;
import io.dcgan4j.engine.gan.StepResult;
import io.dcgan4j.engine.api.TrainingListener.EpochEvent;
import io.dcgan4j.engine.api.TrainingListener.StepEvent;

import java.util.SplittableRandom;

/**
 * The seed's {@code train(data, epochs)}: every epoch, the shuffled batches of the data set through
 * {@link GanTrainer#step}, then a preview grid from a fixed noise batch in inference mode.
 *
 * <p>One seed fixes the whole run. It seeds a generator that draws, in this order, the model's initial weights'
 * seed, the train-step noise seed, the shuffle seed and the 16 preview noise vectors, so each stream is independent
 * of the others' lengths.
 */
public final class Trainer {

    /** Images in the per-epoch preview grid (the seed's {@code num_exp_to_generate}). */
    public static final int PREVIEW_COUNT = 16;

    private final DcganConfig config;
    private final TrainingOptions options;
    private final Dcgan model;
    private final GanTrainer trainer;
    private final Sampler sampler;
    private final Batches batches;
    private final float[] previewNoise;
    private final float[] batch;

    /** A run over {@code data} (already limited to {@code options.samples()}) from {@code seed}. */
    public Trainer(Backend backend, DcganConfig config, TrainingOptions options, MnistDataset data, long seed) {
        this.config = config;
        this.options = options;
        SplittableRandom seeds = new SplittableRandom(seed);
        long modelSeed = seeds.nextLong();
        long noiseSeed = seeds.nextLong();
        long shuffleSeed = seeds.nextLong();
        this.previewNoise = new float[PREVIEW_COUNT * config.noiseDim()];
        for (int i = 0; i < previewNoise.length; i++) {
            previewNoise[i] = (float) seeds.nextGaussian();
        }
        this.model = new Dcgan(backend, config, modelSeed);
        this.trainer = new GanTrainer(backend, model, noiseSeed);
        this.sampler = new Sampler(backend, model);
        this.batches = new Batches(data, config.batchSize(),
                new BufferedShuffle(data.count(), options.shuffleBuffer(), shuffleSeed));
        this.batch = new float[config.batchSize() * Dcgan.IMAGE_SIZE];
    }

    /** Trains for every epoch of the options, reporting to {@code listener}. */
    public void run(TrainingListener listener) {
        int steps = batches.batchesPerEpoch();
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            for (int b = 0; b < steps; b++) {
                int count = batches.fill(epoch, b, batch);
                long start = System.nanoTime();
                StepResult r = trainer.step(batch, count);
                long nanos = System.nanoTime() - start;
                listener.onStep(new StepEvent(epoch + 1, b + 1, steps, count, r.discriminatorLoss(),
                        r.generatorLoss(), nanos));
            }
            long epochNanos = System.nanoTime() - epochStart;
            listener.onEpochEnd(new EpochEvent(epoch + 1, options.epochs(), preview(), epochNanos));
        }
    }

    /** The preview grid's images {@code [16,28,28,1]} from the current generator. */
    public float[] preview() {
        return sampler.generate(previewNoise);
    }

    /** Steps in each epoch. */
    public int stepsPerEpoch() {
        return batches.batchesPerEpoch();
    }

    public Dcgan model() {
        return model;
    }

    public DcganConfig config() {
        return config;
    }

    public TrainingOptions options() {
        return options;
    }
}
