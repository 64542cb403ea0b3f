package io.dcgan4j.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The suite's options, checked before JMH starts. */
class BenchSuiteTest {

    private static BenchSuite.Options withParams(Map<String, List<String>> params) {
        BenchSuite.Options d = BenchSuite.Options.defaults();
        return new BenchSuite.Options(d.include(), d.threads(), d.batch(), d.reference(), d.referenceBatch(),
                d.forks(), d.warmupIterations(), d.warmupTime(), d.measurementIterations(), d.measurementTime(),
                d.json(), d.profileGc(), params);
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
}
