package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.Sequential;
import io.dcgan4j.engine.nn.Variable;
import io.dcgan4j.engine.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link GanTrainer} skips the G step's second generator forward (same z, same weights) and repeats only its
 * moving-average update. This replays the seed's {@code train_step} literally, both generator forwards included,
 * and requires bit-identical results.
 */
class SeedStepEquivalenceTest {

    private static final int BATCH = 8;

    @Test
    void trainerEqualsTheLiteralSeedStep() {
        float[] images = randomArray(BATCH * 784, 1, true);
        float[] noise = randomArray(BATCH * 100, 2, false);
        try (CpuBackend backend = new CpuBackend(2)) {
            DcganConfig config = DcganConfig.seedDefaults().withBatchSize(BATCH);
            Dcgan fast = new Dcgan(backend, config, 11);
            GanTrainer trainer = new GanTrainer(backend, fast, 0);
            StepResult fastLosses = trainer.step(images, BATCH, noise);

            Dcgan literal = new Dcgan(backend, config, 11);
            float[] literalLosses = literalSeedStep(backend, literal, images, noise);

            assertEquals(literalLosses[0], fastLosses.discriminatorLoss());
            assertEquals(literalLosses[1], fastLosses.generatorLoss());
            for (Variable v : fast.variables().values()) {
                assertArrayEquals(values(backend, literal.variable(v.name()).value()), values(backend, v.value()),
                        v.name());
            }
        }
    }

    private static float[] literalSeedStep(Backend backend, Dcgan model, float[] images, float[] noiseValues) {
        DcganConfig c = model.config();
        Sequential g = model.generator();
        Sequential d = model.discriminator();
        Adam dAdam = new Adam(backend, d.trainableVariables(), c.learningRate(), c.beta1(), c.beta2(),
                c.adamEpsilon());
        Adam gAdam = new Adam(backend, g.trainableVariables(), c.learningRate(), c.beta1(), c.beta2(),
                c.adamEpsilon());
        Tensor real = backend.zeros(BATCH, 28, 28, 1);
        Tensor z = backend.zeros(BATCH, 100);
        Tensor dLogits = backend.zeros(BATCH, 1);
        backend.upload(images, real);
        backend.upload(noiseValues, z);

        float dLoss = backend.binaryCrossEntropy(d.forward(real, Mode.TRAINING), 1f, dLogits);
        d.backward(dLogits, false, true);
        Tensor fake = g.forward(z, Mode.TRAINING);
        dLoss += backend.binaryCrossEntropy(d.forward(fake, Mode.TRAINING), 0f, dLogits);
        d.backward(dLogits, false, true);
        dAdam.step();

        fake = g.forward(z, Mode.TRAINING);
        float gLoss = backend.binaryCrossEntropy(d.forward(fake, Mode.TRAINING), 1f, dLogits);
        Tensor dImage = d.backward(dLogits, true, false);
        g.backward(dImage, false, true);
        gAdam.step();
        return new float[]{dLoss, gLoss};
    }

    private static float[] randomArray(int n, long seed, boolean uniform) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (uniform ? 2 * r.nextDouble() - 1 : r.nextGaussian());
        }
        return a;
    }

    private static float[] values(Backend backend, Tensor t) {
        float[] out = new float[t.size()];
        backend.download(t, out);
        return out;
    }
}
