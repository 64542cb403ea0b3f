package io.dcgan4j.cli;

import io.dcgan4j.bench.BenchSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dcgan4j bench}: the JMH suite of the {@code bench} module, with a GFLOP/s table at the end. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Benchmark the kernels and the train step with JMH and print GFLOP/s and the share of the "
                + "machine's FMA ceiling, and for the memory-bound kernels GB/s and the share of its memory "
                + "bandwidth, both measured in the same run; also the share of the FMA ceiling probed around "
                + "each of the benchmark's own iterations. With --fastest, each figure is the fastest call.",
                "The whole suite takes about 20 minutes per thread count; narrow it with --include or --param."})
final class BenchCommand implements Callable<Integer> {

    private static final BenchSuite.Options DEFAULTS = BenchSuite.Options.defaults();

    @Spec
    private CommandSpec spec;

    @Option(names = "--include", paramLabel = "REGEX",
            description = "Benchmarks whose full name contains REGEX, e.g. TrainStep or ConvTransposeBench.forward.")
    private String include = DEFAULTS.include();

    @Option(names = "--threads", paramLabel = "N", split = ",", description = "Thread counts, e.g. 1,2.")
    private List<Integer> threads = DEFAULTS.threads();

    @Option(names = "--batch", paramLabel = "N", description = "Batch size of the Vector API kernels.")
    private int batch = DEFAULTS.batch();

    @Option(names = "--reference", description = "Also time the scalar reference kernels, at --reference-batch.")
    private boolean reference;

    @Option(names = "--reference-batch", paramLabel = "N", description = "Batch size of the reference kernels.")
    private int referenceBatch = DEFAULTS.referenceBatch();

    @Option(names = "--forks", paramLabel = "N", description = "JVM forks per benchmark.")
    private int forks = DEFAULTS.forks();

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up iterations.")
    private int warmup = DEFAULTS.warmupIterations();

    @Option(names = "--warmup-time", paramLabel = "T", converter = DurationConverter.class,
            description = "Length of a warm-up iteration, e.g. 2s or 500ms.")
    private Duration warmupTime = DEFAULTS.warmupTime();

    @Option(names = "--iterations", paramLabel = "N", description = "Measured iterations.")
    private int iterations = DEFAULTS.measurementIterations();

    @Option(names = "--time", paramLabel = "T", converter = DurationConverter.class,
            description = "Length of a measured iteration.")
    private Duration time = DEFAULTS.measurementTime();

    @Option(names = "--json", paramLabel = "FILE", description = "Write JMH's JSON results there.")
    private Path json;

    @Option(names = "--gc", description = "JMH's GC profiler: bytes allocated per call.")
    private boolean gc;

    @Option(names = "--fastest", description = "Time every call (JMH's sample mode) and report each benchmark's "
            + "fastest, the steadiest figure on a shared machine, whose load only ever adds time; else the average.")
    private boolean fastest;

    @Option(names = "--param", paramLabel = "NAME=V1,V2", showDefaultValue = Visibility.NEVER, description = {
            "Run only the benchmarks with this parameter, at these values, e.g. layer=g_convT2 or "
                    + "call=g_dense.forward; a layer goes only to the classes that have it. Repeatable."})
    private Map<String, String> params = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, List<String>> narrowed = new LinkedHashMap<>();
        params.forEach((name, values) -> narrowed.put(name, List.of(values.split(","))));
        BenchSuite.Options options;
        try {
            options = new BenchSuite.Options(include, threads, batch, reference, referenceBatch, forks, warmup,
                    warmupTime, iterations, time, json, gc, fastest, narrowed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            BenchSuite.run(options, System.out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return 0;
    }

    /** {@code 2s}, {@code 500ms}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return BenchSuite.duration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
