package io.dcgan4j.kernels.cpu;

import static io.dcgan4j.kernels.cpu.KernelAssertions.assertClose;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertRejects;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertSameForAnyThreadCount;
import static io.dcgan4j.kernels.cpu.KernelAssertions.centralDifference;
import static io.dcgan4j.kernels.cpu.KernelTestData.gaussian;
import static io.dcgan4j.kernels.cpu.KernelTestData.maxAbs;
import static io.dcgan4j.kernels.cpu.KernelTestData.uniform;
import static io.dcgan4j.kernels.cpu.KernelTestData.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link BatchNorm} against {@link BatchNormReference}, finite differences and hand-computed moving averages. */
class BatchNormTest {

    private static final float EPSILON = 1e-3f;
    private static final float MOMENTUM = 0.99f;
    /** Relative step of the central differences. */
    private static final double FD_STEP = 1e-5;

    /** The model's BN layers at batch 256 (rows = N·H·W) and at batch 4, as in the golden vectors. */
    static Stream<Arguments> modelShapes() {
        return Stream.of(
                Arguments.of(256 * 81, 256), Arguments.of(256 * 441, 128), Arguments.of(256 * 169, 64),
                Arguments.of(256 * 36, 128), Arguments.of(256 * 9, 256),
                Arguments.of(4 * 81, 256), Arguments.of(4 * 441, 128), Arguments.of(4 * 169, 64),
                Arguments.of(4 * 36, 128), Arguments.of(4 * 9, 256));
    }

    /** Row counts around the block and chunk boundaries, channel counts that are not a multiple of 8 or 16. */
    static Stream<Arguments> awkwardShapes() {
        int[] rows = {1, 2, 3, 5, 63, 64, 65, 255, 256, 257, 513, 1000};
        int[] channels = {1, 3, 7, 13, 17, 33};
        return Arrays.stream(rows).boxed()
                .flatMap(r -> Arrays.stream(channels).mapToObj(c -> Arguments.of(r, c)));
    }

    @ParameterizedTest(name = "rows={0} channels={1}")
    @MethodSource({"modelShapes", "awkwardShapes"})
    void fastMatchesReference(int rows, int channels) {
        Inputs in = Inputs.random(rows, channels, 0.0, 1000L * rows + channels);
        try (Parallel pool = new Parallel(2)) {
            Outputs fast = Outputs.run(new BatchNorm(pool, rows, channels), in);
            Outputs ref = Outputs.run(new BatchNormReference(rows, channels), in);
            assertClose("batchMean", ref.mean, fast.mean, 1e-6, 1e-6);
            assertClose("batchVariance", ref.variance, fast.variance, 0.0, 1e-6);
            assertClose("batchInvStd", ref.invStd, fast.invStd, 0.0, 1e-6);
            assertClose("y (training)", ref.y, fast.y, 2e-6 * maxAbs(ref.y), 2e-6);
            assertClose("y (inference)", ref.yInference, fast.yInference, 2e-6 * maxAbs(ref.yInference), 2e-6);
            assertClose("dx", ref.dx, fast.dx, 2e-6 * gradientScale(in, ref.invStd), 1e-5);
            assertClose("dGamma", ref.dGamma, fast.dGamma, 1e-6 * maxAbs(ref.dGamma), 1e-6);
            assertClose("dBeta", ref.dBeta, fast.dBeta, 1e-6 * maxAbs(ref.dBeta), 1e-6);
        }
    }

    /** A mean 1000 standard deviations away from zero must not cost the variance its precision. */
    @Test
    void largeOffsetKeepsVarianceAccurate() {
        int rows = 256 * 36;
        int channels = 19;
        Inputs in = Inputs.random(rows, channels, 1000.0, 7);
        try (Parallel pool = new Parallel(2)) {
            Outputs fast = Outputs.run(new BatchNorm(pool, rows, channels), in);
            Outputs ref = Outputs.run(new BatchNormReference(rows, channels), in);
            assertClose("batchVariance", ref.variance, fast.variance, 0.0, 1e-5);
            assertClose("batchMean", ref.mean, fast.mean, 0.0, 1e-7);
            assertClose("y", ref.y, fast.y, 1e-4 * maxAbs(ref.y), 1e-4);
        }
    }

