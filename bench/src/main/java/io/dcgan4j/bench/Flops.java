package io.dcgan4j.bench;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The FLOPs of one call of each benchmark, from its name and parameters: the one place the reporter reads them.
 *
 * <p>Convolutions, GEMMs and the train step count 2 per multiply-add, from the shapes ({@link ModelShapes}). The
 * memory-bound kernels (BatchNorm, activations, Adam) count the arithmetic operations of their defining formula per
 * element, comparisons included, a function call such as tanh or sqrt as one; their share of the FMA ceiling is
 * small by nature and only compares runs with each other.
 */
public final class Flops {

    /** Leaky ReLU forward and gradient: a comparison and a multiplication. */
    static final int LEAKY_RELU_PER_ELEMENT = 2;
    /** tanh forward: one call. */
    static final int TANH_FORWARD_PER_ELEMENT = 1;
    /** tanh gradient {@code dy·(1 − y²)}: three. */
    static final int TANH_BACKWARD_PER_ELEMENT = 3;
    /** Adam: {@code m += (g − m)·b1'} three, {@code v += (g·g − v)·b2'} four, {@code p −= m·α/(√v + ε)} five. */
    static final int ADAM_PER_ELEMENT = 12;
    /** BatchNorm training forward: the mean one, the variance three ({@code (x − μ)²} summed), {@code x·a + b} two. */
    static final int BATCH_NORM_FORWARD_PER_ELEMENT = 6;
    /**
     * BatchNorm backward: {@code Σdy} one, {@code x̂} two, {@code Σdy·x̂} two, and
     * {@code dx = γ·σ⁻¹·(dy − mean(dy) − x̂·mean(dy·x̂))} four.
     */
    static final int BATCH_NORM_BACKWARD_PER_ELEMENT = 9;

    private Flops() {
    }

    /**
     * FLOPs of one call of {@code benchmark} ({@code Class.method}, with or without the package) with JMH parameters
     * {@code params}; empty for a benchmark this class does not know.
     *
     * @throws IllegalArgumentException if a parameter the count needs is missing or names no layer of the model
     */
    public static OptionalLong of(String benchmark, Map<String, String> params) {
        ModelShapes model = ModelShapes.model();
        long flops = switch (shortName(benchmark)) {
            case "ConvBench.forward", "ConvBench.backwardInput", "ConvBench.backwardWeight",
                 "ConvTransposeBench.forward", "ConvTransposeBench.backwardInput",
                 "ConvTransposeBench.backwardWeight" ->
                    model.convPassFlops(param(params, "layer"), batch(params));
            case "GemmBench.gemm" -> GemmBench.shape(param(params, "call"), batch(params))
                    .flops(Integer.parseInt(param(params, "threads")));
            case "BatchNormBench.forwardTraining" -> (long) BATCH_NORM_FORWARD_PER_ELEMENT * batchNormSize(params);
            case "BatchNormBench.backward" -> (long) BATCH_NORM_BACKWARD_PER_ELEMENT * batchNormSize(params);
            case "ElementwiseBench.leakyReluForward", "ElementwiseBench.leakyReluBackward" ->
                    (long) LEAKY_RELU_PER_ELEMENT * activationSize(params);
            case "ElementwiseBench.tanhForward" -> (long) TANH_FORWARD_PER_ELEMENT * activationSize(params);
            case "ElementwiseBench.tanhBackward" -> (long) TANH_BACKWARD_PER_ELEMENT * activationSize(params);
            case "ElementwiseBench.adam" -> (long) ADAM_PER_ELEMENT * model.trainableParameters();
            case "FmaCeilingBench.fma" -> FmaCeilingBench.flops(Integer.parseInt(param(params, "threads")));
            case "TrainStepBench.trainStep" -> model.trainStepFlops(batch(params));
            case "TrainStepBench.discriminatorStep" -> model.discriminatorStepFlops(batch(params));
            case "TrainStepBench.generatorStep" -> model.generatorStepFlops(batch(params));
            default -> -1;
        };
        return flops < 0 ? OptionalLong.empty() : OptionalLong.of(flops);
    }

    /** {@code Class.method} of a benchmark named with or without the package. */
    static String shortName(String benchmark) {
        String prefix = BenchSuite.class.getPackageName() + ".";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }

    /** Elements of the BatchNorm layer that {@code params} name, at their batch. */
    static long batchNormSize(Map<String, String> params) {
        ModelShapes.BatchNormShape s = ModelShapes.model().batchNorm(param(params, "layer"));
        return (long) s.rows(batch(params)) * s.channels();
    }

    /** Elements of the activation layer that {@code params} name, at their batch. */
    static int activationSize(Map<String, String> params) {
        return ModelShapes.model().activationSize(param(params, "layer"), batch(params));
    }

    static int batch(Map<String, String> params) {
        return Integer.parseInt(param(params, "batch"));
    }

    static String param(Map<String, String> params, String key) {
        String value = params.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the count needs parameter '" + key + "', got " + params);
        }
        return value;
    }
}
