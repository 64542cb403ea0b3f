package io.dcgan4j.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.TimeUnit;

/**
 * The generator's Conv2DTranspose layers ({@code ConvTranspose2d}: GEMM + col2im): forward, input gradient and
 * weight gradient, each at the layer's real shape. {@code g_convT2} is about half of a train step's time.
 *
 * <p>Run: {@code dcgan4j bench --include ConvTransposeBench}, or see {@code bench/README.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
public class ConvTransposeBench extends ConvPasses {

    @Param({"g_convT1", "g_convT2", "g_convT3"})
    public String layer;

    @Override
    protected String layer() {
        return layer;
    }

    @Override
    protected boolean transposedLayers() {
        return true;
    }
}
