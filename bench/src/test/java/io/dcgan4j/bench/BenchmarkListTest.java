package io.dcgan4j.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JMH's annotation processor ran, and the reporter can rate every benchmark it generated. */
class BenchmarkListTest {

    private static Set<BenchmarkListEntry> entries() {
        assertNotNull(BenchmarkListTest.class.getClassLoader().getResource("META-INF/BenchmarkList"),
                "META-INF/BenchmarkList is missing: JMH's annotation processor did not run");
        return BenchmarkList.defaultList().getAll(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of());
    }

    @Test
    void everyBenchmarkClassIsListed() {
        Set<String> classes = new TreeSet<>();
        for (BenchmarkListEntry e : entries()) {
            String name = e.getUsername();
            classes.add(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1, name.lastIndexOf('.')));
        }
        assertEquals(Set.of("BatchNormBench", "ConvBench", "ConvTransposeBench", "ElementwiseBench",
                "FmaCeilingBench", "GemmBench", "MemoryBandwidthBench", "TrainStepBench"), classes);
    }

    @Test
    void everyBenchmarkHasFlopsOrBytesForEveryDefaultParameterValue() {
        for (BenchmarkListEntry e : entries()) {
            Map<String, String[]> params = e.getParams().orElse(Map.of());
            Map<String, String> first = new HashMap<>();
            params.forEach((k, v) -> first.put(k, v[0]));
            // Each value of each parameter, the others at their first value.
            for (Map.Entry<String, String[]> p : params.entrySet()) {
                for (String value : p.getValue()) {
                    Map<String, String> chosen = new HashMap<>(first);
                    chosen.put(p.getKey(), value);
                    long flops = Flops.of(e.getUsername(), chosen).orElse(-1);
                    long bytes = Traffic.of(e.getUsername(), chosen).orElse(-1);
                    assertTrue(flops > 0 || bytes > 0, e.getUsername() + " " + chosen + " has no FLOP or byte count");
                    assertTrue(bytes != 0, e.getUsername() + " " + chosen + " moves no bytes");
                }
            }
        }
    }
}
