package io.dcgan4j.kernels.cpu;

import static io.dcgan4j.kernels.cpu.ConvTestSupport.gemm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Conv2d} against {@link Conv2dReference}, and the reference's backward passes against its forward. */
class Conv2dTest {

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
                arguments("D conv1 28x28x1 k3 s2 -> 64", ConvShape.conv2d(2, 28, 28, 1, 3, 3, 2, 64)),
                arguments("D conv2 13x13x64 k3 s2 -> 128", ConvShape.conv2d(3, 13, 13, 64, 3, 3, 2, 128)),
                arguments("D conv3 6x6x128 k2 s2 -> 256", ConvShape.conv2d(2, 6, 6, 128, 2, 2, 2, 256)),
                // 9 output pixels: tasks of 8 samples (72 rows), here 8 and 3
                arguments("D conv3, tasks of 8 and 3 samples", ConvShape.conv2d(11, 6, 6, 128, 2, 2, 2, 256)),
                // the direct path; on im2col + GEMM batch 7 would be two chunks of 5 and 2 samples
                arguments("G conv 64x64x3 k9 s2 -> 1", ConvShape.conv2d(7, 64, 64, 3, 9, 9, 2, 1)),
                arguments("batch 1", ConvShape.conv2d(1, 9, 9, 7, 3, 3, 2, 13)),
                arguments("non-square 7x5, kernel 3x2", ConvShape.conv2d(2, 7, 5, 3, 3, 2, 2, 17)),
                arguments("1x1 kernel stride 1", ConvShape.conv2d(2, 5, 6, 13, 1, 1, 1, 7)),
                arguments("1x1 kernel stride 2", ConvShape.conv2d(2, 7, 6, 3, 1, 1, 2, 5)),
                arguments("stride 1", ConvShape.conv2d(2, 6, 7, 17, 3, 3, 1, 3)),
                arguments("kernel 2 < stride 3 skips inputs", ConvShape.conv2d(2, 11, 10, 7, 2, 2, 3, 13)),
                arguments("kernel covers the whole input", ConvShape.conv2d(3, 4, 5, 7, 4, 5, 2, 3)),
                arguments("33 channels, one sample per task", ConvShape.conv2d(3, 40, 40, 33, 9, 9, 1, 2)),
                // the direct path (at most Conv2dDirect.MAX_FILTERS filters), then im2col just above it
                arguments("direct: 1 channel, 1 filter", ConvShape.conv2d(2, 9, 8, 1, 3, 3, 2, 1)),
                arguments("direct: batch 1, odd 11x13x5 k4x3 -> 2", ConvShape.conv2d(1, 11, 13, 5, 4, 3, 2, 2)),
                arguments("direct: non-square 10x7x17, kernel 5x2", ConvShape.conv2d(2, 10, 7, 17, 5, 2, 2, 1)),
                arguments("direct: stride 1", ConvShape.conv2d(2, 8, 9, 7, 3, 3, 1, 2)),
                arguments("direct: kernel 2 < stride 3", ConvShape.conv2d(2, 11, 10, 7, 2, 2, 3, 1)),
                arguments("direct: 1x1 output, two chunks of 2 and 1", ConvShape.conv2d(3, 9, 9, 600, 9, 9, 1, 2)),
                arguments("direct: 8 filters", ConvShape.conv2d(2, 12, 11, 5, 4, 3, 2, Conv2dDirect.MAX_FILTERS)),
                arguments("im2col: just above direct", ConvShape.conv2d(2, 12, 11, 5, 4, 3, 2,
                        Conv2dDirect.MAX_FILTERS + 1)),
                // the shallow path (filters a multiple of four vectors at 4, 8 and 16 lanes), then im2col
                arguments("shallow: 2 channels, 8 pixels a row", ConvShape.conv2d(3, 11, 17, 2, 3, 3, 2, 64)),
                arguments("shallow: batch 1, stride 1, kernel 2x3", ConvShape.conv2d(1, 7, 9, 1, 2, 3, 1, 64)),
                arguments("shallow: rows of 3 pixels, patch 27", ConvShape.conv2d(2, 5, 5, 3, 3, 3, 1, 128)),
                arguments("shallow: 4 pixels, fewer than a block", ConvShape.conv2d(2, 5, 5, 1, 3, 3, 2, 64)),
                arguments("shallow: patch of 32, a short last block", ConvShape.conv2d(2, 6, 9, 8, 2, 2, 1, 64)),
                arguments("im2col: patch of 33, one past shallow", ConvShape.conv2d(2, 8, 8, 11, 1, 3, 1, 32)),
                arguments("im2col: shallow patch, 36 filters", ConvShape.conv2d(2, 9, 9, 1, 3, 3, 2, 36)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shallowShapes")
    void shallowForwardIsBitIdenticalToTheGemmPath(String name, ConvShape s) {
        ConvTestSupport.Inputs in = ConvTestSupport.Inputs.random(s, name.hashCode());
        float[] y = new float[s.outputSize()];
        new Conv2d(pool, gemm(pool), s).forward(in.x(), in.w(), in.bias(), y);

        Patches grid = new Patches(s.inH(), s.inW(), s.inC(), s.kernelH(), s.kernelW(), s.stride(), s.outH(),
                s.outW());
        float[] cols = new float[s.batch() * grid.colsSize()];
        for (int n = 0; n < s.batch(); n++) {
            for (int oy = 0; oy < s.outH(); oy++) {
                grid.gather(in.x(), n * grid.imageSize(), oy, cols, n * grid.colsSize());
            }
        }
        int rows = s.batch() * s.outH() * s.outW();
        float[] expected = new float[s.outputSize()];
        Patches.fillPixels(in.bias(), s.outC(), expected, 0, rows);
        gemm(pool).gemm(false, false, rows, s.outC(), grid.patchSize, cols, 0, grid.patchSize, in.w(), 0, s.outC(),
                expected, 0, s.outC(), true);
        assertArrayEquals(expected, y);
    }

    static Stream<Arguments> shallowShapes() {
        return Stream.of(
                arguments("D conv1 28x28x1 k3 s2 -> 64", ConvShape.conv2d(3, 28, 28, 1, 3, 3, 2, 64)),
                arguments("2 channels, 8 pixels a row", ConvShape.conv2d(3, 11, 17, 2, 3, 3, 2, 64)),
                arguments("rows of 3 pixels, patch 27", ConvShape.conv2d(2, 5, 5, 3, 3, 3, 1, 128)),
                arguments("4 pixels, fewer than a block", ConvShape.conv2d(2, 5, 5, 1, 3, 3, 2, 64)),
                arguments("patch of 32", ConvShape.conv2d(2, 6, 9, 8, 2, 2, 1, 64)));
    }

    @Test
    void shallowPathTakesOnlyShallowPatchesAndWholeFourVectorsOfFilters() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        assertTrue(Conv2dShallow.takes(ConvShape.conv2d(2, 28, 28, 1, 3, 3, 2, 64)));
        assertTrue(Conv2dShallow.takes(ConvShape.conv2d(2, 6, 9, 8, 2, 2, 1, 64)));
        assertFalse(Conv2dShallow.takes(ConvShape.conv2d(2, 8, 8, 11, 1, 3, 1, 64)));
        assertFalse(Conv2dShallow.takes(ConvShape.conv2d(2, 9, 9, 1, 3, 3, 2, 36)));
        assertFalse(Conv2dShallow.takes(ConvShape.conv2d(2, 9, 9, 1, 3, 3, 2, 6 * lanes)));
        assertFalse(Conv2dShallow.takes(ConvShape.conv2d(2, 13, 13, 64, 3, 3, 2, 128)));
    }

