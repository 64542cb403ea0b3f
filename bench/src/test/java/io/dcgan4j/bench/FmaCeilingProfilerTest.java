package io.dcgan4j.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ceiling probed beside each benchmark: JMH carries it to the rows, and the table shows a row's share of it. */
class FmaCeilingProfilerTest {

    /**
     * A short in-process JMH run of the ceiling benchmark itself with the profiler: its probes, the best of three
     * calls before and after each measured iteration, must come out in GFLOP/s near the benchmark's own rate (a unit
     * slip would be a factor of a thousand), and reach the row.
     */
    @Test
    void probeReachesTheRowInGflops() throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("^" + FmaCeilingBench.class.getName() + ".fma$")
                .param("threads", "1")
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(2)
                .measurementTime(TimeValue.milliseconds(100))
                .addProfiler(FmaCeilingProfiler.class)
                .build(), OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()),
                VerboseMode.SILENT)).run();
        List<BenchReport.Row> rows = BenchReport.rows(results);
        assertEquals(1, rows.size());
        BenchReport.Row row = rows.get(0);
        double benchmark = row.gflops().orElseThrow();
        double probe = row.ceilingBeside().orElseThrow();
        assertTrue(probe > benchmark / 4 && probe < benchmark * 4,
                "probe " + probe + " GFLOP/s against the benchmark's " + benchmark);
    }

    @Test
    void tableShowsTheCeilingBesideAndTheShareOfIt() {
        List<BenchReport.Row> rows = List.of(
                // 1e9 FLOPs in 2 ms: 500 GFLOP/s; the probe read 400 beside it.
                new BenchReport.Row(BenchReport.CEILING, Map.of("threads", "2"), 2.0, 0.01,
                        OptionalLong.of(1_000_000_000L), OptionalLong.empty(), OptionalDouble.empty(),
                        OptionalDouble.of(400.0), false),
                // 3.4e10 FLOPs in 100 ms: 340 GFLOP/s, 68 % of 500 and 85 % of the 400 read beside it.
                new BenchReport.Row("ConvTransposeBench.forward", Map.of("threads", "2", "layer", "g_convT2"), 100.0,
                        1.25, OptionalLong.of(34_000_000_000L), OptionalLong.empty(), OptionalDouble.empty(),
                        OptionalDouble.of(400.0), false),
                // no probe: dashes.
                new BenchReport.Row("GemmBench.gemm", Map.of("threads", "2"), 1.0, 0.1,
                        OptionalLong.of(1_000_000_000L), OptionalLong.empty(), OptionalDouble.empty(),
                        OptionalDouble.empty(), false));

        String expected = """
                benchmark                   params                    ms/op       ±  GFLOP/s  % ceiling  ceiling beside  % beside
                FmaCeilingBench.fma         threads=2                 2.000  0.0100    500.0      100.0           400.0     125.0
                ConvTransposeBench.forward  layer=g_convT2 threads=2  100.0   1.250    340.0       68.0           400.0      85.0
                GemmBench.gemm              threads=2                 1.000  0.1000   1000.0      200.0               -         -
                % ceiling: GFLOP/s over FmaCeilingBench.fma at the same thread count, 2 threads 500.0
                % beside: GFLOP/s over the FMA ceiling (GFLOP/s) probed before and after each of the row's \
                iterations at its thread count, their mean (FmaCeilingProfiler)
                """;
        assertEquals(expected, BenchReport.table(rows));
    }
}