    /** A constant channel has variance 0, so y = beta; nothing divides by zero. */
    @Test
    void constantChannelGivesBeta() {
        int rows = 300;
        int channels = 5;
        Inputs in = Inputs.random(rows, channels, 0.0, 11);
        for (int r = 0; r < rows; r++) {
            in.x[r * channels + 2] = 0.1f;
        }
        try (Parallel pool = new Parallel(2)) {
            Outputs fast = Outputs.run(new BatchNorm(pool, rows, channels), in);
            assertTrue(fast.variance[2] >= 0f && fast.variance[2] < 1e-12f, "variance " + fast.variance[2]);
            for (int r = 0; r < rows; r++) {
                float y = fast.y[r * channels + 2];
                assertEquals(in.beta[2], y, 1e-5f, "row " + r);
            }
        }
    }

    @ParameterizedTest(name = "rows={0} channels={1}")
    @MethodSource("finiteDifferenceShapes")
    void backwardMatchesFiniteDifferences(int rows, int channels) {
        Inputs in = Inputs.random(rows, channels, 0.5, 31L * rows + channels);
        double[] x = widen(in.x);
        double[] gamma = widen(in.gamma);
        double[] beta = widen(in.beta);
        double[] w = widen(in.dy);
        float[] fdX = new float[x.length];
        float[] fdGamma = new float[channels];
        float[] fdBeta = new float[channels];
        for (int i = 0; i < x.length; i++) {
            fdX[i] = (float) centralDifference(x, i, FD_STEP, () -> loss(x, gamma, beta, w, rows, channels));
        }
        for (int c = 0; c < channels; c++) {
            fdGamma[c] = (float) centralDifference(gamma, c, FD_STEP, () -> loss(x, gamma, beta, w, rows, channels));
            fdBeta[c] = (float) centralDifference(beta, c, FD_STEP, () -> loss(x, gamma, beta, w, rows, channels));
        }
        try (Parallel pool = new Parallel(2)) {
            for (BatchNormKernel kernel : new BatchNormKernel[] {
                    new BatchNorm(pool, rows, channels), new BatchNormReference(rows, channels)}) {
                Outputs out = Outputs.run(kernel, in);
                String name = kernel.getClass().getSimpleName() + " ";
                double scale = Math.max(1.0, maxAbs(fdX));
                assertClose(name + "dx", fdX, out.dx, 2e-5 * scale, 1e-4);
                float[] dGamma = out.dGamma.clone();
                float[] dBeta = out.dBeta.clone();
                for (int c = 0; c < channels; c++) {
                    dGamma[c] -= in.dGammaStart[c];
                    dBeta[c] -= in.dBetaStart[c];
                }
                assertClose(name + "dGamma", fdGamma, dGamma, 2e-5 * Math.max(1.0, maxAbs(fdGamma)), 1e-4);
                assertClose(name + "dBeta", fdBeta, dBeta, 2e-5 * Math.max(1.0, maxAbs(fdBeta)), 1e-4);
            }
        }
    }

    static Stream<Arguments> finiteDifferenceShapes() {
        return Stream.of(Arguments.of(1, 3), Arguments.of(2, 1), Arguments.of(3, 2), Arguments.of(6, 3),
                Arguments.of(37, 17), Arguments.of(70, 5));
    }

    @ParameterizedTest(name = "rows={0} channels={1}")
    @MethodSource("threadShapes")
    void bitIdenticalForAnyThreadCount(int rows, int channels) {
        Inputs in = Inputs.random(rows, channels, 0.3, 5);
        assertSameForAnyThreadCount(pool -> Outputs.run(new BatchNorm(pool, rows, channels), in).arrays(),
                Outputs.NAMES);
    }

    static Stream<Arguments> threadShapes() {
        return Stream.of(Arguments.of(256 * 36, 128), Arguments.of(4 * 441, 128), Arguments.of(1000, 13),
                Arguments.of(3, 33));
    }

