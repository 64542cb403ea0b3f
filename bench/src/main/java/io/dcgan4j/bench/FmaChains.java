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
     * Loop trips per thread and call: about 2 ms on the Zen 5 and 5 ms on the AVX2 machine, so the pool's wake-up
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
    /**
     * Each chain computes {@code a ← X·Y + a}, the accumulating form of a GEMM's inner loop; a call adds
     * {@code ITERATIONS · X·Y} = 1 to each chain, so it never overflows nor goes denormal. On the Zen 1 machine C2's
     * code for {@code a ← a·s + t} (the chain as a multiplicand, this loop until the eighth session) ran at two thirds
     * of this rate, 25.9 against 39.4 GFLOP/s on one thread, where gcc's code for either form reaches 37.9.
     */
    private static final float X = 0x1p-8f;
    private static final float Y = 0x1p-12f;
    /** Each chain's value at the start of a call, one per chain. */
    static final float[] STARTS = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.1f, 1.2f, 1.3f};

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
        FloatVector x = FloatVector.broadcast(SPECIES, X);
        FloatVector y = FloatVector.broadcast(SPECIES, Y);
        FloatVector a0 = FloatVector.broadcast(SPECIES, STARTS[0]);
        FloatVector a1 = FloatVector.broadcast(SPECIES, STARTS[1]);
        FloatVector a2 = FloatVector.broadcast(SPECIES, STARTS[2]);
        FloatVector a3 = FloatVector.broadcast(SPECIES, STARTS[3]);
        FloatVector a4 = FloatVector.broadcast(SPECIES, STARTS[4]);
        FloatVector a5 = FloatVector.broadcast(SPECIES, STARTS[5]);
        FloatVector a6 = FloatVector.broadcast(SPECIES, STARTS[6]);
        FloatVector a7 = FloatVector.broadcast(SPECIES, STARTS[7]);
        FloatVector a8 = FloatVector.broadcast(SPECIES, STARTS[8]);
        FloatVector a9 = FloatVector.broadcast(SPECIES, STARTS[9]);
        FloatVector a10 = FloatVector.broadcast(SPECIES, STARTS[10]);
        FloatVector a11 = FloatVector.broadcast(SPECIES, STARTS[11]);
        for (int i = 0; i < ITERATIONS; i++) {
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
            a10 = x.fma(y, a10);
            a11 = x.fma(y, a11);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
                .add(a11);
        results[index * RESULT_STRIDE] = sum.reduceLanes(VectorOperators.ADD);
    }
}
