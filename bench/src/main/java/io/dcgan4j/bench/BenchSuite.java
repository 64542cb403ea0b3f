package io.dcgan4j.bench;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
     * @param fastest               time every call (JMH's sample mode, {@code -bm sample}) and report each
     *                              benchmark's fastest: on a shared machine, whose load only ever adds time, the
     *                              steadiest figure; else the average call ({@code -bm avgt})
     * @param params                more JMH parameters to narrow the run, by name, e.g. {@code layer} →
     *                              {@code [g_convT2]} or {@code call} → {@code [g_convT2.forward]}; {@code impl},
     *                              {@code batch} and {@code threads} have their own fields
     */
    public record Options(String include, List<Integer> threads, int batch, boolean reference, int referenceBatch,
                          int forks, int warmupIterations, Duration warmupTime, int measurementIterations,
                          Duration measurementTime, Path json, boolean profileGc, boolean fastest,
                          Map<String, List<String>> params) {

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
         * about ten to reach its steady state) and 5 measured iterations of 1 s, one fork, no JSON, no GC profiler,
         * every layer.
         */
        public static Options defaults() {
            return new Options(".*", List.of(2), ModelShapes.DEFAULT_BATCH, false, 8, 1, 5, Duration.ofSeconds(2),
                    5, Duration.ofSeconds(1), null, false, false, Map.of());
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
     * and returns the table's rows. Each distinct set of narrowed parameters ({@link #plan}) is one JMH run; the
     * JSON, when asked for, holds the results of all of them.
     *
     * @throws IllegalArgumentException before anything runs, if {@code options} select no benchmark
     * @throws RunnerException          if JMH fails or a benchmark throws
     */
    public static List<BenchReport.Row> run(Options options, PrintStream out) throws RunnerException {
        Map<String, Map<String, List<String>>> declared = declaredParameters();
        List<Run> vectorRuns = plan(declared, options.include(), true, options.params());
        List<Run> referenceRuns = options.reference()
                ? plan(declared, options.include(), false, options.params()) : List.of();
        List<RunResult> results = runAll(vectorRuns, options, "vector", options.batch(), options.json(), out);
        if (!referenceRuns.isEmpty()) {
            Path json = options.json() == null ? null : referenceJson(options.json());
            results.addAll(runAll(referenceRuns, options, "reference", options.referenceBatch(), json, out));
        }
        List<BenchReport.Row> rows = BenchReport.rows(results);
        out.println();
        out.print(BenchReport.table(rows));
        out.flush();
        return rows;
    }

    /**
     * One JMH run: benchmarks by full name, e.g. {@code io.dcgan4j.bench.ConvBench.forward}, and the values of the
     * narrowed parameters they all get.
     */
    record Run(List<String> benchmarks, Map<String, List<String>> params) {
    }

    /**
     * Splits what {@code include} selects (plus the FMA ceiling and the memory bandwidth when {@code yardsticks})
     * into JMH runs. A narrowed parameter works as a filter: only benchmarks that have it run (the yardsticks always
     * do). JMH itself would give a parameter's values to every benchmark that has the parameter, but {@code layer}
     * names different layers in each class: ConvBench would time {@code layer=g_convT2} under its own name and
     * BatchNormBench would fail on it. So a value that some benchmark of the suite declares goes only to the
     * benchmarks that declare it, and one left without a value of a narrowed parameter is not run; a value no
     * benchmark declares ({@code megabytes=128}) goes to every benchmark with that parameter. Benchmarks that end
     * up with the same values share a run.
     *
     * @param declared every benchmark of the suite by full name, with each parameter's declared values
     * @return the runs; none when {@code include} matches only the yardsticks and they are not wanted
     * @throws IllegalArgumentException if {@code include} matches nothing, no benchmark of the suite has a narrowed
     *                                  parameter, or the narrowing leaves none of the benchmarks it matches
     */
    static List<Run> plan(Map<String, Map<String, List<String>>> declared, String include, boolean yardsticks,
                          Map<String, List<String>> narrowed) {
        Set<String> known = new TreeSet<>();
        declared.values().forEach(params -> known.addAll(params.keySet()));
        for (String param : new TreeSet<>(narrowed.keySet())) {
            if (!known.contains(param)) {
                known.removeAll(OWN_PARAMS);
                throw new IllegalArgumentException("no benchmark has a parameter '" + param + "'; the parameters are "
                        + String.join(", ", known));
            }
        }
        Pattern selector = Pattern.compile(include);
        Set<String> matched = new TreeSet<>();
        Map<String, Map<String, List<String>>> selected = new TreeMap<>();
        declared.forEach((name, params) -> {
            boolean match = selector.matcher(name).find();
            if (match) {
                matched.add(name);
            }
            if (match || isYardstick(name) && yardsticks) {
                selected.put(name, params);
            }
        });
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("no benchmark matches --include " + include);
        }
        if (!yardsticks && matched.stream().allMatch(BenchSuite::isYardstick)) {
            return List.of(); // the yardsticks have no scalar reference to run
        }
        Map<Map<String, List<String>>, List<String>> runs = new LinkedHashMap<>();
        benchmarks:
        for (Map.Entry<String, Map<String, List<String>>> b : selected.entrySet()) {
            Map<String, List<String>> values = new TreeMap<>();
            for (Map.Entry<String, List<String>> p : new TreeMap<>(narrowed).entrySet()) {
                List<String> own = b.getValue().get(p.getKey());
                if (own == null) {
                    if (isYardstick(b.getKey())) {
                        continue;
                    }
                    continue benchmarks;
                }
                List<String> kept = p.getValue().stream()
                        .filter(v -> own.contains(v) || !declaredAnywhere(declared, p.getKey(), v))
                        .toList();
                if (kept.isEmpty()) {
                    continue benchmarks;
                }
                values.put(p.getKey(), kept);
            }
            runs.computeIfAbsent(values, v -> new ArrayList<>()).add(b.getKey());
        }
        if (runs.values().stream().flatMap(List::stream).noneMatch(matched::contains)) {
            throw new IllegalArgumentException("no benchmark selected by --include " + include + " takes "
                    + describe(narrowed) + valuesOf(matched, selected, narrowed));
        }
        List<Run> plan = new ArrayList<>();
        runs.forEach((values, names) -> plan.add(new Run(List.copyOf(names), Map.copyOf(values))));
        return plan;
    }

    private static boolean isYardstick(String benchmark) {
        return benchmark.startsWith(FmaCeilingBench.class.getName() + ".")
                || benchmark.startsWith(MemoryBandwidthBench.class.getName() + ".");
    }

    private static boolean declaredAnywhere(Map<String, Map<String, List<String>>> declared, String param,
                                            String value) {
        return declared.values().stream().anyMatch(params -> params.getOrDefault(param, List.of()).contains(value));
    }

    /** {@code layer=g_convT2,d_conv1 call=…}. */
    private static String describe(Map<String, List<String>> params) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(params).forEach((name, values) ->
                text.append(text.isEmpty() ? "" : " ").append(name).append('=').append(String.join(",", values)));
        return text.toString();
    }

    /** What the selected benchmarks declare for the narrowed parameters: {@code ; layer takes d_conv1, …}. */
    private static String valuesOf(Set<String> matched, Map<String, Map<String, List<String>>> selected,
                                   Map<String, List<String>> params) {
        StringBuilder text = new StringBuilder();
        for (String param : new TreeSet<>(params.keySet())) {
            Set<String> values = new LinkedHashSet<>();
            matched.forEach(name -> values.addAll(selected.get(name).getOrDefault(param, List.of())));
            text.append("; ").append(param).append(values.isEmpty() ? " belongs to no benchmark it selects"
                    : " takes " + String.join(", ", values));
        }
        return text.toString();
    }

    /** Every benchmark JMH's annotation processor listed, by full name, with its parameters' declared values. */
    static Map<String, Map<String, List<String>>> declaredParameters() {
        Map<String, Map<String, List<String>>> declared = new TreeMap<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().getAll(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())) {
            Map<String, List<String>> params = new TreeMap<>();
            e.getParams().orElse(Map.of()).forEach((name, values) -> params.put(name, List.of(values)));
            declared.put(e.getUsername(), params);
        }
        return declared;
    }

    /** Runs {@code runs} with {@code impl} at {@code batch}; writes all their results to {@code json} unless null. */
    private static List<RunResult> runAll(List<Run> runs, Options options, String impl, int batch, Path json,
                                          PrintStream out) throws RunnerException {
        List<RunResult> results = new ArrayList<>();
        for (Run run : runs) {
            ChainedOptionsBuilder b = common(options)
                    .param("impl", impl)
                    .param("batch", Integer.toString(batch));
            run.benchmarks().forEach(name -> b.include("^" + Pattern.quote(name) + "$"));
            run.params().forEach((name, values) -> b.param(name, values.toArray(String[]::new)));
            results.addAll(runner(b, out).run());
        }
        if (json != null) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, json.toString()).writeOut(results);
        }
        return results;
    }

    /** {@code results.json} → {@code results-reference.json}. */
    static Path referenceJson(Path json) {
        String name = json.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return json.resolveSibling(stem + "-reference" + extension);
    }

    /** What every JMH run of the suite shares: mode, unit, iterations, threads, the JVM's flags and profilers. */
    static ChainedOptionsBuilder common(Options options) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .mode(options.fastest() ? Mode.SampleTime : Mode.AverageTime)
                .timeUnit(TimeUnit.MILLISECONDS)
                .forks(options.forks())
                .warmupIterations(options.warmupIterations())
                .warmupTime(TimeValue.milliseconds(options.warmupTime().toMillis()))
                .measurementIterations(options.measurementIterations())
                .measurementTime(TimeValue.milliseconds(options.measurementTime().toMillis()))
                .param("threads", options.threads().stream().map(String::valueOf).toArray(String[]::new))
                .jvmArgsAppend(ADD_MODULES, VECTOR_MODULE)
                .addProfiler(FmaCeilingProfiler.class)
                .shouldFailOnError(true);
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
