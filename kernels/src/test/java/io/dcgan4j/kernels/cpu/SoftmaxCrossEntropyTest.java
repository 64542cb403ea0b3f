package io.dcgan4j.kernels.cpu;

import static io.dcgan4j.kernels.cpu.KernelAssertions.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link SoftmaxCrossEntropy}: a textbook reference, finite differences, huge logits and bad labels. */
class SoftmaxCrossEntropyTest {

    /** The textbook form −log(e^{x_y} / Σ e^{x_j}), accurate for moderate logits. */
    private static double textbookLoss(float[] x, int n, int c, int[] labels) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double denominator = 0;
            for (int j = 0; j < c; j++) {
                denominator += Math.exp(x[i * c + j]);
            }
            sum += -Math.log(Math.exp(x[i * c + labels[i]]) / denominator);
        }
        return sum / n;
    }

    private static float[] randomLogits(SplittableRandom rnd, int size, double scale) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (scale * rnd.nextGaussian());
        }
        return x;
    }

    private static int[] randomLabels(SplittableRandom rnd, int n, int c) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(c);
        }
        return labels;
    }

    @ParameterizedTest(name = "n={0}, classes={1}")
    @CsvSource({"1, 10", "128, 10", "256, 10", "7, 3", "5, 1", "33, 17"})
    void matchesTheTextbookFormAndItsFiniteDifferences(int n, int c) {
        SplittableRandom rnd = new SplittableRandom(31L * n + c);
        float[] x = randomLogits(rnd, n * c, 3);
        int[] labels = randomLabels(rnd, n, c);
        float loss = SoftmaxCrossEntropy.meanLoss(x, n, c, labels);
        assertEquals(textbookLoss(x, n, c, labels), loss, 1e-6 * Math.max(1, loss));

        float[] grad = new float[n * c];
        SoftmaxCrossEntropy.gradient(x, n, c, labels, grad);
        float h = 1f / 64;
        for (int k = 0; k < x.length; k += Math.max(1, x.length / 97)) {
            float saved = x[k];
            x[k] = saved + h;
            double plus = textbookLoss(x, n, c, labels);
            x[k] = saved - h;
            double minus = textbookLoss(x, n, c, labels);
            x[k] = saved;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, grad[k], 1e-4 / n + 2e-3 * Math.abs(numeric), "logit " + k);
        }
    }

    @Test
    void gradientRowsSumToZeroAndProbabilitiesToOne() {
        SplittableRandom rnd = new SplittableRandom(9);
        int n = 50, c = 10;
        float[] x = randomLogits(rnd, n * c, 5);
        int[] labels = randomLabels(rnd, n, c);
        float[] grad = new float[n * c];
        float[] p = new float[n * c];
        SoftmaxCrossEntropy.gradient(x, n, c, labels, grad);
        SoftmaxCrossEntropy.probabilities(x, n, c, p);
        for (int i = 0; i < n; i++) {
            double g = 0, q = 0;
            for (int j = 0; j < c; j++) {
                g += grad[i * c + j];
                q += p[i * c + j];
                assertEquals(n * grad[i * c + j] + (j == labels[i] ? 1 : 0), p[i * c + j], 1e-6);
            }
            assertEquals(0, g, 1e-7, "gradient row " + i);
            assertEquals(1, q, 1e-6, "probability row " + i);
        }
    }

    /** Logits far beyond exp's range: the naive form overflows, the shifted one stays exact. */
    @Test
    void hugeLogitsStayFinite() {
        float[] x = {1e4f, -1e4f, 0f, 3e4f, 3e4f, -5e3f};
        int[] labels = {1, 0};
        float loss = SoftmaxCrossEntropy.meanLoss(x, 2, 3, labels);
        assertEquals((2e4 + Math.log(2)) / 2, loss, 1e-2);
        float[] grad = new float[6];
        SoftmaxCrossEntropy.gradient(x, 2, 3, labels, grad);
        float[] expected = {0.5f, -0.5f, 0f, -0.25f, 0.25f, 0f};
        for (int k = 0; k < 6; k++) {
            assertTrue(Float.isFinite(grad[k]));
            assertEquals(expected[k], grad[k], 1e-7, "logit " + k);
        }
    }

    @Test
    void rejectsLabelsOutsideTheClassesAndShortArrays() {
        float[] x = new float[20];
        assertRejects("label", () -> SoftmaxCrossEntropy.meanLoss(x, 2, 10, new int[] {3, 10}));
        assertRejects("label", () -> SoftmaxCrossEntropy.gradient(x, 2, 10, new int[] {-1, 0}, new float[20]));
        assertRejects("labels", () -> SoftmaxCrossEntropy.meanLoss(x, 2, 10, new int[] {1}));
        assertRejects("logits", () -> SoftmaxCrossEntropy.meanLoss(x, 3, 10, new int[] {1, 2, 3}));
        assertRejects("dLogits", () -> SoftmaxCrossEntropy.gradient(x, 2, 10, new int[] {1, 2}, new float[19]));
    }
}
