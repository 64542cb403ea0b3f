package io.dcgan4j.kernels.cpu;

import static io.dcgan4j.kernels.cpu.ConvTestSupport.gemm;
import static io.dcgan4j.kernels.cpu.KernelTestData.uniformFloats;
import static io.dcgan4j.kernels.cpu.KernelTestData.widen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConvTranspose2d} against {@link ConvTranspose2dReference}, the reference's backward passes against its
 * forward, and the forward as the adjoint of Conv2D's.
 */
class ConvTranspose2dTest {

    private static Parallel pool;

    @BeforeAll
    static void startPool() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                arguments("G convT1 3x3x512 k3 s3 -> 256", ConvShape.convTranspose2d(2, 3, 3, 512, 3, 3, 3, 256)),
                // 9 input pixels: tasks of 8 samples (72 rows), here 8 and 3
                arguments("G convT1, tasks of 8 and 3 samples", ConvShape.convTranspose2d(11, 3, 3, 512, 3, 3, 3, 256)),
                arguments("G convT2 9x9x256 k5 s2 -> 128", ConvShape.convTranspose2d(5, 9, 9, 256, 5, 5, 2, 128)),
                arguments("G convT3 21x21x128 k4 s3 -> 3", ConvShape.convTranspose2d(2, 21, 21, 128, 4, 4, 3, 3)),
                arguments("batch 1", ConvShape.convTranspose2d(1, 4, 4, 7, 3, 3, 2, 13)),
                arguments("non-square 7x5, kernel 3x2", ConvShape.convTranspose2d(2, 7, 5, 3, 3, 2, 2, 17)),
                arguments("1x1 kernel stride 1", ConvShape.convTranspose2d(2, 5, 6, 13, 1, 1, 1, 7)),
                arguments("1x1 kernel stride 2", ConvShape.convTranspose2d(2, 3, 4, 3, 1, 1, 2, 5)),
                arguments("stride 1", ConvShape.convTranspose2d(2, 6, 7, 17, 3, 3, 1, 3)),
                arguments("kernel 2 < stride 3", ConvShape.convTranspose2d(2, 4, 5, 7, 2, 2, 3, 13)),
                arguments("kernel 3x2 < stride 4, bias-only gaps", ConvShape.convTranspose2d(2, 3, 4, 17, 3, 2, 4, 3)),
                arguments("33 filters, one sample per task", ConvShape.convTranspose2d(3, 20, 20, 3, 9, 9, 1, 33)),
                arguments("weight-gradient chunks of 3, 3 and 1 samples",
                        ConvShape.convTranspose2d(7, 20, 20, 3, 9, 9, 1, 33)));
    }

    /** Small shapes for finite differences. */
    static Stream<Arguments> smallShapes() {
        return Stream.of(
                arguments("non-square 3x4, kernel 3x2", ConvShape.convTranspose2d(2, 3, 4, 3, 3, 2, 2, 4)),
                arguments("kernel 2 < stride 3", ConvShape.convTranspose2d(1, 3, 2, 2, 2, 2, 3, 3)),
                arguments("1x1 kernel stride 1", ConvShape.convTranspose2d(2, 2, 3, 3, 1, 1, 1, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void fastMatchesReference(String name, ConvShape shape) {
        ConvTestSupport.assertFastMatchesReference(new ConvTranspose2d(pool, gemm(pool), shape),
                new ConvTranspose2dReference(shape), name.hashCode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallShapes")
    void referenceBackwardMatchesFiniteDifferences(String name, ConvShape s) {
        ConvTestSupport.assertReferenceBackwardMatchesFiniteDifferences(new ConvTranspose2dReference(s),
                name.hashCode());
    }

    /** Conv2D shapes whose transposed partner (same kernel and stride, channels swapped) maps back onto its input. */
    static Stream<Arguments> adjointPairs() {
        return Stream.of(
                arguments("G convT1 3x3x512 k3 s3 -> 256", ConvShape.conv2d(2, 9, 9, 256, 3, 3, 3, 512)),
                arguments("G convT2 9x9x256 k5 s2 -> 128", ConvShape.conv2d(2, 21, 21, 128, 5, 5, 2, 256)),
                arguments("G convT3 21x21x128 k4 s3 -> 3", ConvShape.conv2d(2, 64, 64, 3, 4, 4, 3, 128)),
                arguments("non-square, kernel 3x2", ConvShape.conv2d(2, 7, 6, 5, 3, 2, 2, 3)),
                arguments("kernel 2 < stride 3", ConvShape.conv2d(2, 9, 12, 3, 2, 2, 3, 5)),
                arguments("1x1 kernel stride 1", ConvShape.conv2d(1, 4, 5, 7, 1, 1, 1, 13)));
    }

    /**
     * With zero bias and one kernel array (Conv2D reads it as [KH,KW,C,O], Conv2DTranspose as [KH,KW,F=C,O]), the
     * transposed forward is the adjoint of the Conv2D forward: {@code <conv(a), b> = <a, convT(b)>}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("adjointPairs")
    void forwardIsTheAdjointOfConv2d(String name, ConvShape conv) {
        ConvShape convT = transposeOf(conv);
        Random rnd = new Random(name.hashCode());
        float[] a = uniformFloats(rnd, conv.inputSize());
        float[] b = uniformFloats(rnd, conv.outputSize());
        float[] w = uniformFloats(rnd, conv.kernelSize());
        float[] convA = new float[conv.outputSize()];
        float[] convTB = new float[convT.outputSize()];
        new Conv2d(pool, gemm(pool), conv).forward(a, w, new float[conv.outC()], convA);
        new ConvTranspose2d(pool, gemm(pool), convT).forward(b, w, new float[convT.outC()], convTB);
        assertAdjoint(1e-5, widen(convA), widen(b), widen(a), widen(convTB));

        double[] convAd = new double[conv.outputSize()];
        double[] convTBd = new double[convT.outputSize()];
        Conv2dReference.forward(conv, widen(a), widen(w), new double[conv.outC()], convAd);
        ConvTranspose2dReference.forward(convT, widen(b), widen(w), new double[convT.outC()], convTBd);
        assertAdjoint(1e-12, convAd, widen(b), widen(a), convTBd);
    }

    private static ConvShape transposeOf(ConvShape conv) {
        ConvShape t = ConvShape.convTranspose2d(conv.batch(), conv.outH(), conv.outW(), conv.outC(), conv.kernelH(),
                conv.kernelW(), conv.stride(), conv.inC());
        assertEquals(conv.inputSize(), t.outputSize(), "the transposed output must match the Conv2D input");
        assertEquals(conv.inH(), t.outH(), "height");
        return t;
    }

    /** {@code <u, v> = <p, q>} within {@code tol · (|u|·|v| + |p|·|q|)} (Cauchy–Schwarz bounds each side). */
    private static void assertAdjoint(double tol, double[] u, double[] v, double[] p, double[] q) {
        double lhs = dot(u, v);
        double rhs = dot(p, q);
        double scale = Math.sqrt(dot(u, u) * dot(v, v)) + Math.sqrt(dot(p, p) * dot(q, q));
        assertTrue(Math.abs(lhs - rhs) <= tol * scale, "<conv(a), b> = " + lhs + " but <a, convT(b)> = " + rhs);
    }

    private static double dot(double[] u, double[] v) {
        double sum = 0.0;
        for (int i = 0; i < u.length; i++) {
            sum += u[i] * v[i];
        }
        return sum;
    }

    @Test
    void backwardWeightAccumulates() {
        ConvShape shape = ConvShape.convTranspose2d(2, 9, 9, 64, 5, 5, 2, 32);
        ConvTestSupport.assertBackwardWeightAccumulates(7, new ConvTranspose2d(pool, gemm(pool), shape),
                new ConvTranspose2dReference(shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("determinismShapes")
    void fastIsBitIdenticalForAnyThreadCount(String name, ConvShape shape) {
        ConvTestSupport.assertSameForAnyThreadCount(shape, 11, p -> new ConvTranspose2d(p, gemm(p), shape));
    }

    static Stream<Arguments> determinismShapes() {
        return Stream.of(
                arguments("G convT2 9x9x256 k5 s2 -> 128, one sample per task",
                        ConvShape.convTranspose2d(5, 9, 9, 256, 5, 5, 2, 128)),
                arguments("G convT1, tasks of 8 and 3 samples", ConvShape.convTranspose2d(11, 3, 3, 512, 3, 3, 3, 256)),
                arguments("33 filters, one sample per task", ConvShape.convTranspose2d(3, 20, 20, 3, 9, 9, 1, 33)),
                arguments("weight-gradient chunks of 3, 3 and 1 samples",
                        ConvShape.convTranspose2d(7, 20, 20, 3, 9, 9, 1, 33)));
    }

    @Test
    void rejectsAConv2dShape() {
        ConvShape conv = ConvShape.conv2d(1, 7, 7, 4, 3, 3, 2, 5);
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(pool, gemm(pool), conv));
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2dReference(conv));
    }

    @Test
    void rejectsArraysOfTheWrongLength() {
        ConvShape shape = ConvShape.convTranspose2d(2, 3, 3, 3, 3, 3, 2, 4);
        ConvTestSupport.assertRejectArraysOfTheWrongLength(3, new ConvTranspose2d(pool, gemm(pool), shape),
                new ConvTranspose2dReference(shape));
    }
}
