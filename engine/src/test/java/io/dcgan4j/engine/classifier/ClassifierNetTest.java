package io.dcgan4j.engine.classifier;

import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.Variable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier's backward pass (convolutions, BatchNorm, ReLU, Dense and softmax cross-entropy together) against
 * central finite differences of its loss, for entries of every variable, on the reference kernels; the tolerance
 * allows 5 % of the difference and 5 % of the variable's largest checked gradient (a kink of ReLU crossed by the
 * step), far below what a wrong factor, sign or transpose gives.
 */
class ClassifierNetTest {

    private static final int BATCH = 3;
    /**
     * Small, because BatchNorm over a batch of 3 and ReLU make the loss kinked in the first layer's weights: with
     * 4e-3 the differences there were off by up to 60 %, with 5e-4 they agree within a few per cent.
     */
    private static final float H = 5e-4f;

    @Test
    void gradientsOfEveryVariableMatchFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(17);
        float[] images = new float[BATCH * 784];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (2 * rnd.nextDouble() - 1);
        }
        int[] labels = {3, 0, 9};
        try (CpuBackend backend = new CpuBackend(1, CpuBackend.Kernels.REFERENCE)) {
            ClassifierNet net = new ClassifierNet(backend, 5);
            Tensor x = backend.zeros(BATCH, 28, 28, 1);
            backend.upload(images, x);
            Tensor dLogits = backend.zeros(BATCH, ClassifierNet.CLASSES);
            for (Variable v : net.trainableVariables()) {
                backend.fill(v.gradient(), 0f);
            }
            backend.softmaxCrossEntropy(net.forward(x, Mode.TRAINING), labels, dLogits);
            net.backward(dLogits);

            int checked = 0;
            for (Variable v : net.trainableVariables()) {
                float[] w = new float[v.value().size()];
                float[] g = new float[w.length];
                backend.download(v.value(), w);
                backend.download(v.gradient(), g);
                double scale = 0;
                for (int k = 0; k < w.length; k += Math.max(1, w.length / 6)) {
                    scale = Math.max(scale, Math.abs(g[k]));
                }
                for (int k = 0; k < w.length; k += Math.max(1, w.length / 6)) {
                    float saved = w[k];
                    w[k] = saved + H;
                    backend.upload(w, v.value());
                    double plus = backend.softmaxCrossEntropy(net.forward(x, Mode.TRAINING), labels, null);
                    w[k] = saved - H;
                    backend.upload(w, v.value());
                    double minus = backend.softmaxCrossEntropy(net.forward(x, Mode.TRAINING), labels, null);
                    w[k] = saved;
                    backend.upload(w, v.value());
                    double numeric = (plus - minus) / (2 * H);
                    assertEquals(numeric, g[k], 1e-3 + 0.05 * Math.abs(numeric) + 0.05 * scale,
                            v.name() + "[" + k + "]");
                    checked++;
                }
            }
            assertTrue(checked > 60, "checked " + checked + " entries");
        }
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndFeaturesHaveTheirShape() {
        try (CpuBackend backend = new CpuBackend(2)) {
            ClassifierNet a = new ClassifierNet(backend, 9);
            ClassifierNet b = new ClassifierNet(backend, 9);
            assertEquals(a.variables().keySet(), b.variables().keySet());
            for (String name : a.variables().keySet()) {
                float[] wa = new float[a.variables().get(name).value().size()];
                float[] wb = new float[wa.length];
                backend.download(a.variables().get(name).value(), wa);
                backend.download(b.variables().get(name).value(), wb);
                assertArrayEquals(wa, wb, name);
            }
            Tensor x = backend.zeros(2, 28, 28, 1);
            float[] ones = new float[2 * 784];
            Arrays.fill(ones, 0.5f);
            backend.upload(ones, x);
            assertArrayEquals(new int[] {2, ClassifierNet.CLASSES}, a.forward(x, Mode.INFERENCE).shape());
            assertArrayEquals(new int[] {2, ClassifierNet.FEATURES}, a.featureOutput().shape());
        }
    }
}
