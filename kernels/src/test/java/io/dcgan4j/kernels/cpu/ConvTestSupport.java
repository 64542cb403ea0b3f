package io.dcgan4j.kernels.cpu;

import static io.dcgan4j.kernels.cpu.KernelAssertions.assertClose;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertRejects;
import static io.dcgan4j.kernels.cpu.KernelAssertions.centralDifference;
import static io.dcgan4j.kernels.cpu.KernelTestData.maxAbs;
import static io.dcgan4j.kernels.cpu.KernelTestData.uniformDoubles;
import static io.dcgan4j.kernels.cpu.KernelTestData.uniformFloats;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * What {@link Conv2dTest} and {@link ConvTranspose2dTest} share: random layer data, one run of the three passes, and
 * the checks every {@link ConvKernel} and every convolution reference must pass.
 */
final class ConvTestSupport {

    /** Fast vs reference: |actual − expected| ≤ ATOL_SCALE · max|expected| + RTOL · |expected|. */
    private static final double ATOL_SCALE = 1e-5;
    private static final double RTOL = 1e-4;
    /**
     * Finite differences: the step (the parameters lie in [-1, 1), so it is the step itself) and the tolerance
     * {@code FD_TOL + FD_TOL·|numeric|}.
     */
    private static final double FD_STEP = 1e-3;
    private static final double FD_TOL = 1e-8;

    private ConvTestSupport() {
    }

    /** The GEMM under every fast kernel: the production one, on the kernel's pool. */
    static Gemm gemm(Parallel pool) {
        return new VectorGemm(pool);
    }

    /** Random layer inputs, and a random starting dw and dBias so that accumulation shows. */
    record Inputs(float[] x, float[] w, float[] bias, float[] dy, float[] dw, float[] dBias) {
        static Inputs random(ConvShape s, long seed) {
            Random rnd = new Random(seed);
            return new Inputs(uniformFloats(rnd, s.inputSize()), uniformFloats(rnd, s.kernelSize()),
                    uniformFloats(rnd, s.outC()), uniformFloats(rnd, s.outputSize()),
                    uniformFloats(rnd, s.kernelSize()), uniformFloats(rnd, s.outC()));
        }
    }

    /** The results of all three passes; outputs start as NaN so that a pass that fails to overwrite shows. */
    record Outputs(float[] y, float[] dx, float[] dw, float[] dBias) {
        static final String[] NAMES = {"y", "dx", "dw", "dBias"};

        static Outputs run(ConvKernel kernel, Inputs in) {
            ConvShape s = kernel.shape();
            float[] y = new float[s.outputSize()];
            float[] dx = new float[s.inputSize()];
            Arrays.fill(y, Float.NaN);
            Arrays.fill(dx, Float.NaN);
            float[] dw = in.dw.clone();
            float[] dBias = in.dBias.clone();
            kernel.forward(in.x, in.w, in.bias, y);
            kernel.backwardInput(in.dy, in.w, dx);
            kernel.backwardWeight(in.x, in.dy, dw, dBias);
            return new Outputs(y, dx, dw, dBias);
        }

        /** The four outputs in {@link #NAMES} order. */
        float[][] arrays() {
            return new float[][] {y, dx, dw, dBias};
        }
    }

    /** Fast vs reference on the same random inputs, all three passes. */
    static void assertFastMatchesReference(ConvKernel fast, ConvKernel reference, long seed) {
        Inputs in = Inputs.random(reference.shape(), seed);
        Outputs f = Outputs.run(fast, in);
        Outputs r = Outputs.run(reference, in);
        assertCloseToReference("forward y", r.y, f.y);
        assertCloseToReference("backwardInput dx", r.dx, f.dx);
        assertCloseToReference("backwardWeight dw", r.dw, f.dw);
        assertCloseToReference("backwardWeight dBias", r.dBias, f.dBias);
    }

    /** The fast kernel's three passes are bit-identical on pools of 1, 2, 3 and 7 threads. */
    static void assertSameForAnyThreadCount(ConvShape shape, long seed, Function<Parallel, ConvKernel> plan) {
        Inputs in = Inputs.random(shape, seed);
        KernelAssertions.assertSameForAnyThreadCount(pool -> Outputs.run(plan.apply(pool), in).arrays(),
                Outputs.NAMES);
    }

