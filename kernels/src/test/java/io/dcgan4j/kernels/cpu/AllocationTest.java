package io.dcgan4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Once the JIT has compiled them, the convolution kernels allocate nothing: the engine's train step, which allocates
 * nothing in its steady state, rests on it. The Vector API boxes a vector that crosses a call the JIT did not inline,
 * so a kernel that hands its vectors to a small helper can compute the right values and allocate hundreds of MB a
 * step (a micro-kernel that did so cost a train step 418 MB). Each of the model's layers, at batch 1 on a one-thread
 * pool (the caller's thread, whose allocations are counted), runs its three passes in rounds until one round
 * allocates nothing, and fails if none has after {@link #ROUNDS}.
 */
class AllocationTest {

    private static final int ROUNDS = 40;
    private static final int CALLS_PER_ROUND = 50;

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("g_convT1", ConvShape.convTranspose2d(1, 3, 3, 512, 3, 3, 3, 256)),
                Arguments.of("g_convT2", ConvShape.convTranspose2d(1, 9, 9, 256, 5, 5, 2, 128)),
                Arguments.of("g_convT3", ConvShape.convTranspose2d(1, 21, 21, 128, 4, 4, 3, 3)),
                Arguments.of("g_conv", ConvShape.conv2d(1, 64, 64, 3, 9, 9, 2, 1)),
                Arguments.of("d_conv1", ConvShape.conv2d(1, 28, 28, 1, 3, 3, 2, 64)),
                Arguments.of("d_conv2", ConvShape.conv2d(1, 13, 13, 64, 3, 3, 2, 128)),
                Arguments.of("d_conv3", ConvShape.conv2d(1, 6, 6, 128, 2, 2, 2, 256)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void compiledPassesAllocateNothing(String layer, ConvShape shape) {
        try (Parallel pool = new Parallel(1)) {
            VectorGemm gemm = new VectorGemm(pool);
            ConvKernel kernel = shape.transposed() ? new ConvTranspose2d(pool, gemm, shape)
                    : new Conv2d(pool, gemm, shape);
            ConvTestSupport.Inputs in = ConvTestSupport.Inputs.random(shape, 31);
            float[] y = new float[shape.outputSize()];
            float[] dx = new float[shape.inputSize()];
            long allocated = -1;
            for (int round = 0; round < ROUNDS; round++) {
                for (int call = 0; call < CALLS_PER_ROUND; call++) {
                    passes(kernel, in, y, dx);
                }
                long start = allocatedBytes();
                long before = allocatedBytes();
                passes(kernel, in, y, dx);
                allocated = allocatedBytes() - before - (before - start);
                if (allocated == 0) {
                    return;
                }
            }
            fail(layer + ": its three passes still allocated " + allocated + " bytes after " + ROUNDS * CALLS_PER_ROUND
                    + " calls of each");
        }
    }

    private static void passes(ConvKernel kernel, ConvTestSupport.Inputs in, float[] y, float[] dx) {
        kernel.forward(in.x(), in.w(), in.bias(), y);
        kernel.backwardInput(in.dy(), in.w(), dx);
        kernel.backwardWeight(in.x(), in.dy(), in.dw(), in.dBias());
    }

    /**
     * Bytes this thread has allocated so far. Under surefire the call itself allocates (792 bytes), the same each
     * time, so a measurement subtracts what one empty measurement read.
     */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
