package io.dcgan4j.kernels.cpu;

import static io.dcgan4j.kernels.cpu.KernelAssertions.assertBitIdentical;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertRejects;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertSameForAnyThreadCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Adam} against {@link AdamReference}, a hand-computed first step and a double-precision Adam. */
class AdamTest {

    private static final float LR = 1e-3f;
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f;

    /** Parameter counts of the model's tensors, and sizes around vector and chunk boundaries. */
    static IntStream sizes() {
        return IntStream.of(100 * 4608, 5 * 5 * 128 * 256, 2304, 256, 3,
                0, 1, 7, 13, 17, 33, Adam.CHUNK - 1, Adam.CHUNK + 1, 3 * Adam.CHUNK + 9);
    }

    /** Same float operations in the same order: the fast kernel equals the reference bit for bit, step after step. */
    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void bitIdenticalToReferenceOverSeveralSteps(int n) {
        State fast = State.random(n, 21);
        State ref = fast.copy();
        SplittableRandom rnd = new SplittableRandom(22);
        try (Parallel pool = new Parallel(2)) {
            Adam adam = new Adam(pool);
            AdamReference reference = new AdamReference();
            long[] steps = {1, 2, 3, 4, 5, 1000, 1001};
            for (long t : steps) {
                float[] grad = gradient(rnd, n);
                adam.update(fast.param, grad, fast.m, fast.v, n, LR, BETA1, BETA2, EPSILON, t);
                reference.update(ref.param, grad, ref.m, ref.v, n, LR, BETA1, BETA2, EPSILON, t);
                assertBitIdentical("param after step " + t, ref.param, fast.param);
                assertBitIdentical("m after step " + t, ref.m, fast.m);
                assertBitIdentical("v after step " + t, ref.v, fast.v);
            }
        }
    }

    /** With m = v = 0 every parameter moves by lr·sign(g), less a relative ε/(sqrt(1−β2)·|g|) (3e-5 at |g| = 0.1). */
    @Test
    void firstStepMovesEveryParameterByTheLearningRate() {
        int n = 1000;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] grad = new float[n];
        for (int i = 0; i < n; i++) {
            grad[i] = (float) ((rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble(0.1, 10));
        }
        float[] param = new float[n];
        try (Parallel pool = new Parallel(1)) {
            new Adam(pool).update(param, grad, new float[n], new float[n], n, LR, BETA1, BETA2, EPSILON, 1);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(-Math.signum(grad[i]) * LR, param[i], 4e-5 * LR, "element " + i + ", g " + grad[i]);
        }
    }

    /** One element by hand: TensorFlow's float constants 1 − β1 = 0.100000024f and 1 − β2 = 0.00099998713f. */
    @Test
    void handComputedFirstStep() {
        assertEquals(0.100000024f, 1f - BETA1);
        assertEquals(0.00099998713f, 1f - BETA2);
        float[] param = {1f};
        float[] m = {0f};
        float[] v = {0f};
        try (Parallel pool = new Parallel(1)) {
            new Adam(pool).update(param, new float[] {0.5f}, m, v, 1, LR, BETA1, BETA2, EPSILON, 1);
        }
        assertEquals(0.5f * 0.100000024f, m[0]);
        assertEquals(0.25f * 0.00099998713f, v[0]);
        // alpha = 1e-3·sqrt(1 − 0.999f)/(1 − 0.9f); step = alpha·m/(sqrt(v) + 1e-7) = 1e-3·(1 − 6.3e-6).
        assertEquals(0.999f, param[0], Math.ulp(0.999f));
        assertEquals((float) (1e-3 * Math.sqrt(1 - (double) BETA2) / (1 - (double) BETA1)),
                AdamKernel.stepSize(LR, BETA1, BETA2, 1));
    }

