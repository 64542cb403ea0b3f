package io.dcgan4j.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bytes per call, against values worked out by hand from the layer shapes. */
class TrafficTest {

    private static long bytes(String benchmark, Map<String, String> params) {
        return Traffic.of(benchmark, params).orElseThrow();
    }

    @Test
    void aConvolutionPassReadsAndWritesEachTensorOnce() {
        // d_conv1 at batch 2: x 2·28·28·1, kernel 3·3·1·64, y 2·13·13·64 floats.
        Map<String, String> d1 = Map.of("layer", "d_conv1", "batch", "2");
        assertEquals(4L * (1568 + 576 + 21632), bytes("ConvBench.forward", d1));
        assertEquals(4L * (21632 + 576 + 1568), bytes("io.dcgan4j.bench.ConvBench.backwardInput", d1));
        // The weight gradient reads x and dy, and reads and writes dw.
        assertEquals(4L * (1568 + 21632 + 2 * 576), bytes("ConvBench.backwardWeight", d1));
        // g_convT3 at batch 1: x 21·21·128, kernel 4·4·3·128, y 64·64·3.
        assertEquals(4L * (56448 + 6144 + 12288),
                bytes("ConvTransposeBench.forward", Map.of("layer", "g_convT3", "batch", "1")));
    }

    @Test
    void memoryBoundKernelsCountTheirArrays() {
        // g_bn2 at batch 1: 21·21·128 elements; the forward reads x and writes y, the backward reads x and dy.
        Map<String, String> bn = Map.of("layer", "g_bn2", "batch", "1");
        assertEquals(2L * 4 * 56448, bytes("BatchNormBench.forwardTraining", bn));
        assertEquals(3L * 4 * 56448, bytes("BatchNormBench.backward", bn));
        assertEquals(7L * 4 * ModelShapes.model().trainableParameters(),
                bytes("ElementwiseBench.adam", Map.of("batch", "1")));
        assertEquals(2L * 2 * 64 * (1 << 20),
                bytes("MemoryBandwidthBench.copy", Map.of("threads", "2", "megabytes", "64")));
    }

    @Test
    void computeBoundBenchmarksHaveNoByteCount() {
        assertEquals(OptionalLong.empty(), Traffic.of("TrainStepBench.trainStep", Map.of("batch", "256")));
        assertEquals(OptionalLong.empty(), Traffic.of("FmaCeilingBench.fma", Map.of("threads", "2")));
        assertEquals(OptionalLong.empty(), Traffic.of("Unknown.bench", Map.of()));
    }
}
