package io.dcgan4j.kernels.cpu;

import static io.dcgan4j.kernels.cpu.KernelAssertions.assertBitIdentical;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertClose;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertRejects;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertSameForAnyThreadCount;
import static io.dcgan4j.kernels.cpu.KernelAssertions.centralDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Activations} against {@link ActivationsReference}, {@link Math#tanh} and finite differences. */
class ActivationsTest {

    private static final float ALPHA = 0.2f;
    private static final int CHUNK = Activations.CHUNK;
    /** Relative step of the central differences. */
    private static final double FD_STEP = 1e-6;

    /** The model's activation sizes at batch 4, and sizes around vector and chunk boundaries. */
    static IntStream sizes() {
        return IntStream.of(4 * 3 * 3 * 512, 4 * 9 * 9 * 256, 4 * 21 * 21 * 128, 4 * 28 * 28,
                0, 1, 7, 13, 15, 16, 17, 33, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5);
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void leakyReluIsBitIdenticalToReference(int n) {
        float[] x = inputs(n, 3.0, n);
        float[] dy = inputs(n, 1.0, n + 1);
        ActivationsReference ref = new ActivationsReference();
        try (Parallel pool = new Parallel(2)) {
            Activations fast = new Activations(pool);
            float[] yFast = new float[n];
            float[] yRef = new float[n];
            fast.leakyReluForward(x, yFast, n, ALPHA);
            ref.leakyReluForward(x, yRef, n, ALPHA);
            assertBitIdentical("forward", yRef, yFast);
            float[] dxFast = new float[n];
            float[] dxRef = new float[n];
            fast.leakyReluBackward(x, dy, dxFast, n, ALPHA);
            ref.leakyReluBackward(x, dy, dxRef, n, ALPHA);
            assertBitIdentical("backward", dxRef, dxFast);
        }
    }

    /** At x == 0 (either sign) the gradient is alpha·dy, as TensorFlow's LeakyReluGrad. */
    @Test
    void leakyReluAtZero() {
        float[] x = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE};
        float[] dy = {1f, 1f, 1f, 1f, 1f, 1f};
        try (Parallel pool = new Parallel(1)) {
            Activations fast = new Activations(pool);
            float[] y = new float[x.length];
            float[] dx = new float[x.length];
            fast.leakyReluForward(x, y, x.length, ALPHA);
            fast.leakyReluBackward(x, dy, dx, x.length, ALPHA);
            assertBitIdentical("forward",
                    new float[] {0f, -0f, 1f, -ALPHA, Float.MIN_VALUE, ALPHA * -Float.MIN_VALUE}, y);
            assertBitIdentical("backward", new float[] {ALPHA, ALPHA, 1f, ALPHA, 1f, ALPHA}, dx);
        }
    }

    /**
     * Slope 0 is ReLU (the classifier's): max(x, 0) up to the sign of zero, gradient dy where x > 0 and 0 elsewhere;
     * the vector kernel is bit-identical to the reference at every size.
     */
    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void slopeZeroIsReluBitIdenticalToReference(int n) {
        float[] x = inputs(n, 3.0, 5L * n);
        float[] dy = inputs(n, 1.0, 5L * n + 1);
        ActivationsReference ref = new ActivationsReference();
        try (Parallel pool = new Parallel(2)) {
            Activations fast = new Activations(pool);
            float[] y = new float[n];
            float[] dx = new float[n];
            fast.leakyReluForward(x, y, n, 0f);
            fast.leakyReluBackward(x, dy, dx, n, 0f);
            float[] yRef = new float[n];
            float[] dxRef = new float[n];
            ref.leakyReluForward(x, yRef, n, 0f);
            ref.leakyReluBackward(x, dy, dxRef, n, 0f);
            assertBitIdentical("relu forward", yRef, y);
            assertBitIdentical("relu backward", dxRef, dx);
            for (int i = 0; i < n; i++) {
                assertEquals(Math.max(x[i], 0f), y[i], 0f, "relu(" + x[i] + ")");
                assertEquals(x[i] > 0 ? dy[i] : 0f, dx[i], 0f, "relu'(" + x[i] + ")·" + dy[i]);
            }
        }
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void tanhMatchesMathTanhAndReference(int n) {
        float[] x = inputs(n, 4.0, 7L * n);
        float[] dy = inputs(n, 1.0, 7L * n + 1);
        ActivationsReference ref = new ActivationsReference();
        try (Parallel pool = new Parallel(2)) {
            Activations fast = new Activations(pool);
            float[] yFast = new float[n];
            fast.tanhForward(x, yFast, n);
            float[] yRef = new float[n];
            ref.tanhForward(x, yRef, n);
            assertBitIdentical("tanh", yRef, yFast);
            float[] dxFast = new float[n];
            float[] dxRef = new float[n];
            fast.tanhBackward(yRef, dy, dxFast, n);
            ref.tanhBackward(yRef, dy, dxRef, n);
            assertClose("tanh backward", dxRef, dxFast, 1e-12, 2.5e-7);
        }
    }

    /** Saturation, signed zero, tiny, infinite and NaN inputs, alone and in one call: exactly {@link Math#tanh}. */
    @Test
    void tanhSpecialValues() {
        float[] x = {0f, -0f, 1e-30f, -1e-8f, 0.5f, 9f, -9.5f, 20f, -20f, 1e30f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE};
        try (Parallel pool = new Parallel(1)) {
            Activations fast = new Activations(pool);
            float[] all = new float[x.length];
            fast.tanhForward(x, all, x.length);
            for (int i = 0; i < x.length; i++) {
                float[] one = new float[1];
                fast.tanhForward(new float[] {x[i]}, one, 1);
                float expected = (float) Math.tanh(x[i]);
                for (float got : new float[] {all[i], one[0]}) {
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got),
                            "tanh(" + x[i] + ") = " + got + ", Math.tanh gives " + expected);
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int n = 41;
        float[] x = inputs(n, 3.0, 99);
        for (int i = 0; i < n; i++) {
            if (Math.abs(x[i]) < 1e-3f) {
                x[i] = 0.5f;
            }
        }
        float[] w = inputs(n, 1.0, 100);
        try (Parallel pool = new Parallel(1)) {
            Activations fast = new Activations(pool);
            float[] dx = new float[n];
            float[] fd = new float[n];
            fast.leakyReluBackward(x, w, dx, n, ALPHA);
            for (int i = 0; i < n; i++) {
                double xi = x[i];
                fd[i] = (float) (w[i] * centralDifference(xi, FD_STEP, v -> v > 0 ? v : ALPHA * v));
            }
            assertClose("leaky relu dx", fd, dx, 1e-7, 1e-6);
            float[] y = new float[n];
            fast.tanhForward(x, y, n);
            fast.tanhBackward(y, w, dx, n);
            for (int i = 0; i < n; i++) {
                fd[i] = (float) (w[i] * centralDifference(x[i], FD_STEP, Math::tanh));
            }
            // y carries tanh's own rounding (about an ulp), which 1 − y² turns into about 2e-7 absolute.
            assertClose("tanh dx", fd, dx, 5e-7, 1e-6);
        }
    }

    /** Outputs may be the inputs: y == x forward; dx == dy and dx == x (or y) backward. */
    @Test
    void inPlaceGivesTheSameResults() {
        int n = 2 * CHUNK + 21;
        float[] x = inputs(n, 3.0, 5);
        float[] dy = inputs(n, 1.0, 6);
        try (Parallel pool = new Parallel(2)) {
            Activations fast = new Activations(pool);

            float[] expected = new float[n];
            fast.leakyReluForward(x, expected, n, ALPHA);
            float[] inPlace = x.clone();
            fast.leakyReluForward(inPlace, inPlace, n, ALPHA);
            assertBitIdentical("leaky relu forward, y == x", expected, inPlace);

            fast.leakyReluBackward(x, dy, expected, n, ALPHA);
            inPlace = dy.clone();
            fast.leakyReluBackward(x, inPlace, inPlace, n, ALPHA);
            assertBitIdentical("leaky relu backward, dx == dy", expected, inPlace);
            inPlace = x.clone();
            fast.leakyReluBackward(inPlace, dy, inPlace, n, ALPHA);
            assertBitIdentical("leaky relu backward, dx == x", expected, inPlace);

            fast.tanhForward(x, expected, n);
            inPlace = x.clone();
            fast.tanhForward(inPlace, inPlace, n);
            assertBitIdentical("tanh forward, y == x", expected, inPlace);

            float[] y = expected.clone();
            fast.tanhBackward(y, dy, expected, n);
            inPlace = dy.clone();
            fast.tanhBackward(y, inPlace, inPlace, n);
            assertBitIdentical("tanh backward, dx == dy", expected, inPlace);
            inPlace = y.clone();
            fast.tanhBackward(inPlace, dy, inPlace, n);
            assertBitIdentical("tanh backward, dx == y", expected, inPlace);
        }
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        int n = 3 * CHUNK + 5;
        float[] x = inputs(n, 3.0, 8);
        float[] dy = inputs(n, 1.0, 9);
        assertSameForAnyThreadCount(pool -> {
            Activations fast = new Activations(pool);
            float[][] out = new float[4][n];
            fast.leakyReluForward(x, out[0], n, ALPHA);
            fast.leakyReluBackward(x, dy, out[1], n, ALPHA);
            fast.tanhForward(x, out[2], n);
            fast.tanhBackward(out[2], dy, out[3], n);
            return out;
        }, "leaky relu y", "leaky relu dx", "tanh y", "tanh dx");
    }

    @Test
    void shortArraysNameTheArgument() {
        try (Parallel pool = new Parallel(1)) {
            Activations fast = new Activations(pool);
            assertRejects("dx", () -> fast.leakyReluBackward(new float[8], new float[8], new float[7], 8, ALPHA));
            assertRejects("x", () -> fast.tanhForward(new float[3], new float[8], 8));
        }
    }

    /** Gaussian values of spread {@code scale}, with exact zeros and negative zeros mixed in. */
    private static float[] inputs(int n, double scale, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(64);
            a[i] = kind == 0 ? 0f : kind == 1 ? -0f : (float) (scale * rnd.nextGaussian());
        }
        return a;
    }
}
