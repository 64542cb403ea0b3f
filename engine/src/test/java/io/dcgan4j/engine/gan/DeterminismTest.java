package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.nn.Variable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same seed gives bit-identical training, whatever the thread count. */
class DeterminismTest {

    private static final int BATCH = 16;
    private static final int IMAGE = 28 * 28;

    /** Two steps, the second on a partial batch (as an epoch's last batch), from model seed and noise seed. */
    private static Map<String, float[]> train(int threads, long seed) {
        SplittableRandom data = new SplittableRandom(99);
        float[] images = new float[BATCH * IMAGE];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (2 * data.nextDouble() - 1);
        }
        try (CpuBackend backend = new CpuBackend(threads)) {
            Dcgan model = new Dcgan(backend, DcganConfig.seedDefaults().withBatchSize(BATCH), seed);
            GanTrainer trainer = new GanTrainer(backend, model, seed + 1);
            StepResult first = trainer.step(images, BATCH);
            StepResult second = trainer.step(images, 9);
            assertTrue(Float.isFinite(first.discriminatorLoss()) && Float.isFinite(second.generatorLoss()));
            Map<String, float[]> state = new LinkedHashMap<>();
            for (Variable v : model.variables().values()) {
                float[] values = new float[v.value().size()];
                backend.download(v.value(), values);
                state.put(v.name(), values);
            }
            state.put("losses", new float[]{first.discriminatorLoss(), first.generatorLoss(),
                    second.discriminatorLoss(), second.generatorLoss()});
            return state;
        }
    }

    @Test
    void sameSeedGivesBitIdenticalStateForAnyThreadCount() {
        Map<String, float[]> one = train(1, 5);
        for (int threads : new int[]{1, 2, 3, 7}) {
            Map<String, float[]> other = train(threads, 5);
            assertEquals(one.keySet(), other.keySet());
            for (String name : one.keySet()) {
                assertArrayEquals(one.get(name), other.get(name), name + " differs with " + threads + " threads");
            }
        }
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        Map<String, float[]> a = train(2, 5);
        Map<String, float[]> b = train(2, 6);
        assertFalse(Arrays.equals(a.get("g_convT2_kernel"), b.get("g_convT2_kernel")));
        assertFalse(Arrays.equals(a.get("losses"), b.get("losses")));
    }
}
