package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * The machine's single-precision FMA ceiling as the Vector API reaches it: each of {@code threads} threads runs
 * {@link #CHAINS} independent fused multiply-add chains on vectors of the preferred species, with no memory access
 * inside the loop, on the same {@link Parallel} pool the kernels use. Every other result is shown as a share of
 * this one, measured in the same run at the same thread count, so a busy or throttled machine lowers both.
 *
 * <p>FLOPs per call: {@code threads · 2 · CHAINS · lanes · ITERATIONS} ({@link #flops}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
@State(Scope.Benchmark)
public class FmaCeilingBench {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /**
     * Independent chains per thread. An FMA has a latency of about 4 cycles and two can start per cycle, so 8 chains
     * keep both units busy; 12 leave a margin and, with the two operands, still fit AVX2's 16 vector registers.
     */
    static final int CHAINS = 12;
    /** Loop trips per thread and call: about a millisecond, so the pool's wake-up (microseconds) is noise. */
    static final int ITERATIONS = 1 << 20;
    /** Floats between two threads' results, so that they do not share a cache line. */
    private static final int RESULT_STRIDE = 16;
    /** Each chain computes {@code a ← a·SCALE + SHIFT}, which tends to 1 and never overflows nor goes denormal. */
    private static final float SCALE = 1f - 0x1p-20f;
    private static final float SHIFT = 0x1p-20f;
    /**
     * Calls made in {@link #setUp}. Until C2 compiles the loop (interpreted, then C1 without the vector intrinsics)
     * one call takes seconds, which a short JMH warm-up would spend here and then time; two or three calls suffice.
     */
    private static final int COMPILE_CALLS = 20;

    @Param({"2"})
    public int threads;

    private Parallel pool;
    private float[] results;
    private final Parallel.Task task = this::chains;

    /** FLOPs of one {@link #fma} call on {@code threads} threads, on this JVM's preferred vector width. */
    public static long flops(int threads) {
        return (long) threads * 2 * CHAINS * SPECIES.length() * ITERATIONS;
    }

    @Setup(Level.Trial)
    public void setUp() {
        pool = new Parallel(threads);
        results = new float[threads * RESULT_STRIDE];
        for (int i = 0; i < COMPILE_CALLS; i++) {
            fma();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float fma() {
        pool.run(threads, task);
        float sum = 0;
        for (int t = 0; t < threads; t++) {
            sum += results[t * RESULT_STRIDE];
        }
        return sum;
    }

    /** One thread's chains, written out so that C2 keeps every accumulator in a register. */
    private void chains(int index, int worker) {
        FloatVector scale = FloatVector.broadcast(SPECIES, SCALE);
        FloatVector shift = FloatVector.broadcast(SPECIES, SHIFT);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0.1f);
        FloatVector a1 = FloatVector.broadcast(SPECIES, 0.2f);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 0.3f);
        FloatVector a3 = FloatVector.broadcast(SPECIES, 0.4f);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 0.5f);
        FloatVector a5 = FloatVector.broadcast(SPECIES, 0.6f);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 0.7f);
        FloatVector a7 = FloatVector.broadcast(SPECIES, 0.8f);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 0.9f);
        FloatVector a9 = FloatVector.broadcast(SPECIES, 1.1f);
        FloatVector a10 = FloatVector.broadcast(SPECIES, 1.2f);
        FloatVector a11 = FloatVector.broadcast(SPECIES, 1.3f);
        for (int i = 0; i < ITERATIONS; i++) {
            a0 = a0.fma(scale, shift);
            a1 = a1.fma(scale, shift);
            a2 = a2.fma(scale, shift);
            a3 = a3.fma(scale, shift);
            a4 = a4.fma(scale, shift);
            a5 = a5.fma(scale, shift);
            a6 = a6.fma(scale, shift);
            a7 = a7.fma(scale, shift);
            a8 = a8.fma(scale, shift);
            a9 = a9.fma(scale, shift);
            a10 = a10.fma(scale, shift);
            a11 = a11.fma(scale, shift);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
                .add(a11);
        results[index * RESULT_STRIDE] = sum.reduceLanes(VectorOperators.ADD);
    }
}
