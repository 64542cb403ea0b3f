package io.dcgan4j.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dcgan4j bench}: its options are checked before JMH starts anything. */
class BenchCommandTest {

    @Test
    void helpListsTheOptionsWithTheSuitesDefaults() {
        CliRun r = CliRun.of("bench", "--help");
        assertEquals(0, r.exitCode());
        for (String option : new String[]{"--include", "--threads", "--batch", "--reference", "--reference-batch",
                "--forks", "--warmup", "--warmup-time", "--iterations", "--time", "--json", "--gc", "--fastest",
                "--param"}) {
            assertTrue(r.out().contains(option), option + " missing from\n" + r.out());
        }
        assertTrue(r.out().contains("Default: 256"), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bench --threads 0                 | threads must be one or more positive counts",
            "bench --threads two               | Invalid value for option '--threads'",
            "bench --time 2min                 | a time is a whole number of ms or s",
            "bench --include [                 | Unclosed character class",
            "bench --param impl=reference      | parameter impl must have values and not be one of",
            "bench --batch 0                   | batch must be positive, got 0",
            "bench --include NoSuchBench       | no benchmark matches --include NoSuchBench",
            "bench --param lyer=g_convT2       | no benchmark has a parameter 'lyer'",
            "bench --include ConvBench --param layer=g_convT2 | layer takes d_conv1, d_conv2, d_conv3, g_conv",
    })
    void badOptionsExitTwoBeforeAnyBenchmarkRuns(String args, String message) {
        CliRun r = CliRun.of(args.trim().split(" +"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.out().isEmpty(), "nothing ran: " + r.out());
    }
}