    @Test
    void movingAveragesMatchHandComputedValues() {
        float[] mean = {0.5f, -1f};
        float[] variance = {1f, 2f};
        BatchNormKernel.updateMovingAverages(mean, variance, new float[] {2f, 0f}, new float[] {3f, 0.75f},
                4, MOMENTUM);
        // mean: 0.99·0.5 + 0.01·2 and 0.99·(−1); variance: 0.99·1 + 0.01·3·4/3 and 0.99·2 + 0.01·0.75·4/3.
        assertEquals(0.515f, mean[0], 1e-6f);
        assertEquals(-0.99f, mean[1], 1e-6f);
        assertEquals(1.03f, variance[0], 1e-6f);
        assertEquals(1.99f, variance[1], 1e-6f);
    }

    @Test
    void movingVarianceOfOneRowIsNotDividedByZero() {
        float[] mean = {0f};
        float[] variance = {1f};
        BatchNormKernel.updateMovingAverages(mean, variance, new float[] {5f}, new float[] {3f}, 1, MOMENTUM);
        assertEquals(0.05f, mean[0], 1e-6f);
        assertEquals(1.02f, variance[0], 1e-6f);
    }

    /** momentum 0 leaves only the Bessel-corrected batch variance; the factors are keras-semantics' table. */
    @Test
    void besselFactorsOfTheModelLayers() {
        int[] rows = {256 * 81, 256 * 441, 256 * 169, 256 * 36, 256 * 9, 208 * 9};
        double[] factor = {1.0000482, 1.0000089, 1.0000231, 1.0001085, 1.0004342, 1.0005345};
        for (int i = 0; i < rows.length; i++) {
            float[] mean = {0f};
            float[] variance = {0f};
            BatchNormKernel.updateMovingAverages(mean, variance, new float[] {0f}, new float[] {1f}, rows[i], 0f);
            assertEquals(factor[i], variance[0], 1e-7, "rows " + rows[i]);
            assertEquals((float) (rows[i] / (rows[i] - 1.0)), variance[0], "rows " + rows[i]);
        }
    }

    /** The training forward followed by the update puts 0.01 of the unbiased variance into the moving one. */
    @Test
    void trainingStatisticsFeedTheMovingAverage() {
        int rows = 4;
        float[] x = {1f, 2f, 4f, 9f};
        float[] y = new float[4];
        float[] mean = new float[1];
        float[] var = new float[1];
        float[] invStd = new float[1];
        try (Parallel pool = new Parallel(1)) {
            new BatchNorm(pool, rows, 1).forwardTraining(x, new float[] {1f}, new float[] {0f}, EPSILON,
                    y, mean, var, invStd);
        }
        assertEquals(4f, mean[0], 0f);
        assertEquals(9.5f, var[0], 1e-6f);
        float[] movingMean = {0f};
        float[] movingVariance = {1f};
        BatchNormKernel.updateMovingAverages(movingMean, movingVariance, mean, var, rows, MOMENTUM);
        assertEquals(0.04f, movingMean[0], 1e-7f);
        // 0.99·1 + 0.01·(38/3): the sample variance of {1, 2, 4, 9} is 38/3.
        assertEquals(0.99 + 0.01 * 38.0 / 3.0, movingVariance[0], 1e-6);
    }

    @Test
    void wrongLengthsNameTheArgument() {
        try (Parallel pool = new Parallel(1)) {
            BatchNorm bn = new BatchNorm(pool, 4, 3);
            float[] c3 = new float[3];
            assertRejects("beta",
                    () -> bn.forwardTraining(new float[12], c3, new float[2], EPSILON, new float[12], c3, c3, c3));
            assertRejects("dy", () -> bn.backward(new float[12], new float[11], c3, c3, c3, new float[12], c3, c3));
            assertRejects("movingVariance",
                    () -> BatchNormKernel.updateMovingAverages(c3, new float[2], c3, c3, 4, MOMENTUM));
        }
    }

