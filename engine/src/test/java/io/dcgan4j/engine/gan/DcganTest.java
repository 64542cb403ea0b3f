package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.api.Preset;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.nn.Initializers;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.Module;
import io.dcgan4j.engine.nn.Sequential;
import io.dcgan4j.engine.nn.Variable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DcganTest {

    /** Glorot limits per kernel from keras-semantics.md ("Applied to the seed model"). */
    private static final Map<String, Double> GLOROT_LIMITS = Map.of(
            "g_dense_kernel", 0.035699, "g_convT1_kernel", 0.029463, "g_convT2_kernel", 0.025,
            "g_convT3_kernel", 0.053503, "g_conv_kernel", 0.136083, "d_conv1_kernel", 0.101274,
            "d_conv2_kernel", 0.058926, "d_conv3_kernel", 0.0625, "d_dense_kernel", 0.051020);

    private static float[] values(CpuBackend backend, Tensor t) {
        float[] out = new float[t.size()];
        backend.download(t, out);
        return out;
    }

    @Test
    void initialisationFollowsKeras() {
        try (CpuBackend backend = new CpuBackend(1)) {
            Dcgan model = new Dcgan(backend, DcganConfig.seedDefaults(), 42);
            for (Variable v : model.variables().values()) {
                float[] w = values(backend, v.value());
                String n = v.name();
                if (n.endsWith("_kernel")) {
                    int[] shape = v.value().shape();
                    double limit = Math.sqrt(6.0 / (Initializers.fanIn(shape) + Initializers.fanOut(shape)));
                    assertEquals(GLOROT_LIMITS.get(n), limit, 1e-6, n + ": Keras's limit");
                    double max = 0, sum = 0, sq = 0;
                    for (float f : w) {
                        max = Math.max(max, Math.abs(f));
                        sum += f;
                        sq += (double) f * f;
                    }
                    assertTrue(max <= limit + Math.ulp((float) limit), n + ": |w| up to " + max + " > limit " + limit);
                    if (w.length >= 1000) {
                        assertTrue(max > 0.99 * limit, n + ": samples do not reach the limit");
                        double variance = sq / w.length - Math.pow(sum / w.length, 2);
                        assertEquals(limit * limit / 3, variance, 0.05 * limit * limit / 3, n + " variance");
                    }
                } else {
                    float expected = n.endsWith("_gamma") || n.endsWith("_moving_variance") ? 1f : 0f;
                    for (float f : w) {
                        assertEquals(expected, f, n);
                    }
                }
            }
        }
    }

    @Test
    void namesAndShapesAreThoseOfTheSeedModel() {
        try (CpuBackend backend = new CpuBackend(1)) {
            Dcgan model = new Dcgan(backend, DcganConfig.seedDefaults(), 1);
            assertArrayEquals(new int[]{5, 5, 128, 256}, model.variable("g_convT2_kernel").value().shape());
            assertArrayEquals(new int[]{100, 4608}, model.variable("g_dense_kernel").value().shape());
            assertArrayEquals(new int[]{2304, 1}, model.variable("d_dense_kernel").value().shape());
            assertFalse(model.variables().containsKey("g_dense_bias"), "the generator's Dense has no bias");
            assertEquals(37, model.variables().size());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.variable("g_convT9_kernel"));
            assertTrue(e.getMessage().contains("g_convT9_kernel"));
        }
    }

    @Test
    void theSeedTextDiscriminatorHasALeakyReluAfterEachBatchNormAndTheSameVariables() {
        try (CpuBackend backend = new CpuBackend(1)) {
            Dcgan seed = new Dcgan(backend, Preset.SEED.config(), 1);
            Dcgan text = new Dcgan(backend, Preset.SEED_TEXT.config(), 1);
            assertEquals(List.of("d_conv1", "d_bn1", "d_conv2", "d_bn2", "d_conv3", "d_bn3", "d_flatten", "d_dense"),
                    names(seed.discriminator()));
            assertEquals(List.of("d_conv1", "d_bn1", "d_lrelu1", "d_conv2", "d_bn2", "d_lrelu2", "d_conv3", "d_bn3",
                    "d_lrelu3", "d_flatten", "d_dense"), names(text.discriminator()));
            assertEquals(names(seed.generator()), names(text.generator()));
            assertEquals(seed.variables().keySet(), text.variables().keySet());
            for (String name : seed.variables().keySet()) {
                assertArrayEquals(values(backend, seed.variable(name).value()),
                        values(backend, text.variable(name).value()), name + ": the same seed draws the same weights");
            }
        }
    }

    @Test
    void theDcganPaperInitialisationDrawsKernelsFromANormalOfDeviation0_02() {
        try (CpuBackend backend = new CpuBackend(1)) {
            Dcgan model = new Dcgan(backend, Preset.DCGAN_PAPER.config(), 5);
            for (Variable v : model.variables().values()) {
                float[] w = values(backend, v.value());
                if (v.name().endsWith("_kernel")) {
                    double sum = 0, sq = 0, max = 0;
                    for (float f : w) {
                        sum += f;
                        sq += (double) f * f;
                        max = Math.max(max, Math.abs(f));
                    }
                    double mean = sum / w.length, sd = Math.sqrt(sq / w.length - mean * mean);
                    // Five standard errors of each estimate.
                    assertEquals(0, mean, 5 * 0.02 / Math.sqrt(w.length), v.name() + " mean");
                    assertEquals(0.02, sd, 5 * 0.02 / Math.sqrt(2.0 * w.length), v.name() + " deviation");
                    assertTrue(max < 0.02 * 6, v.name() + ": |w| " + max);
                } else {
                    float expected = v.name().endsWith("_gamma") || v.name().endsWith("_moving_variance") ? 1f : 0f;
                    for (float f : w) {
                        assertEquals(expected, f, v.name());
                    }
                }
            }
        }
    }

    private static List<String> names(Sequential s) {
        return s.modules().stream().map(Module::name).toList();
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        try (CpuBackend backend = new CpuBackend(1)) {
            float[] a = values(backend, new Dcgan(backend, DcganConfig.seedDefaults(), 3).variable("d_conv2_kernel").value());
            float[] b = values(backend, new Dcgan(backend, DcganConfig.seedDefaults(), 3).variable("d_conv2_kernel").value());
            float[] c = values(backend, new Dcgan(backend, DcganConfig.seedDefaults(), 4).variable("d_conv2_kernel").value());
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
        }
    }

    @Test
    void generatorMakesImagesInTheTanhRangeAndRejectsWrongShapes() {
        try (CpuBackend backend = new CpuBackend(2)) {
            Dcgan model = new Dcgan(backend, DcganConfig.seedDefaults(), 9);
            Tensor z = backend.zeros(3, 100);
            float[] noise = new float[300];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) r.nextGaussian();
            }
            backend.upload(noise, z);
            Tensor img = model.generator().forward(z, Mode.INFERENCE);
            assertArrayEquals(new int[]{3, 28, 28, 1}, img.shape());
            float[] px = values(backend, img);
            double spread = 0;
            for (float p : px) {
                assertTrue(p >= -1 && p <= 1, "tanh output out of range: " + p);
                spread += Math.abs(p);
            }
            assertTrue(spread > 0, "the generator's output is all zero");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.generator().forward(backend.zeros(3, 99), Mode.INFERENCE));
            assertTrue(e.getMessage().contains("[3, 99]"), e.getMessage());
        }
    }
}
