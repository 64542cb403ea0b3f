package io.dcgan4j.engine.backend.cuda;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.BatchNormOp;
import io.dcgan4j.engine.backend.ConvOp;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.kernels.cpu.ConvShape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every op of the CUDA backend against the CPU backend (Vector API kernels, float32) on random inputs, at the model's
 * exact shapes (batch 256) and at awkward ones (batch 1, odd sizes, kernels smaller than the stride). Skipped with
 * the reason where there is no GPU.
 *
 * <p>Tolerances: both sides sum in float32, in different orders, so products differ by rounding that grows like
 * the square root of the number of terms summed: {@code |cuda − cpu| ≤ 4e-6·sqrt(terms)·scale + 1e-4·|cpu|}, scale
 * the typical size of a term (inputs are uniform in [−1, 1]). Element-wise ops, the batch-norm statistics (double
 * sums on both sides) and Adam (the same float operations in the same order) must agree much more tightly; Adam and
 * leaky ReLU bit for bit.
 */
class CudaBackendOpsTest {

    private static CudaBackend cuda;
    private static CpuBackend cpu;
    private final SplittableRandom random = new SplittableRandom(17);

    @BeforeAll
    static void open() {
        cuda = CudaTests.openOrSkip();
        cpu = new CpuBackend(Runtime.getRuntime().availableProcessors());
        System.out.println("comparing " + cuda.describe() + " with " + cpu.describe());
    }

