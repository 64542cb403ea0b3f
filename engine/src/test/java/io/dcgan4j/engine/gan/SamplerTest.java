package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.nn.Variable;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    private static float[] noise(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] z = new float[count * 100];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian();
        }
        return z;
    }

    @Test
    void generatesImagesInRangeWithoutChangingTheModelAndEachSampleAlone() {
        try (CpuBackend backend = new CpuBackend(2)) {
            Dcgan model = new Dcgan(backend, DcganConfig.seedDefaults().withBatchSize(8), 3);
            GanTrainer trainer = new GanTrainer(backend, model, 4);
            float[] images = new float[8 * Dcgan.IMAGE_SIZE];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) (2 * r.nextDouble() - 1);
            }
            trainer.step(images, 8);
            Variable movingMean = model.variable("g_bn2_moving_mean");
            float[] before = new float[movingMean.value().size()];
            backend.download(movingMean.value(), before);

            Sampler sampler = new Sampler(backend, model);
            float[] z = noise(5, 9);
            float[] out = sampler.generate(z);
            assertEquals(5 * Dcgan.IMAGE_SIZE, out.length);
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : out) {
                assertTrue(v >= -1f && v <= 1f, "tanh output " + v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(max > min, "not a constant image");

            float[] after = new float[before.length];
            backend.download(movingMean.value(), after);
            assertArrayEquals(before, after, "inference mode leaves the moving statistics alone");
            assertArrayEquals(out, sampler.generate(z), "deterministic");

            // Inference mode has no batch statistics: a sample does not depend on the others in its batch.
            float[] third = new float[100];
            System.arraycopy(z, 2 * 100, third, 0, 100);
            float[] alone = sampler.generate(third);
            for (int i = 0; i < Dcgan.IMAGE_SIZE; i++) {
                assertEquals(out[2 * Dcgan.IMAGE_SIZE + i], alone[i], 1e-5f);
            }
        }
    }

    @Test
    void rejectsNoiseOfTheWrongLength() {
        try (CpuBackend backend = new CpuBackend(1)) {
            Sampler sampler = new Sampler(backend, new Dcgan(backend, DcganConfig.seedDefaults(), 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sampler.generate(new float[150]));
            assertFalse(e.getMessage().isEmpty());
        }
    }
}