    /** Where |g| is near ε/sqrt(1−β2), ε damps the step: lr·sqrt(c2)·|g|/(sqrt(c2)·|g| + ε). */
    @Test
    void tinyGradientsAreDampedByEpsilon() {
        float[] grad = {1e-9f, -3e-6f, 2e-5f};
        float[] param = new float[3];
        try (Parallel pool = new Parallel(1)) {
            new Adam(pool).update(param, grad, new float[3], new float[3], 3, LR, BETA1, BETA2, EPSILON, 1);
        }
        double c2 = 1f - BETA2;
        for (int i = 0; i < grad.length; i++) {
            double g = grad[i];
            double expected = -LR * Math.sqrt(c2) * g / (Math.sqrt(c2) * Math.abs(g) + EPSILON);
            assertEquals(expected, param[i], 1e-5 * Math.abs(expected), "g " + g);
        }
    }

    /** Twelve steps against the same formula in double: float rounding stays far below the step size. */
    @Test
    void agreesWithDoublePrecisionAdam() {
        int n = 4099;
        State fast = State.random(n, 5);
        double[] p = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = fast.param[i];
            m[i] = fast.m[i];
            v[i] = fast.v[i];
        }
        SplittableRandom rnd = new SplittableRandom(6);
        try (Parallel pool = new Parallel(2)) {
            Adam adam = new Adam(pool);
            for (long t = 1; t <= 12; t++) {
                float[] grad = gradient(rnd, n);
                adam.update(fast.param, grad, fast.m, fast.v, n, LR, BETA1, BETA2, EPSILON, t);
                double alpha = LR * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
                for (int i = 0; i < n; i++) {
                    double g = grad[i];
                    m[i] += (g - m[i]) * (1 - (double) BETA1);
                    v[i] += (g * g - v[i]) * (1 - (double) BETA2);
                    p[i] -= alpha * m[i] / (Math.sqrt(v[i]) + EPSILON);
                }
            }
        }
        int worst = -1;
        double worstDiff = 0.0;
        for (int i = 0; i < n; i++) {
            double diff = Math.abs(fast.param[i] - p[i]) - (1e-3 * LR + 2 * Math.ulp((float) p[i]));
            if (diff > worstDiff) {
                worst = i;
                worstDiff = diff;
            }
        }
        if (worst >= 0) {
            fail("element " + worst + " double " + p[worst] + " float " + fast.param[worst]);
        }
    }

    @Test
    void bitIdenticalForAnyThreadCount() {
        int n = 3 * Adam.CHUNK + 9;
        assertSameForAnyThreadCount(pool -> {
            State s = State.random(n, 40);
            SplittableRandom rnd = new SplittableRandom(41);
            Adam adam = new Adam(pool);
            for (long t = 1; t <= 3; t++) {
                adam.update(s.param, gradient(rnd, n), s.m, s.v, n, LR, BETA1, BETA2, EPSILON, t);
            }
            return new float[][] {s.param, s.m, s.v};
        }, "param", "m", "v");
    }

    @Test
    void badArgumentsNameTheProblem() {
        try (Parallel pool = new Parallel(1)) {
            Adam adam = new Adam(pool);
            float[] a = new float[8];
            assertRejects("v",
                    () -> adam.update(a, a.clone(), a.clone(), new float[7], 8, LR, BETA1, BETA2, EPSILON, 1));
            assertRejects("step",
                    () -> adam.update(a, a.clone(), a.clone(), a.clone(), 8, LR, BETA1, BETA2, EPSILON, 0));
        }
    }

    /** Parameters and non-negative second moments as after some training, so steps 1000+ are plausible too. */
    private record State(float[] param, float[] m, float[] v) {

        static State random(int n, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            State s = new State(new float[n], new float[n], new float[n]);
            for (int i = 0; i < n; i++) {
                s.param[i] = (float) (0.05 * rnd.nextGaussian());
                s.m[i] = (float) (0.01 * rnd.nextGaussian());
                s.v[i] = (float) (1e-4 * rnd.nextDouble());
            }
            return s;
        }

        State copy() {
            return new State(param.clone(), m.clone(), v.clone());
        }
    }

    /** Gradients over many scales, including exact zeros and values where ε matters. */
    private static float[] gradient(SplittableRandom rnd, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = rnd.nextInt(50) == 0 ? 0f : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextDouble(-8, 1)));
        }
        return g;
    }
}
