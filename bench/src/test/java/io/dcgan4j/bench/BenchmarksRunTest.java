package io.dcgan4j.bench;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every benchmark, at every layer or call its {@code @Param} lists, sets up and runs once at a small batch with
 * both implementations, so that a wrong shape shows here rather than minutes into a JMH run.
 */
class BenchmarksRunTest {

    private static final int BATCH = 2;

    private static String[] values(Class<?> type, String field) throws ReflectiveOperationException {
        return type.getField(field).getAnnotation(Param.class).value();
    }

    private static <S extends KernelState> S configure(S state, String impl) {
        state.impl = impl;
        state.threads = 2;
        state.batch = BATCH;
        state.setUp();
        return state;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "reference"})
    void convolutions(String impl) throws ReflectiveOperationException {
        for (String layer : values(ConvBench.class, "layer")) {
            ConvBench b = new ConvBench();
            b.layer = layer;
            run(configure(b, impl));
        }
        for (String layer : values(ConvTransposeBench.class, "layer")) {
            ConvTransposeBench b = new ConvTransposeBench();
            b.layer = layer;
            run(configure(b, impl));
        }
    }

    @Test
    void eachConvolutionClassRefusesTheOtherKindOfLayer() {
        ConvBench conv = new ConvBench();
        conv.layer = "g_convT3";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> configure(conv, "vector"));
        assertTrue(e.getMessage().contains("ConvTransposeBench"), e.getMessage());
        ConvTransposeBench transposed = new ConvTransposeBench();
        transposed.layer = "d_conv1";
        e = assertThrows(IllegalArgumentException.class, () -> configure(transposed, "vector"));
        assertTrue(e.getMessage().contains("ConvBench"), e.getMessage());
    }

    private static void run(ConvPasses b) {
        try {
            b.forward();
            b.backwardInput();
            b.backwardWeight();
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "reference"})
    void gemms(String impl) throws ReflectiveOperationException {
        for (String call : values(GemmBench.class, "call")) {
            GemmBench b = new GemmBench();
            b.call = call;
            configure(b, impl);
            try {
                b.gemm();
            } finally {
                b.tearDown();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "reference"})
    void batchNorms(String impl) throws ReflectiveOperationException {
        for (String layer : values(BatchNormBench.class, "layer")) {
            BatchNormBench b = new BatchNormBench();
            b.layer = layer;
            configure(b, impl);
            try {
                b.forwardTraining();
                b.backward();
            } finally {
                b.tearDown();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "reference"})
    void elementwise(String impl) throws ReflectiveOperationException {
        ElementwiseBench bench = new ElementwiseBench();
        for (String layer : values(ElementwiseBench.LeakyReluState.class, "layer")) {
            ElementwiseBench.LeakyReluState s = new ElementwiseBench.LeakyReluState();
            s.layer = layer;
            configure(s, impl);
            try {
                bench.leakyReluForward(s);
                bench.leakyReluBackward(s);
            } finally {
                s.tearDown();
            }
        }
        ElementwiseBench.TanhState tanh = new ElementwiseBench.TanhState();
        tanh.layer = values(ElementwiseBench.TanhState.class, "layer")[0];
        configure(tanh, impl);
        try {
            bench.tanhForward(tanh);
            bench.tanhBackward(tanh);
        } finally {
            tanh.tearDown();
        }
        ElementwiseBench.AdamState adam = configure(new ElementwiseBench.AdamState(), impl);
        try {
            bench.adam(adam);
        } finally {
            adam.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "reference"})
    void trainStep(String impl) {
        TrainStepBench b = new TrainStepBench();
        b.impl = impl;
        b.threads = 2;
        b.batch = BATCH;
        b.setUp();
        try {
            float loss = b.trainStep().discriminatorLoss();
            assertTrue(Float.isFinite(loss), "d_loss " + loss);
            float dLoss = b.discriminatorStep();
            assertTrue(Float.isFinite(dLoss), "D step's d_loss " + dLoss);
            TrainStepBench.AfterDiscriminatorStep ready = new TrainStepBench.AfterDiscriminatorStep();
            ready.discriminatorStep(b);
            float gLoss = b.generatorStep(ready);
            assertTrue(Float.isFinite(gLoss), "G step's g_loss " + gLoss);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void fmaCeilingAddsOneToEveryChain() {
        FmaCeilingBench b = new FmaCeilingBench();
        b.threads = 2;
        b.setUp();
        try {
            double perLane = 0;
            for (float start : FmaChains.STARTS) {
                perLane += start + 1;
            }
            double expected = b.threads * FloatVector.SPECIES_PREFERRED.length() * perLane;
            assertEquals(expected, b.fma(), expected * 1e-5);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void memoryBandwidthCopiesEachThreadsArray() {
        MemoryBandwidthBench b = new MemoryBandwidthBench();
        b.threads = 2;
        b.megabytes = 1;
        b.setUp();
        try {
            float[][] targets = b.copy();
            for (int t = 0; t < b.threads; t++) {
                float expected = t + 1f;
                for (float v : targets[t]) {
                    assertTrue(v == expected, "thread " + t + " copied " + v + ", not " + expected);
                }
            }
        } finally {
            b.tearDown();
        }
    }
}
