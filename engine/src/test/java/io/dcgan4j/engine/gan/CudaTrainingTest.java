package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.Preset;
import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.backend.cuda.CudaBackend;
import io.dcgan4j.engine.backend.cuda.CudaTests;
import io.dcgan4j.engine.api.MnistDataset;
import io.dcgan4j.engine.nn.Variable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A few hundred train steps of each preset on real MNIST on the GPU: the same seed twice on CUDA gives bit-identical
 * losses and weights, and the losses follow the CPU backend's. Skipped with the reason where there is no GPU.
 *
 * <p>CPU and GPU round differently, and a GAN amplifies small differences step by step, so the two runs are
 * compared closely at the first step (1e-3 relative) and then through the mean losses of windows of
 * {@link #WINDOW} steps, which must stay within 0.15 + 15 % of each other: enough to catch a wrong gradient or
 * update (the losses then drift apart by far more within a few dozen steps), not so tight that honest rounding
 * fails it.
 */
class CudaTrainingTest {

    private static final int STEPS = 300;
    private static final int BATCH = 64;
    private static final int WINDOW = 50;
    private static final long SEED = 3;
    private static MnistDataset mnist;

    @BeforeAll
    static void load() throws IOException {
        CudaTests.assumeAvailable();
        mnist = MnistDataset.load(Golden.sharedDir().resolve("data/mnist"), 6400);
    }

    /** Losses {@code [STEPS][d, g]} and the final variables of a run on {@code backend}. */
    private static Map<String, float[]> train(Backend backend, Preset preset) {
        Dcgan model = new Dcgan(backend, preset.config().withBatchSize(BATCH), SEED);
        GanTrainer trainer = new GanTrainer(backend, model, SEED + 1);
        float[] batch = new float[BATCH * Dcgan.IMAGE_SIZE];
        float[] losses = new float[2 * STEPS];
        int perEpoch = mnist.count() / BATCH;
        for (int step = 0; step < STEPS; step++) {
            System.arraycopy(mnist.images(), (step % perEpoch) * batch.length, batch, 0, batch.length);
            StepResult r = trainer.step(batch, BATCH);
            losses[2 * step] = r.discriminatorLoss();
            losses[2 * step + 1] = r.generatorLoss();
        }
        Map<String, float[]> state = new LinkedHashMap<>();
        state.put("losses", losses);
        for (Variable v : model.variables().values()) {
            float[] values = new float[v.value().size()];
            backend.download(v.value(), values);
            state.put(v.name(), values);
        }
        return state;
    }

    @ParameterizedTest
    @EnumSource(Preset.class)
    void twoCudaRunsFromOneSeedAreIdenticalAndFollowTheCpu(Preset preset) {
        Map<String, float[]> first;
        Map<String, float[]> second;
        try (CudaBackend cuda = CudaTests.openOrSkip()) {
            first = train(cuda, preset);
        }
        try (CudaBackend cuda = new CudaBackend(0)) {
            second = train(cuda, preset);
        }
        assertEquals(first.keySet(), second.keySet());
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name), second.get(name), name + " differs between two CUDA runs");
        }

        float[] gpu = first.get("losses");
        float[] cpu;
        try (CpuBackend backend = new CpuBackend(Runtime.getRuntime().availableProcessors())) {
            cpu = train(backend, preset).get("losses");
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(cpu[i], gpu[i], 1e-3 * Math.abs(cpu[i]), "step 1 loss " + i);
        }
        for (int start = 0; start < STEPS; start += WINDOW) {
            for (int which = 0; which < 2; which++) {
                double c = 0, g = 0;
                for (int s = start; s < start + WINDOW; s++) {
                    c += cpu[2 * s + which];
                    g += gpu[2 * s + which];
                }
                c /= WINDOW;
                g /= WINDOW;
                System.out.printf("%s steps %d-%d %s loss: cpu %.4f cuda %.4f%n", preset, start + 1, start + WINDOW,
                        which == 0 ? "d" : "g", c, g);
                assertTrue(Math.abs(c - g) <= 0.15 + 0.15 * Math.abs(c), "mean " + (which == 0 ? "d" : "g")
                        + " loss of steps " + (start + 1) + "-" + (start + WINDOW) + ": cpu " + c + ", cuda " + g);
            }
        }
    }
}
