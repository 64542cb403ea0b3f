package io.dcgan4j.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary table from hand-made rows; rows from a short in-process JMH run in sample mode. */
class BenchReportTest {

    private static BenchReport.Row row(String benchmark, Map<String, String> params, double ms, double error,
                                       long flops) {
        return new BenchReport.Row(benchmark, params, ms, error,
                flops < 0 ? OptionalLong.empty() : OptionalLong.of(flops), OptionalLong.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), false);
    }

    @Test
    void tableShowsGflopsAndShareOfTheCeilingAtTheSameThreadCount() {
        List<BenchReport.Row> rows = List.of(
                // 1e9 FLOPs in 2 ms: 500 GFLOP/s.
                row(BenchReport.CEILING, Map.of("threads", "2"), 2.0, 0.01, 1_000_000_000L),
                // 3.4e10 FLOPs in 100 ms: 340 GFLOP/s, 68 % of 500.
                row("ConvTransposeBench.forward",
                        Map.of("threads", "2", "layer", "g_convT2", "impl", "vector", "batch", "256"),
                        100.0, 1.25, 34_000_000_000L),
                // 1 thread, no ceiling at 1: 250 GFLOP/s scaled from 2 threads; 1e9 in 10 ms is 100, 40 %.
                row("GemmBench.gemm", Map.of("threads", "1", "call", "g_dense.forward", "impl", "vector",
                        "batch", "256"), 10.0, Double.NaN, 1_000_000_000L),
                row("Unknown.bench", Map.of(), 0.5, 0.001, -1));

        String expected = """
                benchmark                   params                                                 ms/op       ±  GFLOP/s  % ceiling
                FmaCeilingBench.fma         threads=2                                              2.000  0.0100    500.0      100.0
                ConvTransposeBench.forward  layer=g_convT2 impl=vector batch=256 threads=2         100.0   1.250    340.0       68.0
                GemmBench.gemm              call=g_dense.forward impl=vector batch=256 threads=1   10.00            100.0      40.0*
                Unknown.bench                                                                     0.5000  0.0010        -          -
                % ceiling: GFLOP/s over FmaCeilingBench.fma at the same thread count, 2 threads 500.0
                * no ceiling at that thread count: the nearest one, scaled linearly
                """;
        assertEquals(expected, BenchReport.table(rows));
    }

    @Test
    void tableWithoutCeilingSaysSo() {
        String table = BenchReport.table(List.of(row("TrainStepBench.trainStep",
                Map.of("threads", "2", "impl", "vector", "batch", "256"), 500.0, 5.0, 139_167_277_056L)));
        assertEquals(true, table.contains("  278.3          -\n"), table);
        assertEquals(true, table.endsWith("% ceiling: no FmaCeilingBench.fma result in this run\n"), table);
    }

    @Test
    void allocationColumnAppearsWithTheGcProfiler() {
        BenchReport.Row step = new BenchReport.Row("TrainStepBench.trainStep", Map.of("threads", "2"), 500.0, 5.0,
                OptionalLong.of(139_167_277_056L), OptionalLong.empty(), OptionalDouble.of(24.0),
                OptionalDouble.empty(), false);
        String table = BenchReport.table(List.of(step));
        assertEquals(true, table.startsWith("benchmark                 params     ms/op      ±  GFLOP/s  % ceiling  B/op\n"),
                table);
        assertEquals(true, table.contains("  278.3          -    24\n"), table);
    }

    @Test
    void bandwidthColumnsAppearForRowsWithBytes() {
        List<BenchReport.Row> rows = List.of(
                // 2.5e8 bytes in 10 ms: 25 GB/s, the reference at 2 threads.
                new BenchReport.Row(BenchReport.BANDWIDTH, Map.of("threads", "2", "megabytes", "64"), 10.0, 0.5,
                        OptionalLong.empty(), OptionalLong.of(250_000_000L), OptionalDouble.empty(),
                        OptionalDouble.empty(), false),
                // 1e8 bytes in 5 ms: 20 GB/s, 80 % of 25; 1e8 FLOPs: 20 GFLOP/s, no ceiling in this run.
                new BenchReport.Row("BatchNormBench.forwardTraining", Map.of("threads", "2", "layer", "g_bn2"), 5.0,
                        0.1, OptionalLong.of(100_000_000L), OptionalLong.of(100_000_000L), OptionalDouble.empty(),
                        OptionalDouble.empty(), false),
                // 1 thread: no bandwidth measured at 1, and bandwidth is not scaled from another thread count.
                new BenchReport.Row("ElementwiseBench.adam", Map.of("threads", "1"), 4.0, 0.1,
                        OptionalLong.empty(), OptionalLong.of(40_000_000L), OptionalDouble.empty(),
                        OptionalDouble.empty(), false),
                // no bytes: dashes.
                row("GemmBench.gemm", Map.of("threads", "2"), 1.0, 0.1, 1_000_000_000L));

        String expected = """
                benchmark                       params                  ms/op       ±  GFLOP/s  % ceiling  GB/s  % bandwidth
                MemoryBandwidthBench.copy       threads=2 megabytes=64  10.00  0.5000        -          -  25.0        100.0
                BatchNormBench.forwardTraining  layer=g_bn2 threads=2   5.000  0.1000     20.0          -  20.0         80.0
                ElementwiseBench.adam           threads=1               4.000  0.1000        -          -  10.0            -
                GemmBench.gemm                  threads=2               1.000  0.1000   1000.0          -     -            -
                % ceiling: no FmaCeilingBench.fma result in this run
                % bandwidth: GB/s over MemoryBandwidthBench.copy at the same thread count, 2 threads 25.0
                """;
        assertEquals(expected, BenchReport.table(rows));
    }

    @Test
    void fastestRowsSayTheirTimeIsTheFastestCall() {
        BenchReport.Row fastest = new BenchReport.Row(BenchReport.CEILING, Map.of("threads", "1"), 2.0, Double.NaN,
                OptionalLong.of(1_000_000_000L), OptionalLong.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                true);
        String expected = """
                benchmark            params     ms/op  ±  GFLOP/s  % ceiling
                FmaCeilingBench.fma  threads=1  2.000       500.0      100.0
                % ceiling: GFLOP/s over FmaCeilingBench.fma at the same thread count, 1 thread 500.0
                ms/op: each row's fastest call (JMH's sample mode), and the GFLOP/s and shares from it
                """;
        assertEquals(expected, BenchReport.table(List.of(fastest)));
        assertEquals(false, BenchReport.table(List.of(row(BenchReport.CEILING, Map.of("threads", "1"), 2.0, 0.01,
                1_000_000_000L))).contains("fastest"));
    }

    /** In JMH's sample mode a row takes the fastest sampled call, which no average can undercut. */
    @Test
    void sampleModeRowIsTheFastestCall() throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("^" + FmaCeilingBench.class.getName() + ".fma$")
                .param("threads", "1")
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MILLISECONDS)
                .forks(0)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(100))
                .measurementIterations(2)
                .measurementTime(TimeValue.milliseconds(200))
                .build(), OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()),
                VerboseMode.SILENT)).run();
        RunResult result = results.iterator().next();
        BenchReport.Row row = BenchReport.rows(results).get(0);
        assertTrue(row.fastest());
        assertTrue(Double.isNaN(row.msError()));
        assertEquals(result.getPrimaryResult().getStatistics().getMin(), row.msPerOp());
        assertTrue(result.getPrimaryResult().getStatistics().getN() > 2, "calls sampled");
        assertTrue(row.msPerOp() > 0 && row.msPerOp() <= result.getPrimaryResult().getScore(),
                row.msPerOp() + " against the mean " + result.getPrimaryResult().getScore());
    }
}
