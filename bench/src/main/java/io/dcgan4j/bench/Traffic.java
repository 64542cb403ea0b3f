package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.ConvShape;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The bytes one call of each benchmark moves at the least, from its name and parameters: each array it reads and
 * each it writes, once, as a single pass with nothing in cache would (per-channel vectors such as BatchNorm's
 * statistics or a bias are left out; a weight gradient's dw is read and written, as it accumulates). The reporter
 * divides them by the time for GB/s and by {@link MemoryBandwidthBench} for a share of the bandwidth: near 100 % a
 * kernel is bound by memory; a kernel that has to read an array twice (BatchNorm's training forward: the statistics,
 * then the normalisation) stays below. Caches can lift a small working set above 100 %.
 */
public final class Traffic {

    /** Arrays of the activation or BatchNorm size that a pass reads or writes. */
    private static final int FORWARD_ARRAYS = 2;
    private static final int BACKWARD_ARRAYS = 3;
    /** Adam reads parameters, gradients and both moments, and writes parameters and both moments. */
    private static final int ADAM_ARRAYS = 7;

    private Traffic() {
    }

    /**
     * Bytes of one call of {@code benchmark} ({@code Class.method}, with or without the package) with JMH parameters
     * {@code params}; empty for a benchmark whose bytes are not its point (the GEMMs, the train step, the FMA
     * ceiling).
     *
     * @throws IllegalArgumentException if a parameter the count needs is missing or names no layer of the model
     */
    public static OptionalLong of(String benchmark, Map<String, String> params) {
        long bytes = switch (Flops.shortName(benchmark)) {
            case "ConvBench.forward", "ConvTransposeBench.forward" -> {
                ConvShape s = conv(params);
                yield floats((long) s.inputSize() + s.kernelSize() + s.outputSize());
            }
            case "ConvBench.backwardInput", "ConvTransposeBench.backwardInput" -> {
                ConvShape s = conv(params);
                yield floats((long) s.outputSize() + s.kernelSize() + s.inputSize());
            }
            case "ConvBench.backwardWeight", "ConvTransposeBench.backwardWeight" -> {
                ConvShape s = conv(params);
                yield floats((long) s.inputSize() + s.outputSize() + 2L * s.kernelSize());
            }
            case "BatchNormBench.forwardTraining" -> floats(FORWARD_ARRAYS * Flops.batchNormSize(params));
            case "BatchNormBench.backward" -> floats(BACKWARD_ARRAYS * Flops.batchNormSize(params));
            case "ElementwiseBench.leakyReluForward", "ElementwiseBench.tanhForward" ->
                    floats((long) FORWARD_ARRAYS * Flops.activationSize(params));
            case "ElementwiseBench.leakyReluBackward", "ElementwiseBench.tanhBackward" ->
                    floats((long) BACKWARD_ARRAYS * Flops.activationSize(params));
            case "ElementwiseBench.adam" -> floats((long) ADAM_ARRAYS * ModelShapes.model().trainableParameters());
            case "MemoryBandwidthBench.copy" -> MemoryBandwidthBench.bytes(
                    Integer.parseInt(Flops.param(params, "threads")),
                    Integer.parseInt(Flops.param(params, "megabytes")));
            default -> -1;
        };
        return bytes < 0 ? OptionalLong.empty() : OptionalLong.of(bytes);
    }

    private static long floats(long count) {
        return count * Float.BYTES;
    }

    private static ConvShape conv(Map<String, String> params) {
        return ModelShapes.model().conv(Flops.param(params, "layer"), Flops.batch(params));
    }
}
