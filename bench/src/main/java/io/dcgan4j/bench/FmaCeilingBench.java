package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * The machine's single-precision FMA ceiling as the Vector API reaches it: {@link FmaChains} on the same
 * {@link Parallel} pool the kernels use. Every other result is shown as a share of this one, measured in the same run
 * at the same thread count, so a busy or throttled machine lowers both ({@link FmaCeilingProfiler} also measures it
 * beside each benchmark's iterations).
 *
 * <p>FLOPs per call: {@code threads · 2 · CHAINS · lanes · ITERATIONS} ({@link #flops}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
@State(Scope.Benchmark)
public class FmaCeilingBench {

    @Param({"2"})
    public int threads;

    private Parallel pool;
    private FmaChains chains;

    /** FLOPs of one {@link #fma} call on {@code threads} threads, on this JVM's preferred vector width. */
    public static long flops(int threads) {
        return FmaChains.flops(threads);
    }

    @Setup(Level.Trial)
    public void setUp() {
        pool = new Parallel(threads);
        chains = new FmaChains(pool);
        for (int i = 0; i < FmaChains.COMPILE_CALLS; i++) {
            chains.run();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float fma() {
        return chains.run();
    }
}
