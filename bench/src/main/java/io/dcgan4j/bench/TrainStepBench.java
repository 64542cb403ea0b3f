package io.dcgan4j.bench;

import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.gan.GanTrainer;
import io.dcgan4j.engine.gan.StepResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * One whole {@link GanTrainer#step}: the D step (G forward, D on the real and the fake batch, D backward, Adam on D)
 * and the G step (D on the fake batch, D and G backward, Adam on G), on the seed's model and hyper-parameters, with a
 * fixed batch of real images and a fixed noise batch (the noise draw, 25,600 Gaussians at batch 256, is left out,
 * as in PyTorch's timing). The weights keep training from call to call, as in a real run.
 *
 * <p>The halves are timed apart too: {@link #discriminatorStep} alone, and {@link #generatorStep} after an untimed D
 * step (a G step reuses the D step's generator output). Run with {@code -prof gc} to see the step's allocation:
 * {@code gc.alloc.rate.norm} is the returned {@link StepResult}. FLOPs: {@link ModelShapes#trainStepFlops} and its
 * halves, counted from the calls the engine makes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
@State(Scope.Benchmark)
public class TrainStepBench {

    /** {@code vector}: the engine's default; {@code reference}: every kernel replaced by its scalar reference. */
    @Param({"vector", "reference"})
    public String impl;

    @Param({"2"})
    public int threads;

    @Param({"256"})
    public int batch;

    private CpuBackend backend;
    private GanTrainer trainer;
    private float[] images;
    private float[] noise;

    @Setup(Level.Trial)
    public void setUp() {
        CpuBackend.Kernels kernels = switch (impl) {
            case "vector" -> CpuBackend.Kernels.VECTOR;
            case "reference" -> CpuBackend.Kernels.REFERENCE;
            default -> throw new IllegalArgumentException("impl must be vector or reference, got '" + impl + "'");
        };
        backend = new CpuBackend(threads, kernels);
        DcganConfig config = DcganConfig.seedDefaults().withBatchSize(batch);
        Dcgan model = new Dcgan(backend, config, RandomInputs.SEED);
        trainer = new GanTrainer(backend, model, RandomInputs.SEED);
        RandomInputs random = new RandomInputs();
        images = random.symmetric(batch * Dcgan.IMAGE_SIZE);
        noise = random.gaussian(batch * config.noiseDim());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public StepResult trainStep() {
        return trainer.step(images, batch, noise);
    }

    @Benchmark
    public float discriminatorStep() {
        return trainer.discriminatorStep(images, batch, noise);
    }

    /** Runs the D step that every timed G step needs before it, outside the timing. */
    @State(Scope.Thread)
    public static class AfterDiscriminatorStep {
        @Setup(Level.Invocation)
        public void discriminatorStep(TrainStepBench bench) {
            bench.trainer.discriminatorStep(bench.images, bench.batch, bench.noise);
        }
    }

    @Benchmark
    public float generatorStep(AfterDiscriminatorStep ready) {
        return trainer.generatorStep();
    }
}
