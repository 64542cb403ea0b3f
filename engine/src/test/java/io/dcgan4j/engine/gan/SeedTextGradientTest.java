package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.api.Preset;
import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.Module;
import io.dcgan4j.engine.nn.Sequential;
import io.dcgan4j.engine.nn.Variable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code seed-text} discriminator (leaky ReLU after each BatchNormalization) in the golden step's setting: the
 * golden initial weights and inputs at batch 4, on the reference kernels. No golden tensors exist for this model, so
 * its first layers are held to the golden activations, its first activation to leaky ReLU of the golden BatchNorm
 * output, and its gradients (of d_loss for entries of every discriminator variable, of g_loss for pixels of the fake
 * images) to central finite differences.
 *
 * <p>Each entry is tried with two step sizes and passes if either agrees to 2 % of the difference plus 2 % of the
 * largest checked gradient plus the loss's float32 rounding: a leaky-ReLU input within one step of 0 bends the
 * difference at one step size (seen: 9 % off at 1e-3, 1 % at 1.25e-4), while a wrong slope or sign misses at both.
 */
class SeedTextGradientTest {

    private static final float[] STEPS = {1e-3f, 2.5e-4f};
    private static final float ALPHA = Preset.SEED_TEXT.config().leakyAlpha();
    private static Golden golden;

    @BeforeAll
    static void loadGolden() throws Exception {
        golden = Golden.load();
    }

    @AfterAll
    static void release() {
        golden = null;
    }

    @Test
    void theFirstLayersGiveTheGoldenActivationsAndTheActivationIsLeakyRelu() {
        try (CpuBackend backend = new CpuBackend(1, CpuBackend.Kernels.REFERENCE)) {
            Dcgan model = GoldenStepCheck.initialModel(backend, golden, Preset.SEED_TEXT.config());
            Sequential d = model.discriminator();
            d.forward(upload(backend, "input_real"), Mode.TRAINING);
            float[] bn1 = golden.get("act_real_d_bn1_out");
            float[] lrelu1 = new float[bn1.length];
            for (int i = 0; i < bn1.length; i++) {
                lrelu1[i] = bn1[i] >= 0 ? bn1[i] : ALPHA * bn1[i];
            }
            int negatives = 0;
            for (float v : bn1) {
                negatives += v < 0 ? 1 : 0;
            }
            assertTrue(negatives > bn1.length / 4, "the activation has negative inputs to act on: " + negatives);
            assertClose(golden.get("act_real_d_conv1_out"), output(backend, d, "d_conv1"), "d_conv1");
            assertClose(bn1, output(backend, d, "d_bn1"), "d_bn1");
            assertClose(lrelu1, output(backend, d, "d_lrelu1"), "d_lrelu1");
        }
    }

    @Test
    void discriminatorGradientsMatchFiniteDifferencesOfDLoss() {
        try (CpuBackend backend = new CpuBackend(1, CpuBackend.Kernels.REFERENCE)) {
            Dcgan model = GoldenStepCheck.initialModel(backend, golden, Preset.SEED_TEXT.config());
            GanTrainer trainer = new GanTrainer(backend, model, 0);
            float dLoss = trainer.discriminatorStep(golden.get("input_real"), GoldenStepCheck.BATCH,
                    golden.get("input_noise"));
            Tensor real = upload(backend, "input_real");
            Tensor fake = copy(backend, model.generator().output());
            Sequential d = model.discriminator();
            // Adam has moved D; the gradients belong to the golden initial values, so put those back.
            for (Variable v : d.variables()) {
                backend.upload(golden.get("init_" + v.name()), v.value());
            }
            int checked = 0;
            for (Variable v : d.trainableVariables()) {
                float[] w = download(backend, v.value());
                ToDoubleFunction<float[]> loss = values -> {
                    backend.upload(values, v.value());
                    return backend.binaryCrossEntropy(d.forward(real, Mode.TRAINING), 1f, null)
                            + backend.binaryCrossEntropy(d.forward(fake, Mode.TRAINING), 0f, null);
                };
                assertEquals(dLoss, loss.applyAsDouble(w), 1e-6, "d_loss from the restored weights");
                checked += check(v.name(), w, download(backend, v.gradient()), Math.max(1, w.length / 12), loss);
                backend.upload(w, v.value());
            }
            assertTrue(checked > 120, "checked " + checked + " entries");
        }
    }

