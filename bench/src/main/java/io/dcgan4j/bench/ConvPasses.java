package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.Conv2d;
import io.dcgan4j.kernels.cpu.Conv2dReference;
import io.dcgan4j.kernels.cpu.ConvKernel;
import io.dcgan4j.kernels.cpu.ConvShape;
import io.dcgan4j.kernels.cpu.ConvTranspose2d;
import io.dcgan4j.kernels.cpu.ConvTranspose2dReference;
import io.dcgan4j.kernels.cpu.VectorGemm;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The three passes of one convolution layer of the model, each its own benchmark, on the layer's real shape
 * ({@link ModelShapes#conv}). {@link ConvBench} and {@link ConvTransposeBench} only name the layers, and each refuses
 * a layer of the other's kind, so that a row never carries the wrong class's name.
 *
 * <pre>
 * x, dx [N,H,W,C]   w, dw  kernel in its Keras layout   bias, dBias [O]   y, dy [N,OH,OW,O]
 * forward         y   = op(x, w) + bias
 * backwardInput   dx  = ∂L/∂x from dy
 * backwardWeight  dw += ∂L/∂w, dBias += ∂L/∂bias   (accumulates, as the engine's gradient buffers do)
 * </pre>
 * FLOPs of each pass: 2·{@link ConvShape#macs()}.
 */
public abstract class ConvPasses extends KernelState {

    private ConvKernel kernel;
    private float[] x;
    private float[] w;
    private float[] bias;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private float[] dw;
    private float[] dBias;

    /** The layer this trial times, e.g. {@code g_convT2}. */
    protected abstract String layer();

    /** Whether this class times the Conv2DTranspose layers rather than the Conv2D ones. */
    protected abstract boolean transposedLayers();

    @Override
    protected void prepare() {
        ConvShape shape = ModelShapes.model().conv(layer(), batch);
        if (shape.transposed() != transposedLayers()) {
            throw new IllegalArgumentException(layer() + " is a " + (shape.transposed()
                    ? "Conv2DTranspose layer: ConvTransposeBench times it" : "Conv2D layer: ConvBench times it"));
        }
        if (shape.transposed()) {
            kernel = vector() ? new ConvTranspose2d(pool, new VectorGemm(pool), shape)
                    : new ConvTranspose2dReference(shape);
        } else {
            kernel = vector() ? new Conv2d(pool, new VectorGemm(pool), shape) : new Conv2dReference(shape);
        }
        x = random.symmetric(shape.inputSize());
        w = random.uniform(shape.kernelSize(), -0.1f, 0.1f);
        bias = random.symmetric(shape.outC());
        y = new float[shape.outputSize()];
        dy = random.symmetric(shape.outputSize());
        dx = new float[shape.inputSize()];
        dw = new float[shape.kernelSize()];
        dBias = new float[shape.outC()];
    }

    @Benchmark
    public float[] forward() {
        kernel.forward(x, w, bias, y);
        return y;
    }

    @Benchmark
    public float[] backwardInput() {
        kernel.backwardInput(dy, w, dx);
        return dx;
    }

    @Benchmark
    public float[] backwardWeight() {
        kernel.backwardWeight(x, dy, dw, dBias);
        return dw;
    }
}
