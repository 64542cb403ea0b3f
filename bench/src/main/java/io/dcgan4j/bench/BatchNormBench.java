package io.dcgan4j.bench;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.kernels.cpu.BatchNorm;
import io.dcgan4j.kernels.cpu.BatchNormKernel;
import io.dcgan4j.kernels.cpu.BatchNormReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.TimeUnit;

/**
 * The model's BatchNormalization layers on {@code [R = N·H·W, C]} inputs: the training-mode forward (batch
 * statistics and normalisation) and the backward (dx, dGamma, dBeta), the two passes a train step runs. Both are
 * bound by memory, not by arithmetic; their FLOPs are the nominal counts of {@link Flops}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
public class BatchNormBench extends KernelState {

    @Param({"g_bn1", "g_bn2", "d_bn1", "d_bn2", "d_bn3"})
    public String layer;

    private BatchNormKernel kernel;
    private float epsilon;
    private float[] x;
    private float[] gamma;
    private float[] beta;
    private float[] y;
    private float[] mean;
    private float[] variance;
    private float[] invStd;
    private float[] dy;
    private float[] dx;
    private float[] dGamma;
    private float[] dBeta;

    @Override
    protected void prepare() {
        ModelShapes.BatchNormShape shape = ModelShapes.model().batchNorm(layer);
        int rows = shape.rows(batch);
        int channels = shape.channels();
        kernel = vector() ? new BatchNorm(pool, rows, channels) : new BatchNormReference(rows, channels);
        epsilon = DcganConfig.seedDefaults().bnEpsilon();
        x = random.symmetric(rows * channels);
        gamma = random.uniform(channels, 0.5f, 1.5f);
        beta = random.symmetric(channels);
        y = new float[rows * channels];
        mean = new float[channels];
        variance = new float[channels];
        invStd = new float[channels];
        dy = random.symmetric(rows * channels);
        dx = new float[rows * channels];
        dGamma = new float[channels];
        dBeta = new float[channels];
        // The backward reads the statistics of a forward on the same x.
        kernel.forwardTraining(x, gamma, beta, epsilon, y, mean, variance, invStd);
    }

    @Benchmark
    public float[] forwardTraining() {
        kernel.forwardTraining(x, gamma, beta, epsilon, y, mean, variance, invStd);
        return y;
    }

    @Benchmark
    public float[] backward() {
        kernel.backward(x, dy, gamma, mean, invStd, dx, dGamma, dBeta);
        return dx;
    }
}