    @AfterAll
    static void close() {
        if (cuda != null) {
            cuda.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    /** The model's layers at batch 256 and 1, and shapes the model does not have. */
    static Stream<ConvShape> convShapes() {
        Stream.Builder<ConvShape> b = Stream.builder();
        for (int n : new int[]{256, 1}) {
            b.add(ConvShape.convTranspose2d(n, 3, 3, 512, 3, 3, 3, 256));
            b.add(ConvShape.convTranspose2d(n, 9, 9, 256, 5, 5, 2, 128));
            b.add(ConvShape.convTranspose2d(n, 21, 21, 128, 4, 4, 3, 3));
            b.add(ConvShape.conv2d(n, 64, 64, 3, 9, 9, 2, 1));
            b.add(ConvShape.conv2d(n, 28, 28, 1, 3, 3, 2, 64));
            b.add(ConvShape.conv2d(n, 13, 13, 64, 3, 3, 2, 128));
            b.add(ConvShape.conv2d(n, 6, 6, 128, 2, 2, 2, 256));
        }
        b.add(ConvShape.convTranspose2d(3, 5, 7, 3, 2, 3, 3, 70));
        b.add(ConvShape.convTranspose2d(2, 4, 3, 65, 1, 1, 1, 1));
        b.add(ConvShape.conv2d(5, 10, 11, 5, 4, 3, 3, 67));
        b.add(ConvShape.conv2d(208, 28, 28, 1, 3, 3, 2, 64));
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("convShapes")
    void convolutionMatchesTheCpu(ConvShape s) {
        float[] x = randoms(s.inputSize(), 1), w = randoms(s.kernelSize(), 1), bias = randoms(s.outC(), 1);
        float[] dy = randoms(s.outputSize(), 1), dw = randoms(s.kernelSize(), 1), db = randoms(s.outC(), 1);
        int[] in = {s.batch(), s.inH(), s.inW(), s.inC()}, out = {s.batch(), s.outH(), s.outW(), s.outC()};
        int[] k = {s.kernelH(), s.kernelW(), s.transposed() ? s.outC() : s.inC(), s.transposed() ? s.inC() : s.outC()};
        Result[] r = new Result[2];
        Backend[] backends = {cpu, cuda};
        for (int i = 0; i < 2; i++) {
            Backend be = backends[i];
            ConvOp op = be.conv(s);
            Tensor tx = up(be, x, in), tw = up(be, w, k), tb = up(be, bias, s.outC()), tdy = up(be, dy, out);
            Tensor ty = be.zeros(out), tdx = be.zeros(in), tdw = up(be, dw, k), tdb = up(be, db, s.outC());
            op.forward(tx, tw, tb, ty);
            op.backwardInput(tdy, tw, tdx);
            op.backwardWeight(tx, tdy, tdw, tdb);
            r[i] = new Result(down(be, ty), down(be, tdx), down(be, tdw), down(be, tdb));
        }
        int taps = s.kernelH() * s.kernelW();
        // Terms per output: forward, its input gradient, the weight gradient (all pixels), the bias (all pixels).
        int forwardTerms = taps * s.inC(), inputTerms = taps * s.outC();
        int pixels = s.batch() * (s.transposed() ? s.inH() * s.inW() : s.outH() * s.outW());
        String name = s.toString();
        assertClose(name + " forward", r[0].a, r[1].a, forwardTerms);
        assertClose(name + " backward input", r[0].b, r[1].b, inputTerms);
        assertClose(name + " backward weight", r[0].c, r[1].c, pixels);
        assertClose(name + " backward bias", r[0].d, r[1].d, s.batch() * s.outH() * s.outW());
    }

    static Stream<Arguments> denseShapes() {
        return Stream.of(Arguments.of(256, 100, 4608, false), Arguments.of(256, 2304, 1, true),
                Arguments.of(208, 2304, 1, true), Arguments.of(1, 3, 5, true), Arguments.of(7, 65, 130, true));
    }

    @ParameterizedTest
    @MethodSource("denseShapes")
    void denseMatchesTheCpu(int n, int in, int out, boolean withBias) {
        float[] x = randoms(n * in, 1), w = randoms(in * out, 1), bias = randoms(out, 1), dy = randoms(n * out, 1);
        float[] dw = randoms(in * out, 1), db = randoms(out, 1);
        Result[] r = new Result[2];
        Backend[] backends = {cpu, cuda};
        for (int i = 0; i < 2; i++) {
            Backend be = backends[i];
            Tensor tx = up(be, x, n, in), tw = up(be, w, in, out), tdy = up(be, dy, n, out);
            Tensor tb = withBias ? up(be, bias, out) : null, tdb = withBias ? up(be, db, out) : null;
            Tensor ty = be.zeros(n, out), tdx = be.zeros(n, in), tdw = up(be, dw, in, out);
            be.denseForward(tx, tw, tb, ty);
            be.denseBackwardInput(tdy, tw, tdx);
            be.denseBackwardWeight(tx, tdy, tdw, tdb);
            r[i] = new Result(down(be, ty), down(be, tdx), down(be, tdw), withBias ? down(be, tdb) : new float[0]);
        }
        String name = "dense " + n + "x" + in + "->" + out;
        assertClose(name + " forward", r[0].a, r[1].a, in);
        assertClose(name + " backward input", r[0].b, r[1].b, out);
        assertClose(name + " backward weight", r[0].c, r[1].c, n);
        assertClose(name + " backward bias", r[0].d, r[1].d, n);
    }

    static Stream<Arguments> batchNormShapes() {
        return Stream.of(Arguments.of(256 * 81, 256), Arguments.of(256 * 441, 128), Arguments.of(256 * 4096, 3),
                Arguments.of(256 * 169, 64), Arguments.of(256 * 36, 128), Arguments.of(208 * 9, 256),
                Arguments.of(1, 5), Arguments.of(7, 3), Arguments.of(1000, 33));
    }

    @ParameterizedTest
    @MethodSource("batchNormShapes")
    void batchNormMatchesTheCpu(int rows, int channels) {
        float[] x = randoms(rows * channels, 2), dy = randoms(rows * channels, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] += 3;  // an offset, so a one-pass variance would show its cancellation
        }
        float[] gamma = randoms(channels, 1), beta = randoms(channels, 1);
        float[] dGamma = randoms(channels, 1), dBeta = randoms(channels, 1);
        float[][][] r = new float[2][][];
        Backend[] backends = {cpu, cuda};
        for (int i = 0; i < 2; i++) {
            Backend be = backends[i];
            BatchNormOp op = be.batchNorm(rows, channels);
            Tensor tx = up(be, x, rows, channels), tdy = up(be, dy, rows, channels);
            Tensor tg = up(be, gamma, channels), tb = up(be, beta, channels);
            Tensor ty = be.zeros(rows, channels), tdx = be.zeros(rows, channels), ti = be.zeros(rows, channels);
            Tensor mean = be.zeros(channels), var = be.zeros(channels), inv = be.zeros(channels);
            Tensor mm = be.zeros(channels), mv = be.zeros(channels);
            be.fill(mv, 1f);
            Tensor tdg = up(be, dGamma, channels), tdb = up(be, dBeta, channels);
            op.forwardTraining(tx, tg, tb, 1e-3f, ty, mean, var, inv);
            op.backward(tx, tdy, tg, mean, inv, tdx, tdg, tdb);
            op.updateMovingAverages(mm, mv, mean, var, 0.99f);
            op.forwardInference(tx, tg, tb, mm, mv, 1e-3f, ti);
            r[i] = new float[][]{down(be, ty), down(be, mean), down(be, var), down(be, inv), down(be, tdx),
                    down(be, tdg), down(be, tdb), down(be, mm), down(be, mv), down(be, ti)};
        }
        String[] names = {"y", "mean", "variance", "invStd", "dx", "dGamma", "dBeta", "movingMean", "movingVariance",
                "inference y"};
        for (int j = 0; j < names.length; j++) {
            // Statistics are double sums on both sides; dGamma/dBeta sum rows·|dy·xhat| ~ rows terms.
            int terms = j == 5 || j == 6 ? rows : 16;
            assertClose("batch norm " + rows + "x" + channels + " " + names[j], r[0][j], r[1][j], terms);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000, 256 * 784 + 3})
    void activationsMatchTheCpu(int n) {
        float[] x = randoms(n, 4), dy = randoms(n, 1);
        float[][][] r = new float[2][][];
        Backend[] backends = {cpu, cuda};
        for (int i = 0; i < 2; i++) {
            Backend be = backends[i];
            Tensor tx = up(be, x, n), tdy = up(be, dy, n), a = be.zeros(n), b = be.zeros(n), c = be.zeros(n),
                    d = be.zeros(n);
            be.leakyReluForward(tx, a, 0.2f);
            be.leakyReluBackward(tx, tdy, b, 0.2f);
            be.tanhForward(tx, c);
            be.tanhBackward(c, tdy, d);
            r[i] = new float[][]{down(be, a), down(be, b), down(be, c), down(be, d)};
        }
        assertBitIdentical("leaky relu forward", r[0][0], r[1][0]);
        assertBitIdentical("leaky relu backward", r[0][1], r[1][1]);
        assertClose("tanh forward", r[0][2], r[1][2], 1);
        assertClose("tanh backward", r[0][3], r[1][3], 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 208, 1, 1000})
    void binaryCrossEntropyMatchesTheCpu(int n) {
        float[] logits = randoms(n, 30);
        for (float label : new float[]{1f, 0f}) {
            float[] loss = new float[2];
            float[][] grad = new float[2][];
            Backend[] backends = {cpu, cuda};
            for (int i = 0; i < 2; i++) {
                Backend be = backends[i];
                Tensor t = up(be, logits, n, 1), g = be.zeros(n, 1);
                loss[i] = be.binaryCrossEntropy(t, label, g);
                assertEquals(loss[i], be.binaryCrossEntropy(t, label, null), "the loss without a gradient");
                grad[i] = down(be, g);
            }
            assertClose("bce loss n=" + n, new float[]{loss[0]}, new float[]{loss[1]}, 1);
            assertClose("bce gradient n=" + n, grad[0], grad[1], 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 1, 77})
    void softmaxCrossEntropyMatchesTheCpu(int n) {
        float[] logits = randoms(n * 10, 8);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7 + 3) % 10;
        }
        float[] loss = new float[2];
        float[][] grad = new float[2][];
        Backend[] backends = {cpu, cuda};
        for (int i = 0; i < 2; i++) {
            Backend be = backends[i];
            Tensor t = up(be, logits, n, 10), g = be.zeros(n, 10);
            loss[i] = be.softmaxCrossEntropy(t, labels, g);
            grad[i] = down(be, g);
        }
        assertBitIdentical("softmax cross-entropy loss n=" + n, new float[]{loss[0]}, new float[]{loss[1]});
        assertBitIdentical("softmax cross-entropy gradient n=" + n, grad[0], grad[1]);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 12345, 100 * 4608})
    void adamIsBitIdenticalToTheCpuReference(int n) {
        float[] p = randoms(n, 1), g = randoms(n, 1), m = randoms(n, 0.1), v = randoms(n, 0.01);
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(v[i]);
        }
        float[][][] r = new float[2][][];
        try (CpuBackend reference = new CpuBackend(1, CpuBackend.Kernels.REFERENCE)) {
            Backend[] backends = {reference, cuda};
            for (int i = 0; i < 2; i++) {
                Backend be = backends[i];
                Tensor tp = up(be, p, n), tg = up(be, g, n), tm = up(be, m, n), tv = up(be, v, n);
                for (long t = 1; t <= 3; t++) {
                    be.adamUpdate(tp, tg, tm, tv, 1e-3f, 0.9f, 0.999f, 1e-7f, t);
                }
                r[i] = new float[][]{down(be, tp), down(be, tm), down(be, tv)};
            }
        }
        assertBitIdentical("adam param", r[0][0], r[1][0]);
        assertBitIdentical("adam m", r[0][1], r[1][1]);
        assertBitIdentical("adam v", r[0][2], r[1][2]);
    }

    private record Result(float[] a, float[] b, float[] c, float[] d) {
    }

    private float[] randoms(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (scale * (2 * random.nextDouble() - 1));
        }
        return a;
    }

    private static Tensor up(Backend be, float[] values, int... shape) {
        Tensor t = be.zeros(shape);
        be.upload(values, t);
        return t;
    }

    private static float[] down(Backend be, Tensor t) {
        float[] a = new float[t.size()];
        be.download(t, a);
        return a;
    }

    /** See the class comment: float32 rounding of {@code terms} summed terms of size about 1. */
    private static void assertClose(String what, float[] expected, float[] actual, int terms) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        double atol = 4e-6 * Math.sqrt(terms) + 1e-6;
        int worst = -1;
        double worstRatio = 1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            double ratio = diff / (atol + 1e-4 * Math.abs(expected[i]));
            if (!(ratio <= worstRatio)) {
                worst = i;
                worstRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " cpu " + expected[worst] + ", cuda " + actual[worst] + " ("
                    + worstRatio + " times the tolerance)");
        }
    }

    private static void assertBitIdentical(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " cpu " + expected[i] + ", cuda " + actual[i]);
            }
        }
        assertTrue(expected.length > 0);
    }
}
