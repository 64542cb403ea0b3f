package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.Parallel;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

import java.util.Collection;
import java.util.List;

/**
 * The FMA ceiling measured beside every benchmark: before and after each measured iteration, in the benchmark's JVM
 * and at its {@code threads}, the best of {@link #PROBE_CALLS} calls of {@link FmaChains} as GFLOP/s; the mean of the
 * two is the iteration's secondary result {@value #LABEL}, and JMH reports their mean over the iterations. On a shared
 * machine the ceiling moves with the host's load from one second to the next: {@link FmaCeilingBench} read 6.05 ±
 * 1.36 ms in one 4-iteration run, so a share of it measured minutes away can be off by a quarter; probes that bracket
 * each iteration share its minutes. They are moments, though, and a 12-s iteration is not: where the load comes in
 * bursts the probes can still miss them.
 *
 * <p>{@code dcgan4j bench} always adds it; with JMH's own command line, {@code -prof
 * io.dcgan4j.bench.FmaCeilingProfiler}. A probe takes three calls of 2 ms (Zen 5) to 6 ms (the AVX2 machine) at 2
 * threads, outside the timed iterations.
 */
public final class FmaCeilingProfiler implements InternalProfiler {

    /** The secondary result's label. */
    public static final String LABEL = "fma.ceiling";
    /** Calls per probe; the fastest counts, so that a call the host interrupts does not lower the ceiling. */
    static final int PROBE_CALLS = 3;

    /** Whether this JVM has run the loop often enough for C2 to compile it. */
    private boolean compiled;
    /** GFLOP/s of the probe before the measured iteration in progress. */
    private double before;

    @Override
    public String getDescription() {
        return "FMA ceiling (GFLOP/s) before and after each measured iteration, at the benchmark's thread count";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (iterationParams.getType() == IterationType.MEASUREMENT) {
            before = probe(threads(benchmarkParams));
        } else if (!compiled) {
            probe(threads(benchmarkParams));
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        if (iterationParams.getType() != IterationType.MEASUREMENT) {
            return List.of();
        }
        double after = probe(threads(benchmarkParams));
        return List.of(new ScalarResult(LABEL, (before + after) / 2, "GFLOP/s", AggregationPolicy.AVG));
    }

    /**
     * The ceiling in GFLOP/s: the best of {@link #PROBE_CALLS} calls on a pool of its own, after compiling the loop on
     * the first probe in this JVM.
     */
    private double probe(int threads) {
        try (Parallel pool = new Parallel(threads)) {
            FmaChains chains = new FmaChains(pool);
            if (!compiled) {
                for (int i = 0; i < FmaChains.COMPILE_CALLS; i++) {
                    chains.run();
                }
                compiled = true;
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < PROBE_CALLS; i++) {
                long start = System.nanoTime();
                chains.run();
                best = Math.min(best, System.nanoTime() - start);
            }
            return FmaChains.flops(threads) / (double) Math.max(1, best);
        }
    }

    /** The benchmark's {@code threads} parameter; 1 for a benchmark without one. */
    private static int threads(BenchmarkParams params) {
        String threads = params.getParam("threads");
        return threads == null ? 1 : Integer.parseInt(threads);
    }
}