    /** Small shapes for finite differences. */
    static Stream<Arguments> smallShapes() {
        return Stream.of(
                arguments("non-square 5x7, kernel 3x2", ConvShape.conv2d(2, 5, 7, 3, 3, 2, 2, 4)),
                arguments("kernel 2 < stride 3", ConvShape.conv2d(1, 8, 6, 2, 2, 2, 3, 3)),
                arguments("1x1 kernel stride 1", ConvShape.conv2d(2, 3, 4, 3, 1, 1, 1, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void fastMatchesReference(String name, ConvShape shape) {
        ConvTestSupport.assertFastMatchesReference(new Conv2d(pool, gemm(pool), shape), new Conv2dReference(shape),
                name.hashCode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallShapes")
    void referenceBackwardMatchesFiniteDifferences(String name, ConvShape s) {
        ConvTestSupport.assertReferenceBackwardMatchesFiniteDifferences(new Conv2dReference(s), name.hashCode());
    }

    @Test
    void backwardWeightAccumulates() {
        ConvShape shape = ConvShape.conv2d(2, 13, 13, 64, 3, 3, 2, 128);
        ConvTestSupport.assertBackwardWeightAccumulates(7, new Conv2d(pool, gemm(pool), shape),
                new Conv2dReference(shape));
    }

    @Test
    void backwardWeightAccumulatesOnTheDirectPath() {
        ConvShape shape = ConvShape.conv2d(2, 64, 64, 3, 9, 9, 2, 1);
        ConvTestSupport.assertBackwardWeightAccumulates(7, new Conv2d(pool, gemm(pool), shape),
                new Conv2dReference(shape));
    }

    @Test
    void backwardWeightAccumulatesOnTheShallowPath() {
        ConvShape shape = ConvShape.conv2d(3, 28, 28, 1, 3, 3, 2, 64);
        ConvTestSupport.assertBackwardWeightAccumulates(7, new Conv2d(pool, gemm(pool), shape),
                new Conv2dReference(shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("determinismShapes")
    void fastIsBitIdenticalForAnyThreadCount(String name, ConvShape shape) {
        ConvTestSupport.assertSameForAnyThreadCount(shape, 11, p -> new Conv2d(p, gemm(p), shape));
    }

    static Stream<Arguments> determinismShapes() {
        return Stream.of(
                arguments("D conv1 28x28x1 k3 s2 -> 64", ConvShape.conv2d(3, 28, 28, 1, 3, 3, 2, 64)),
                arguments("D conv3, tasks of 8 and 3 samples", ConvShape.conv2d(11, 6, 6, 128, 2, 2, 2, 256)),
                arguments("G conv 64x64x3 k9 s2 -> 1, direct", ConvShape.conv2d(7, 64, 64, 3, 9, 9, 2, 1)),
                arguments("direct: two chunks of 2 and 1", ConvShape.conv2d(3, 9, 9, 600, 9, 9, 1, 2)),
                arguments("im2col: just above direct, one sample per task",
                        ConvShape.conv2d(3, 40, 40, 33, 9, 9, 1, Conv2dDirect.MAX_FILTERS + 1)),
                arguments("direct: 8 filters, odd shape", ConvShape.conv2d(3, 11, 13, 5, 4, 3, 2,
                        Conv2dDirect.MAX_FILTERS)),
                arguments("direct: 2 filters, stride 1", ConvShape.conv2d(3, 10, 9, 17, 3, 2, 1, 2)),
                arguments("shallow: 2 channels, 8 pixels a row", ConvShape.conv2d(3, 11, 17, 2, 3, 3, 2, 64)));
    }

    @Test
    void rejectsATransposedShape() {
        ConvShape transposed = ConvShape.convTranspose2d(1, 3, 3, 4, 3, 3, 2, 5);
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(pool, gemm(pool), transposed));
        assertThrows(IllegalArgumentException.class, () -> new Conv2dReference(transposed));
    }

    @Test
    void rejectsArraysOfTheWrongLength() {
        ConvShape shape = ConvShape.conv2d(2, 5, 5, 3, 3, 3, 1, 4);
        ConvTestSupport.assertRejectArraysOfTheWrongLength(3, new Conv2d(pool, gemm(pool), shape),
                new Conv2dReference(shape));
    }
}
