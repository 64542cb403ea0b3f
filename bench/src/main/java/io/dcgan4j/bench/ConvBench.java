package io.dcgan4j.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.TimeUnit;

/**
 * The model's Conv2D layers ({@code Conv2d}: im2col + GEMM, or the direct path for {@code g_conv}'s single filter):
 * forward, input gradient and weight gradient, each at the layer's real shape.
 *
 * <p>Run: {@code dcgan4j bench --include ConvBench}, or see {@code bench/README.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
public class ConvBench extends ConvPasses {

    @Param({"d_conv1", "d_conv2", "d_conv3", "g_conv"})
    public String layer;

    @Override
    protected String layer() {
        return layer;
    }

    @Override
    protected boolean transposedLayers() {
        return false;
    }
}
