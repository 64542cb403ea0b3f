package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-resident FMA loop that measures the machine's ceiling: each thread of a {@link Parallel} pool runs
 * {@link #CHAINS} independent fused multiply-add chains on vectors of the preferred species, with no memory access
 * inside the loop. {@link FmaCeilingBench} times it as a benchmark; {@link FmaCeilingProfiler} times it beside each
 * of the other benchmarks' iterations.
 */
final class FmaChains {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /**
     * Independent chains per thread. An FMA has a latency of about 4 cycles and two can start per cycle, so 8 chains
     * keep both units busy; 12 leave a margin and, with the two operands, still fit AVX2's 16 vector registers.
     */
    static final int CHAINS = 12;
    /**
     * Loop trips per thread and call: about 2 ms on the Zen 5 and 6 ms on the AVX2 machine, so the pool's wake-up
     * (microseconds) is noise.
     */
    static final int ITERATIONS = 1 << 20;
    /**
     * Calls to make before timing the loop. Until C2 compiles it (interpreted, then C1 without the vector intrinsics)
     * one call takes seconds, which a short JMH warm-up would spend and then time; two or three calls suffice.
     */
    static final int COMPILE_CALLS = 20;
    /** Floats between two threads' results, so that they do not share a cache line. */
    private static final int RESULT_STRIDE = 16;
    /** Each chain computes {@code a ← a·SCALE + SHIFT}, which tends to 1 and never overflows nor goes denormal. */
    private static final float SCALE = 1f - 0x1p-20f;
    private static final float SHIFT = 0x1p-20f;

    private final Parallel pool;
    private final float[] results;
    private final Parallel.Task task = this::chains;

    /** Chains on every thread of {@code pool}. */
    FmaChains(Parallel pool) {
        this.pool = pool;
        results = new float[pool.threads() * RESULT_STRIDE];
    }

    /** FLOPs of one {@link #run} on {@code threads} threads, on this JVM's preferred vector width. */
    static long flops(int threads) {
        return (long) threads * 2 * CHAINS * SPECIES.length() * ITERATIONS;
    }

    /** One call: every thread runs its chains; returns their sum, so that the JIT cannot drop them. */
    float run() {
        pool.run(pool.threads(), task);
        float sum = 0;
        for (int t = 0; t < pool.threads(); t++) {
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
