package io.dcgan4j.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite's options, checked before JMH starts. */
class BenchSuiteTest {

    private static BenchSuite.Options withParams(Map<String, List<String>> params) {
        BenchSuite.Options d = BenchSuite.Options.defaults();
        return new BenchSuite.Options(d.include(), d.threads(), d.batch(), d.reference(), d.referenceBatch(),
                d.forks(), d.warmupIterations(), d.warmupTime(), d.measurementIterations(), d.measurementTime(),
                d.json(), d.profileGc(), d.fastest(), params);
    }

    @Test
    void fastestTimesEveryCallElseTheAverage() {
        BenchSuite.Options d = BenchSuite.Options.defaults();
        BenchSuite.Options fastest = new BenchSuite.Options(d.include(), d.threads(), d.batch(), d.reference(),
                d.referenceBatch(), d.forks(), d.warmupIterations(), d.warmupTime(), d.measurementIterations(),
                d.measurementTime(), d.json(), d.profileGc(), true, d.params());
        assertEquals(Set.of(Mode.SampleTime), BenchSuite.common(fastest).build().getBenchModes());
        assertEquals(Set.of(Mode.AverageTime), BenchSuite.common(d).build().getBenchModes());
    }

    @Test
    void referenceRunWritesBesideTheJson() {
        assertEquals(Path.of("out", "results-reference.json"), BenchSuite.referenceJson(Path.of("out", "results.json")));
        assertEquals(Path.of("results-reference"), BenchSuite.referenceJson(Path.of("results")));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), BenchSuite.duration("500ms"));
        assertEquals(Duration.ofSeconds(2), BenchSuite.duration("2s"));
        assertThrows(IllegalArgumentException.class, () -> BenchSuite.duration("2 minutes"));
    }

    @Test
    void paramsNarrowLayersButNotTheSuitesOwnParameters() {
        assertEquals(Map.of("layer", List.of("g_convT2")), withParams(Map.of("layer", List.of("g_convT2"))).params());
        assertThrows(IllegalArgumentException.class, () -> withParams(Map.of("impl", List.of("reference"))));
        assertThrows(IllegalArgumentException.class, () -> withParams(Map.of("layer", List.of())));
    }

    private static final String PACKAGE = "io.dcgan4j.bench.";

    private static List<BenchSuite.Run> plan(String include, boolean yardsticks, Map<String, List<String>> params) {
        return BenchSuite.plan(BenchSuite.declaredParameters(), include, yardsticks, params);
    }

    /** Benchmark (short name) → the values it gets of {@code param}, over all runs of {@code plan}. */
    private static Map<String, List<String>> valuesByBenchmark(List<BenchSuite.Run> plan, String param) {
        Map<String, List<String>> values = new TreeMap<>();
        for (BenchSuite.Run run : plan) {
            for (String name : run.benchmarks()) {
                values.put(name.substring(PACKAGE.length()), run.params().getOrDefault(param, List.of()));
            }
        }
        return values;
    }

    @Test
    void layerGoesOnlyToTheClassesThatDeclareIt() {
        Map<String, List<String>> got = valuesByBenchmark(
                plan(".*", true, Map.of("layer", List.of("g_convT2", "d_conv1", "g_bn2"))), "layer");
        assertEquals(new TreeMap<>(Map.of(
                "ConvTransposeBench.forward", List.of("g_convT2"),
                "ConvTransposeBench.backwardInput", List.of("g_convT2"),
                "ConvTransposeBench.backwardWeight", List.of("g_convT2"),
                "ConvBench.forward", List.of("d_conv1"),
                "ConvBench.backwardInput", List.of("d_conv1"),
                "ConvBench.backwardWeight", List.of("d_conv1"),
                "BatchNormBench.forwardTraining", List.of("g_bn2"),
                "BatchNormBench.backward", List.of("g_bn2"),
                "FmaCeilingBench.fma", List.of(),
                "MemoryBandwidthBench.copy", List.of())), got);
    }

    @Test
    void eachSetOfValuesIsOneRunAndTheYardsticksRunOnce() {
        List<BenchSuite.Run> plan = plan("Conv", true, Map.of("layer", List.of("g_convT3", "d_conv2")));
        assertEquals(3, plan.size(), plan.toString());
        long yardsticks = plan.stream().flatMap(r -> r.benchmarks().stream())
                .filter(n -> n.contains("FmaCeilingBench") || n.contains("MemoryBandwidthBench")).count();
        assertEquals(2, yardsticks);
        assertTrue(plan("Conv", false, Map.of()).stream().flatMap(r -> r.benchmarks().stream())
                .noneMatch(n -> n.contains("FmaCeilingBench") || n.contains("MemoryBandwidthBench")));
        assertEquals(List.of(), plan("FmaCeiling", false, Map.of()), "the ceiling alone has no reference run");
    }

    @Test
    void withoutParametersEverySelectedBenchmarkRunsInOneRun() {
        List<BenchSuite.Run> plan = plan("TrainStep|GemmBench", true, Map.of());
        assertEquals(1, plan.size());
        assertEquals(Map.of(), plan.getFirst().params());
        assertTrue(plan.getFirst().benchmarks().contains(PACKAGE + "GemmBench.gemm"));
        assertTrue(plan.getFirst().benchmarks().contains(PACKAGE + "TrainStepBench.trainStep"));
    }

    @Test
    void aValueNoBenchmarkDeclaresGoesToEveryBenchmarkWithTheParameter() {
        Map<String, List<String>> got = valuesByBenchmark(plan(".*", true, Map.of("megabytes", List.of("128"))),
                "megabytes");
        assertEquals(Map.of("FmaCeilingBench.fma", List.of(), "MemoryBandwidthBench.copy", List.of("128")), got);
    }

    @Test
    void narrowingToNothingOrAnUnknownParameterIsAClearError() {
        IllegalArgumentException wrongClass = assertThrows(IllegalArgumentException.class,
                () -> plan("ConvBench", true, Map.of("layer", List.of("g_convT2"))));
        assertTrue(wrongClass.getMessage().contains("layer takes d_conv1, d_conv2, d_conv3, g_conv"),
                wrongClass.getMessage());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> plan(".*", true, Map.of("lyer", List.of("g_convT2"))));
        assertTrue(typo.getMessage().contains("'lyer'") && typo.getMessage().contains("layer"), typo.getMessage());
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
                () -> plan("NoSuchBench", true, Map.of()));
        assertTrue(nothing.getMessage().contains("NoSuchBench"), nothing.getMessage());
    }
}
