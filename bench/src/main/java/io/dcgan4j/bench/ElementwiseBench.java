package io.dcgan4j.bench;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.kernels.cpu.ActivationKernel;
import io.dcgan4j.kernels.cpu.Activations;
import io.dcgan4j.kernels.cpu.ActivationsReference;
import io.dcgan4j.kernels.cpu.Adam;
import io.dcgan4j.kernels.cpu.AdamKernel;
import io.dcgan4j.kernels.cpu.AdamReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.TimeUnit;

/**
 * The element-wise kernels at the sizes the model gives them: leaky ReLU (forward and gradient) on each generator
 * activation, tanh (forward and gradient) on the generator's output, and one Adam update over as many elements as
 * the model has trainable parameters (the engine makes one call per variable; this is their sum in one call). All
 * are bound by memory; their FLOPs are the nominal counts of {@link Flops}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
public class ElementwiseBench {

    private static final DcganConfig CONFIG = DcganConfig.seedDefaults();

    /** Buffers of one activation layer: {@code x, y, dy, dx [n]}. */
    public abstract static class ActivationState extends KernelState {
        ActivationKernel kernel;
        int n;
        float[] x;
        float[] y;
        float[] dy;
        float[] dx;

        /** The activation layer whose output size this trial uses. */
        abstract String activationLayer();

        @Override
        protected void prepare() {
            kernel = vector() ? new Activations(pool) : new ActivationsReference();
            n = ModelShapes.model().activationSize(activationLayer(), batch);
            x = random.symmetric(n);
            y = random.uniform(n, -0.99f, 0.99f);
            dy = random.symmetric(n);
            dx = new float[n];
        }
    }

    /** The generator's leaky ReLU layers. */
    public static class LeakyReluState extends ActivationState {
        @Param({"g_lrelu0", "g_lrelu1", "g_lrelu2"})
        public String layer;

        @Override
        String activationLayer() {
            return layer;
        }
    }

    /** The generator's final tanh. */
    public static class TanhState extends ActivationState {
        @Param({"g_tanh"})
        public String layer;

        @Override
        String activationLayer() {
            return layer;
        }
    }

    /** {@code param, grad, m, v [n]} with n the model's trainable parameter count ({@code v ≥ 0}). */
    public static class AdamState extends KernelState {
        AdamKernel kernel;
        int n;
        long step;
        float[] param;
        float[] grad;
        float[] m;
        float[] v;

        @Override
        protected void prepare() {
            kernel = vector() ? new Adam(pool) : new AdamReference();
            n = ModelShapes.model().trainableParameters();
            param = random.symmetric(n);
            grad = random.uniform(n, -1e-3f, 1e-3f);
            m = random.uniform(n, -1e-3f, 1e-3f);
            v = random.uniform(n, 0f, 1e-6f);
        }
    }

    @Benchmark
    public float[] leakyReluForward(LeakyReluState s) {
        s.kernel.leakyReluForward(s.x, s.y, s.n, CONFIG.leakyAlpha());
        return s.y;
    }

    @Benchmark
    public float[] leakyReluBackward(LeakyReluState s) {
        s.kernel.leakyReluBackward(s.x, s.dy, s.dx, s.n, CONFIG.leakyAlpha());
        return s.dx;
    }

    @Benchmark
    public float[] tanhForward(TanhState s) {
        s.kernel.tanhForward(s.x, s.y, s.n);
        return s.y;
    }

    @Benchmark
    public float[] tanhBackward(TanhState s) {
        s.kernel.tanhBackward(s.y, s.dy, s.dx, s.n);
        return s.dx;
    }

    @Benchmark
    public float[] adam(AdamState s) {
        s.kernel.update(s.param, s.grad, s.m, s.v, s.n, CONFIG.learningRate(), CONFIG.beta1(), CONFIG.beta2(),
                CONFIG.adamEpsilon(), ++s.step);
        return s.param;
    }
}