    /** Random inputs with per-channel means and spreads, and non-zero starting dGamma/dBeta. */
    private record Inputs(int rows, int channels, float[] x, float[] gamma, float[] beta, float[] movingMean,
                          float[] movingVariance, float[] dy, float[] dGammaStart, float[] dBetaStart) {

        static Inputs random(int rows, int channels, double offset, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            float[] centre = new float[channels];
            float[] spread = new float[channels];
            for (int c = 0; c < channels; c++) {
                centre[c] = (float) (offset + rnd.nextDouble(-2, 2));
                spread[c] = (float) rnd.nextDouble(0.1, 3);
            }
            float[] x = new float[rows * channels];
            float[] dy = new float[rows * channels];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < channels; c++) {
                    x[r * channels + c] = (float) (centre[c] + spread[c] * rnd.nextGaussian());
                    dy[r * channels + c] = (float) rnd.nextGaussian();
                }
            }
            return new Inputs(rows, channels, x, gaussian(rnd, channels, 1, 0.3), gaussian(rnd, channels, 0, 0.5),
                    gaussian(rnd, channels, 0, 1), uniform(rnd, channels, 0.05, 4), dy,
                    gaussian(rnd, channels, 0, 1), gaussian(rnd, channels, 0, 1));
        }
    }

    /** Everything one kernel computes from {@link Inputs}: training and inference forward, then backward. */
    private record Outputs(float[] y, float[] mean, float[] variance, float[] invStd, float[] yInference,
                           float[] dx, float[] dGamma, float[] dBeta) {

        static final String[] NAMES = {"y", "batchMean", "batchVariance", "batchInvStd", "y inference", "dx",
            "dGamma", "dBeta"};

        static Outputs run(BatchNormKernel kernel, Inputs in) {
            int n = in.rows * in.channels;
            Outputs o = new Outputs(new float[n], new float[in.channels], new float[in.channels],
                    new float[in.channels], new float[n], new float[n], in.dGammaStart.clone(),
                    in.dBetaStart.clone());
            kernel.forwardTraining(in.x, in.gamma, in.beta, EPSILON, o.y, o.mean, o.variance, o.invStd);
            kernel.forwardInference(in.x, in.gamma, in.beta, in.movingMean, in.movingVariance, EPSILON,
                    o.yInference);
            kernel.backward(in.x, in.dy, in.gamma, o.mean, o.invStd, o.dx, o.dGamma, o.dBeta);
            return o;
        }

        /** The outputs in {@link #NAMES} order. */
        float[][] arrays() {
            return new float[][] {y, mean, variance, invStd, yInference, dx, dGamma, dBeta};
        }
    }

    /** {@code Σ w·y} of the training forward, all in double: the definition the gradients are checked against. */
    private static double loss(double[] x, double[] gamma, double[] beta, double[] w, int rows, int channels) {
        double loss = 0.0;
        for (int c = 0; c < channels; c++) {
            double mean = 0.0;
            for (int r = 0; r < rows; r++) {
                mean += x[r * channels + c];
            }
            mean /= rows;
            double variance = 0.0;
            for (int r = 0; r < rows; r++) {
                double d = x[r * channels + c] - mean;
                variance += d * d;
            }
            variance /= rows;
            double invStd = 1.0 / Math.sqrt(variance + EPSILON);
            for (int r = 0; r < rows; r++) {
                int i = r * channels + c;
                loss += w[i] * (gamma[c] * (x[i] - mean) * invStd + beta[c]);
            }
        }
        return loss;
    }

    /**
     * The largest term {@code |gamma·invStd·dy|} of dx: dx is a difference of such terms, so float rounding is
     * relative to it, not to dx itself (which cancels to zero for one row).
     */
    private static double gradientScale(Inputs in, float[] invStd) {
        double m = 0.0;
        for (int i = 0; i < in.x.length; i++) {
            int c = i % in.channels;
            m = Math.max(m, Math.abs((double) in.gamma[c] * invStd[c] * in.dy[i]));
        }
        return m;
    }
}