    /** Two backwardWeight calls add twice the gradient of one, for each kernel (all of the same shape). */
    static void assertBackwardWeightAccumulates(long seed, ConvKernel... kernels) {
        ConvShape shape = kernels[0].shape();
        Inputs in = Inputs.random(shape, seed);
        for (ConvKernel kernel : kernels) {
            float[] dw = new float[shape.kernelSize()];
            float[] dBias = new float[shape.outC()];
            kernel.backwardWeight(in.x, in.dy, dw, dBias);
            float[] once = dw.clone();
            float[] onceBias = dBias.clone();
            kernel.backwardWeight(in.x, in.dy, dw, dBias);
            assertCloseToReference(kernel.getClass().getSimpleName() + " dw after two calls", scaled(once, 2f), dw);
            assertCloseToReference(kernel.getClass().getSimpleName() + " dBias after two calls", scaled(onceBias, 2f),
                    dBias);
        }
    }

    /** Each pass of each kernel (all of the same shape) rejects a too-short array, naming it. */
    static void assertRejectArraysOfTheWrongLength(long seed, ConvKernel... kernels) {
        ConvShape shape = kernels[0].shape();
        Inputs in = Inputs.random(shape, seed);
        float[] y = new float[shape.outputSize()];
        float[] dx = new float[shape.inputSize()];
        float[] shortArray = new float[1];
        for (ConvKernel k : kernels) {
            assertRejects("x", () -> k.forward(shortArray, in.w, in.bias, y));
            assertRejects("w", () -> k.forward(in.x, shortArray, in.bias, y));
            assertRejects("bias", () -> k.forward(in.x, in.w, shortArray, y));
            assertRejects("y", () -> k.forward(in.x, in.w, in.bias, shortArray));
            assertRejects("dy", () -> k.backwardInput(shortArray, in.w, dx));
            assertRejects("dx", () -> k.backwardInput(in.dy, in.w, shortArray));
            assertRejects("dw", () -> k.backwardWeight(in.x, in.dy, shortArray, in.dBias.clone()));
            assertRejects("dBias", () -> k.backwardWeight(in.x, in.dy, in.dw.clone(), shortArray));
        }
    }

    /**
     * The reference's double backward cores against central differences of its double forward core, with
     * {@code loss = Σ y · r} for a random {@code r}, so that {@code dL/dy = r}.
     */
    static void assertReferenceBackwardMatchesFiniteDifferences(AbstractConvReference reference, long seed) {
        ConvShape s = reference.shape();
        Random rnd = new Random(seed);
        double[] x = uniformDoubles(rnd, s.inputSize());
        double[] w = uniformDoubles(rnd, s.kernelSize());
        double[] bias = uniformDoubles(rnd, s.outC());
        double[] r = uniformDoubles(rnd, s.outputSize());
        double[] y = new double[s.outputSize()];
        DoubleSupplier loss = () -> {
            reference.forwardCore(x, w, bias, y);
            double sum = 0.0;
            for (int i = 0; i < y.length; i++) {
                sum += y[i] * r[i];
            }
            return sum;
        };
        double[] dx = new double[s.inputSize()];
        reference.backwardInputCore(r, w, dx);
        double[] dw = new double[s.kernelSize()];
        double[] dBias = new double[s.outC()];
        reference.backwardWeightCore(x, r, dw, dBias);
        assertMatchesFiniteDifferences("dx", x, dx, loss);
        assertMatchesFiniteDifferences("dw", w, dw, loss);
        assertMatchesFiniteDifferences("dBias", bias, dBias, loss);
    }

    /** Central differences of a loss that is linear in each parameter, so only rounding separates the two. */
    private static void assertMatchesFiniteDifferences(String what, double[] param, double[] grad,
                                                       DoubleSupplier loss) {
        for (int i = 0; i < param.length; i++) {
            double numeric = centralDifference(param, i, FD_STEP, loss);
            if (Math.abs(numeric - grad[i]) > FD_TOL + FD_TOL * Math.abs(numeric)) {
                fail(what + "[" + i + "]: analytic " + grad[i] + ", finite difference " + numeric);
            }
        }
    }

    private static void assertCloseToReference(String what, float[] expected, float[] actual) {
        assertClose(what, expected, actual, ATOL_SCALE * maxAbs(expected), RTOL);
    }

    private static float[] scaled(float[] a, float factor) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * factor;
        }
        return out;
    }
}
