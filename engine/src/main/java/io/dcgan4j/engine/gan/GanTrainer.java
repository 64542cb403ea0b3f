package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.PerBatch;
import io.dcgan4j.engine.nn.Sequential;
import io.dcgan4j.engine.nn.Variable;
import io.dcgan4j.engine.optim.Adam;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The seed's {@code train_step}: two independent Keras Adam optimisers, one noise batch per step.
 *
 * <ol>
 *   <li>D step: {@code fake = G(z)} (training mode); D(real) and D(fake) as two training-mode calls, each with its
 *       own batch statistics; d_loss = BCE(1, D(real)) + BCE(0, D(fake)); Adam on D.</li>
 *   <li>G step: G(z) again, then the updated D on it; g_loss = BCE(1, D(G(z))); Adam on G.</li>
 * </ol>
 * The G step's generator forward is the same computation as the D step's (same z, G not yet updated), so its output
 * is reused and only its side effect, the second moving-average update of G's BatchNorm layers, is applied again
 * ({@link Sequential#repeatStateUpdate}): the result is identical and a quarter of the generator's work is saved.
 * After a step G's moving statistics have been updated twice and D's three times, as in Keras.
 *
 * <p>The noise of step k (counted from 0 over the whole run) is drawn from a generator seeded with a hash of
 * (seed, k), so the whole random state is the seed and the step count: a checkpoint that stores both resumes the
 * exact noise sequence.
 */
public final class GanTrainer {

    private final Backend backend;
    private final Dcgan model;
    private final DcganConfig config;
    private final Adam discriminatorOptimizer;
    private final Adam generatorOptimizer;
    private final long noiseSeed;
    private long steps;
    private final float[] noiseHost;
    private final Tensor noise;
    private final PerBatch<Tensor> realBatches;
    private final PerBatch<Tensor> logitGradients;
    private final float[] logitsHost;
    private final List<Variable> generatorVariables;
    private final List<Variable> discriminatorVariables;
    private Tensor lastImageGradient;
    private float lastMeanScore;
    private float meanRealScore;
    /** A D step ran and its G step has not: the generator's output is this step's G(z). */
    private boolean generatorStepDue;

    /** A trainer whose noise batches are drawn from {@code seed}. */
    public GanTrainer(Backend backend, Dcgan model, long seed) {
        this.backend = backend;
        this.model = model;
        this.config = model.config();
        this.generatorVariables = model.generator().trainableVariables();
        this.discriminatorVariables = model.discriminator().trainableVariables();
        this.discriminatorOptimizer = new Adam(backend, discriminatorVariables,
                config.learningRate(), config.beta1(), config.beta2(), config.adamEpsilon());
        this.generatorOptimizer = new Adam(backend, generatorVariables,
                config.learningRate(), config.beta1(), config.beta2(), config.adamEpsilon());
        this.noiseSeed = seed;
        this.noiseHost = new float[config.batchSize() * config.noiseDim()];
        this.noise = backend.zeros(config.batchSize(), config.noiseDim());
        this.realBatches = new PerBatch<>(
                n -> backend.zeros(n, Dcgan.IMAGE_HEIGHT, Dcgan.IMAGE_WIDTH, Dcgan.IMAGE_CHANNELS));
        this.logitGradients = new PerBatch<>(n -> backend.zeros(n, 1));
        this.logitsHost = new float[config.batchSize()];
    }

    /**
     * One train step on {@code count} real images taken from the front of {@code images} ({@code [count,28,28,1]},
     * scaled to [−1, 1]), with this step's standard-normal noise batch of the configured batch size.
     */
    public StepResult step(float[] images, int count) {
        SplittableRandom noiseRandom = new SplittableRandom(mix(noiseSeed + steps * 0x9E3779B97F4A7C15L));
        for (int i = 0; i < noiseHost.length; i++) {
            noiseHost[i] = (float) noiseRandom.nextGaussian();
        }
        return step(images, count, noiseHost);
    }

    /** One train step with the given noise {@code [batchSize, noiseDim]}. */
    public StepResult step(float[] images, int count, float[] noiseValues) {
        float dLoss = discriminatorStep(images, count, noiseValues);
        float realScore = meanRealScore;
        float fakeScore = lastMeanScore;
        float gLoss = generatorStep();
        return new StepResult(dLoss, gLoss, realScore, fakeScore);
    }

    /** Steps taken, which selects the next step's noise. */
    public long steps() {
        return steps;
    }

    /** Continues a run that had taken {@code stepsTaken} steps: the next step draws that step's noise. */
    public void restoreSteps(long stepsTaken) {
        if (stepsTaken < 0) {
            throw new IllegalArgumentException("step count must not be negative, got " + stepsTaken);
        }
        this.steps = stepsTaken;
    }

    /** Stafford's variant 13 of the 64-bit finaliser: nearby counters give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The first half of {@link #step(float[], int, float[])}: G(z), D on the real and the fake batch, Adam on D.
     * Returns d_loss. For timing the halves apart; a train step is this followed by {@link #generatorStep()}.
     */
    public float discriminatorStep(float[] images, int count, float[] noiseValues) {
        if (count < 1 || count > config.batchSize()) {
            throw new IllegalArgumentException("a batch holds 1.." + config.batchSize() + " images, got " + count);
        }
        if (images.length < count * Dcgan.IMAGE_SIZE) {
            throw new IllegalArgumentException(count + " images need " + count * Dcgan.IMAGE_SIZE + " floats, got "
                    + images.length);
        }
        if (noiseValues.length != noise.size()) {
            throw new IllegalArgumentException("noise must hold " + noise.size() + " floats, got "
                    + noiseValues.length);
        }
        Tensor real = realBatches.get(count);
        backend.upload(images, real);
        backend.upload(noiseValues, noise);
        Tensor fake = model.generator().forward(noise, Mode.TRAINING);
        zeroGradients(discriminatorVariables);
        float lossReal = discriminatorPass(real, 1f, false);
        meanRealScore = lastMeanScore;
        float lossFake = discriminatorPass(fake, 0f, false);
        discriminatorOptimizer.step();
        generatorStepDue = true;
        return lossReal + lossFake;
    }

    /**
     * The second half of a train step: D on G(z) (the D step's generator output, so the generator must not run in
     * between), D and G backward, Adam on G. Returns g_loss.
     *
     * @throws IllegalStateException unless it follows a {@link #discriminatorStep}
     */
    public float generatorStep() {
        if (!generatorStepDue) {
            throw new IllegalStateException("a G step reuses the generator output of the D step before it: call "
                    + "discriminatorStep first");
        }
        generatorStepDue = false;
        Sequential g = model.generator();
        g.repeatStateUpdate();
        Tensor fake = g.output();
        float loss = discriminatorPass(fake, 1f, true);
        zeroGradients(generatorVariables);
        g.backward(lastImageGradient, false, true);
        generatorOptimizer.step();
        steps++;
        return loss;
    }

    /** D forward in training mode, BCE against {@code label}, D backward: parameter or image gradients. */
    private float discriminatorPass(Tensor images, float label, boolean forGenerator) {
        Sequential d = model.discriminator();
        Tensor logits = d.forward(images, Mode.TRAINING);
        Tensor dLogits = logitGradients.get(images.dim(0));
        float loss = backend.binaryCrossEntropy(logits, label, dLogits);
        lastMeanScore = meanSigmoid(logits);
        lastImageGradient = d.backward(dLogits, forGenerator, !forGenerator);
        return loss;
    }

    /** The mean of D's probabilities sigmoid(logit) over the batch: D(x) or D(G(z)) as GAN trainers report it. */
    private float meanSigmoid(Tensor logits) {
        int n = logits.size();
        backend.download(logits, logitsHost);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / (1 + Math.exp(-logitsHost[i]));
        }
        return (float) (sum / n);
    }

    private void zeroGradients(List<Variable> trainables) {
        for (int i = 0; i < trainables.size(); i++) {
            backend.fill(trainables.get(i).gradient(), 0f);
        }
    }

    /** The gradient of the last g_loss with respect to the fake images {@code [N,28,28,1]}. */
    Tensor imageGradient() {
        return lastImageGradient;
    }

    public Adam discriminatorOptimizer() {
        return discriminatorOptimizer;
    }

    public Adam generatorOptimizer() {
        return generatorOptimizer;
    }
}
