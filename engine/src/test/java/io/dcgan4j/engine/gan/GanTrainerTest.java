package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanTrainerTest {

    private static final int BATCH = 4;

    @Test
    void rejectsBadBatchesWithAClearMessageAndTakesNoStep() {
        try (CpuBackend backend = new CpuBackend(1)) {
            Dcgan model = new Dcgan(backend, DcganConfig.seedDefaults().withBatchSize(BATCH), 1);
            GanTrainer trainer = new GanTrainer(backend, model, 2);
            float[] images = new float[BATCH * Dcgan.IMAGE_SIZE];

            String tooMany = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(images, BATCH + 1)).getMessage();
            assertTrue(tooMany.contains("1.." + BATCH) && tooMany.contains("5"), tooMany);
            assertThrows(IllegalArgumentException.class, () -> trainer.step(images, 0));
            String shortImages = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(new float[Dcgan.IMAGE_SIZE], 2)).getMessage();
            assertTrue(shortImages.contains("1568"), shortImages);
            String badNoise = assertThrows(IllegalArgumentException.class,
                    () -> trainer.step(images, BATCH, new float[10])).getMessage();
            assertTrue(badNoise.contains("400"), badNoise);

            assertEquals(0, trainer.discriminatorOptimizer().iterations());
            assertEquals(0, trainer.generatorOptimizer().iterations());
        }
    }

    @Test
    void countsOneAdamStepPerNetworkPerTrainStep() {
        try (CpuBackend backend = new CpuBackend(2)) {
            Dcgan model = new Dcgan(backend, DcganConfig.seedDefaults().withBatchSize(BATCH), 1);
            GanTrainer trainer = new GanTrainer(backend, model, 2);
            float[] images = new float[BATCH * Dcgan.IMAGE_SIZE];
            for (int i = 0; i < images.length; i++) {
                images[i] = (i % 7) / 3.5f - 1;
            }
            for (int s = 1; s <= 3; s++) {
                StepResult r = trainer.step(images, s == 3 ? 1 : BATCH);
                assertTrue(r.discriminatorLoss() > 0 && r.generatorLoss() > 0, r.toString());
                assertEquals(s, trainer.discriminatorOptimizer().iterations());
                assertEquals(s, trainer.generatorOptimizer().iterations());
            }
        }
    }

    /** The two halves, called apart, are the step; a G step needs the D step before it. */
    @Test
    void theHalvesMakeTheStepAndKeepTheirOrder() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(8);
        float[] images = new float[BATCH * Dcgan.IMAGE_SIZE];
        float[] noise = new float[BATCH * 100];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (2 * r.nextDouble() - 1);
        }
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) r.nextGaussian();
        }
        try (CpuBackend backend = new CpuBackend(2)) {
            GanTrainer whole = new GanTrainer(backend,
                    new Dcgan(backend, DcganConfig.seedDefaults().withBatchSize(BATCH), 1), 2);
            GanTrainer halves = new GanTrainer(backend,
                    new Dcgan(backend, DcganConfig.seedDefaults().withBatchSize(BATCH), 1), 2);
            String early = assertThrows(IllegalStateException.class, halves::generatorStep).getMessage();
            assertTrue(early.contains("discriminatorStep"), early);
            for (int step = 0; step < 2; step++) {
                StepResult expected = whole.step(images, BATCH, noise);
                assertEquals(expected.discriminatorLoss(), halves.discriminatorStep(images, BATCH, noise));
                assertEquals(expected.generatorLoss(), halves.generatorStep());
            }
            assertThrows(IllegalStateException.class, halves::generatorStep);
        }
    }
}
