package io.dcgan4j.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the benchmark suite through JMH's {@link Runner} and prints the summary table ({@link BenchReport}).
 *
 * <p>The Vector API kernels run at the model's batch; the scalar references, up to about a hundred times
 * slower, run only when asked for, in a second JMH run at a small batch. The FMA ceiling and the memory bandwidth are
 * always part of the run, at every thread count, so that every row can be shown as a share of them. Forked JVMs get
 * {@code --add-modules jdk.incubator.vector} and the classpath of this JVM, whether that is a classes folder or a set
 * of jars.
 *
 * <p>From the command line: {@code dcgan4j bench} (see {@code bench/README.md}).
 */
public final class BenchSuite {

    /** The JVM flag every fork needs (also in each benchmark's {@code @Fork}, for JMH's own command line). */
    static final String ADD_MODULES = "--add-modules";
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Parameters {@link Options} sets through fields of their own. */
    private static final Set<String> OWN_PARAMS = Set.of("impl", "batch", "threads");

    /**
     * What to run and how long.
     *
     * @param include               regular expression a benchmark's full name must contain, e.g. {@code TrainStep}
     *                              or {@code ConvTransposeBench.forward}; {@code .*} for all
     * @param threads               thread counts; each benchmark, the ceiling included, runs at every one
     * @param batch                 batch size of the Vector API run
     * @param reference             also run the scalar references (a second JMH run)
     * @param referenceBatch        batch size of the reference run
     * @param forks                 JVM forks per benchmark and parameter set
     * @param warmupIterations      warm-up iterations per fork
     * @param warmupTime            length of one warm-up iteration
     * @param measurementIterations measured iterations per fork
     * @param measurementTime       length of one measured iteration
     * @param json                  where JMH writes its JSON results ({@code -rf json}); the reference run writes
     *                              beside it with {@code -reference} added to the name; null for none
     * @param profileGc             run JMH's GC profiler ({@code -prof gc}): adds B/op to the table
     * @param params                more JMH parameters to narrow the run, by name, e.g. {@code layer} →
     *                              {@code [g_convT2]} or {@code call} → {@code [g_convT2.forward]}; {@code impl},
     *                              {@code batch} and {@code threads} have their own fields
     */
    public record Options(String include, List<Integer> threads, int batch, boolean reference, int referenceBatch,
                          int forks, int warmupIterations, Duration warmupTime, int measurementIterations,
                          Duration measurementTime, Path json, boolean profileGc, Map<String, List<String>> params) {

        public Options {
            Pattern.compile(include); // a bad expression fails here, not after JMH has started
            threads = List.copyOf(threads);
            params = Map.copyOf(params);
            for (Map.Entry<String, List<String>> p : params.entrySet()) {
                if (OWN_PARAMS.contains(p.getKey()) || p.getValue().isEmpty()) {
                    throw new IllegalArgumentException("parameter " + p.getKey() + " must have values and not be one"
                            + " of " + OWN_PARAMS + ", which have their own options");
                }
            }
            if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
                throw new IllegalArgumentException("threads must be one or more positive counts, got " + threads);
            }
            requirePositive(batch, "batch");
            requirePositive(referenceBatch, "referenceBatch");
            requirePositive(forks, "forks");
            requirePositive(measurementIterations, "measurementIterations");
            if (warmupIterations < 0) {
                throw new IllegalArgumentException("warmupIterations must not be negative, got " + warmupIterations);
            }
            if (warmupTime.toMillis() < 1 || measurementTime.toMillis() < 1) {
                throw new IllegalArgumentException("iteration times must be at least 1 ms");
            }
        }

        /**
         * Everything but the references, on 2 threads at batch 256; 5 warm-up iterations of 2 s (a train step needs
         * about ten to reach its steady state) and 5 measured iterations of 1 s, one fork, no JSON, no profiler, every
         * layer.
         */
        public static Options defaults() {
            return new Options(".*", List.of(2), ModelShapes.DEFAULT_BATCH, false, 8, 1, 5, Duration.ofSeconds(2),
                    5, Duration.ofSeconds(1), null, false, Map.of());
        }

        private static void requirePositive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
    }

    private BenchSuite() {
    }

    /**
     * Runs the benchmarks {@code options} select, writing JMH's progress and then the summary table to {@code out},
     * and returns the table's rows.
     *
     * @throws RunnerException if JMH fails, a benchmark throws, or nothing matches {@code options.include()}
     */
    public static List<BenchReport.Row> run(Options options, PrintStream out) throws RunnerException {
        String ceiling = Pattern.quote(FmaCeilingBench.class.getName() + ".");
        String bandwidth = Pattern.quote(MemoryBandwidthBench.class.getName() + ".");
        ChainedOptionsBuilder vector = common(options)
                .include(options.include())
                .include(ceiling)
                .include(bandwidth)
                .param("impl", "vector")
                .param("batch", Integer.toString(options.batch()));
        if (options.json() != null) {
            vector.resultFormat(ResultFormatType.JSON).result(options.json().toString());
        }
        List<RunResult> results = new ArrayList<>(runner(vector, out).run());
        if (options.reference()) {
            ChainedOptionsBuilder reference = common(options)
                    .include(options.include())
                    .exclude(ceiling)
                    .exclude(bandwidth)
                    .param("impl", "reference")
                    .param("batch", Integer.toString(options.referenceBatch()));
            if (options.json() != null) {
                reference.resultFormat(ResultFormatType.JSON).result(referenceJson(options.json()).toString());
            }
            results.addAll(runner(reference, out).run());
        }
        List<BenchReport.Row> rows = BenchReport.rows(results);
        out.println();
        out.print(BenchReport.table(rows));
        out.flush();
        return rows;
    }

    /** {@code results.json} → {@code results-reference.json}. */
    static Path referenceJson(Path json) {
        String name = json.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return json.resolveSibling(stem + "-reference" + extension);
    }

    private static ChainedOptionsBuilder common(Options options) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MILLISECONDS)
                .forks(options.forks())
                .warmupIterations(options.warmupIterations())
                .warmupTime(TimeValue.milliseconds(options.warmupTime().toMillis()))
                .measurementIterations(options.measurementIterations())
                .measurementTime(TimeValue.milliseconds(options.measurementTime().toMillis()))
                .param("threads", options.threads().stream().map(String::valueOf).toArray(String[]::new))
                .jvmArgsAppend(ADD_MODULES, VECTOR_MODULE)
                .shouldFailOnError(true);
        options.params().forEach((name, values) -> b.param(name, values.toArray(String[]::new)));
        if (options.profileGc()) {
            b.addProfiler(GCProfiler.class);
        }
        return b;
    }

    private static Runner runner(ChainedOptionsBuilder options, PrintStream out) {
        return new Runner(options.build(), OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL));
    }

    /** {@code 500ms}, {@code 2s}: the iteration times of the command line. */
    public static Duration duration(String text) {
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("a time is a whole number of ms or s, e.g. 500ms or 2s; got '" + text + "'");
    }
}