    @Test
    void theImageGradientMatchesFiniteDifferencesOfGLoss() {
        try (CpuBackend backend = new CpuBackend(1, CpuBackend.Kernels.REFERENCE)) {
            Dcgan model = GoldenStepCheck.initialModel(backend, golden, Preset.SEED_TEXT.config());
            GanTrainer trainer = new GanTrainer(backend, model, 0);
            float gLoss = trainer.step(golden.get("input_real"), GoldenStepCheck.BATCH, golden.get("input_noise"))
                    .generatorLoss();
            float[] image = download(backend, model.generator().output());
            Sequential d = model.discriminator();
            Tensor x = backend.zeros(model.generator().output().shape());
            ToDoubleFunction<float[]> loss = pixels -> {
                backend.upload(pixels, x);
                return backend.binaryCrossEntropy(d.forward(x, Mode.TRAINING), 1f, null);
            };
            assertEquals(gLoss, loss.applyAsDouble(image), 1e-6, "g_loss from the fake images");
            int checked = check("dg_loss/dx", image, download(backend, trainer.imageGradient()), 37, loss);
            assertTrue(checked > 80, "checked " + checked + " pixels");
        }
    }

    /** Every {@code stride}-th entry of {@code point}; returns how many were checked. */
    private static int check(String name, float[] point, float[] gradient, int stride, ToDoubleFunction<float[]> loss) {
        double scale = 0;
        for (int k = 0; k < point.length; k += stride) {
            scale = Math.max(scale, Math.abs(gradient[k]));
        }
        int checked = 0;
        for (int k = 0; k < point.length; k += stride) {
            StringBuilder differences = new StringBuilder();
            boolean agrees = false;
            for (float h : STEPS) {
                float saved = point[k];
                point[k] = saved + h;
                double plus = loss.applyAsDouble(point);
                point[k] = saved - h;
                double minus = loss.applyAsDouble(point);
                point[k] = saved;
                double numeric = (plus - minus) / (2 * h);
                double tolerance = 0.02 * Math.abs(numeric) + 0.02 * scale + 4 * Math.ulp(2f) / (2 * h);
                agrees |= Math.abs(numeric - gradient[k]) <= tolerance;
                differences.append(String.format(" %.6g (step %.1e)", numeric, h));
            }
            assertTrue(agrees, name + "[" + k + "]: gradient " + gradient[k] + ", finite differences" + differences);
            checked++;
        }
        return checked;
    }

    private static float[] output(Backend backend, Sequential s, String module) {
        for (Module m : s.modules()) {
            if (m.name().equals(module)) {
                return download(backend, m.output());
            }
        }
        throw new AssertionError("no module " + module);
    }

    private static void assertClose(float[] expected, float[] actual, String name) {
        assertEquals(expected.length, actual.length, name);
        double max = 1;
        for (float e : expected) {
            max = Math.max(max, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * max, name + "[" + i + "]");
        }
    }

    private static Tensor upload(Backend backend, String name) {
        Tensor t = backend.zeros(golden.shape(name));
        backend.upload(golden.get(name), t);
        return t;
    }

    private static Tensor copy(Backend backend, Tensor source) {
        Tensor t = backend.zeros(source.shape());
        backend.upload(download(backend, source), t);
        return t;
    }

    private static float[] download(Backend backend, Tensor t) {
        float[] out = new float[t.size()];
        backend.download(t, out);
        return out;
    }
}
