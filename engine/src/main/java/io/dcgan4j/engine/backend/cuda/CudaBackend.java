package io.dcgan4j.engine.backend.cuda;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.BatchNormOp;
import io.dcgan4j.engine.backend.ConvOp;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.kernels.cpu.ConvShape;
import io.dcgan4j.kernels.cpu.SoftmaxCrossEntropy;
import io.dcgan4j.kernels.cuda.CudaBatchNorm;
import io.dcgan4j.kernels.cuda.CudaContext;
import io.dcgan4j.kernels.cuda.CudaConv;
import io.dcgan4j.kernels.cuda.CudaOps;
import io.dcgan4j.kernels.cuda.DeviceBuffer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The CUDA backend: every tensor lives in device memory of one GPU for the whole run, and every operation is a
 * kernel launch on the device's default stream (see {@code kernels/src/main/cuda/}). Only what a caller downloads
 * comes back: the losses and sample images. Uploads (initial weights, batches) go through one pinned staging
 * buffer, one copy per tensor.
 *
 * <p>Results are run-to-run deterministic: no kernel uses atomics, and every reduction is split in a way fixed by
 * the shape. They differ from the CPU backend's in rounding (other summation orders, fused multiply-adds).
 */
public final class CudaBackend implements Backend {

    private final CudaContext context;
    private final CudaOps ops;
    /** Bias-gradient reductions of the dense layers, one per {@code [rows, out]}, made on first use. */
    private final Map<Long, CudaOps.ColumnSums> denseBiasSums = new HashMap<>();

    /**
     * Opens {@code cuda:ordinal}.
     *
     * @throws IllegalStateException with a one-line reason when CUDA or the device cannot be used here
     */
    public CudaBackend(int ordinal) {
        this.context = new CudaContext(ordinal);
        try {
            this.ops = new CudaOps(context);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return context.device().describe();
    }

    @Override
    public Tensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8 || n < 1) {
            throw new IllegalArgumentException("cannot allocate a tensor of shape " + Arrays.toString(shape));
        }
        DeviceBuffer b = context.allocateFloats(n);
        context.fill(b, (int) n, 0f);
        return new CudaTensor(b, shape);
    }

    @Override
    public void upload(float[] source, Tensor destination) {
        if (source.length < destination.size()) {
            throw new IllegalArgumentException("source holds " + source.length + " floats, " + destination
                    + " needs " + destination.size());
        }
        context.upload(source, destination.size(), buffer(destination));
    }

    @Override
    public void download(Tensor source, float[] destination) {
        if (destination.length < source.size()) {
            throw new IllegalArgumentException("destination holds " + destination.length + " floats, " + source
                    + " has " + source.size());
        }
        context.download(buffer(source), destination, source.size());
    }

    @Override
    public void fill(Tensor tensor, float value) {
        context.fill(buffer(tensor), tensor.size(), value);
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        checkSameSize(source, destination);
        context.copy(buffer(source), buffer(destination), source.size());
    }

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor bias, Tensor y) {
        ops.denseForward(buffer(x), buffer(w), bias == null ? null : buffer(bias), buffer(y), x.dim(0), w.dim(0),
                w.dim(1));
    }

    @Override
    public void denseBackwardInput(Tensor dy, Tensor w, Tensor dx) {
        ops.denseBackwardInput(buffer(dy), buffer(w), buffer(dx), dy.dim(0), w.dim(0), w.dim(1));
    }

    @Override
    public void denseBackwardWeight(Tensor x, Tensor dy, Tensor dw, Tensor dBias) {
        int n = x.dim(0), in = dw.dim(0), out = dw.dim(1);
        ops.denseBackwardWeight(buffer(x), buffer(dy), buffer(dw), n, in, out);
        if (dBias != null) {
            denseBiasSums.computeIfAbsent(((long) n << 32) | out, k -> ops.columnSums(n, out))
                    .addInto(buffer(dy), buffer(dBias));
        }
    }

    @Override
    public ConvOp conv(ConvShape shape) {
        CudaConv k = ops.conv(shape);
        return new ConvOp() {
            @Override
            public ConvShape shape() {
                return shape;
            }

            @Override
            public void forward(Tensor x, Tensor kernel, Tensor bias, Tensor y) {
                k.forward(buffer(x), buffer(kernel), buffer(bias), buffer(y));
            }

            @Override
            public void backwardInput(Tensor dy, Tensor kernel, Tensor dx) {
                k.backwardInput(buffer(dy), buffer(kernel), buffer(dx));
            }

            @Override
            public void backwardWeight(Tensor x, Tensor dy, Tensor dKernel, Tensor dBias) {
                k.backwardWeight(buffer(x), buffer(dy), buffer(dKernel), buffer(dBias));
            }
        };
    }

    @Override
    public BatchNormOp batchNorm(int rows, int channels) {
        CudaBatchNorm k = ops.batchNorm(rows, channels);
        return new BatchNormOp() {
            @Override
            public void forwardTraining(Tensor x, Tensor gamma, Tensor beta, float epsilon, Tensor y,
                                        Tensor batchMean, Tensor batchVariance, Tensor batchInvStd) {
                k.forwardTraining(buffer(x), buffer(gamma), buffer(beta), epsilon, buffer(y), buffer(batchMean),
                        buffer(batchVariance), buffer(batchInvStd));
            }

            @Override
            public void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor movingMean,
                                         Tensor movingVariance, float epsilon, Tensor y) {
                k.forwardInference(buffer(x), buffer(gamma), buffer(beta), buffer(movingMean),
                        buffer(movingVariance), epsilon, buffer(y));
            }

            @Override
            public void backward(Tensor x, Tensor dy, Tensor gamma, Tensor batchMean, Tensor batchInvStd,
                                 Tensor dx, Tensor dGamma, Tensor dBeta) {
                k.backward(buffer(x), buffer(dy), buffer(gamma), buffer(batchMean), buffer(batchInvStd), buffer(dx),
                        buffer(dGamma), buffer(dBeta));
            }

            @Override
            public void updateMovingAverages(Tensor movingMean, Tensor movingVariance, Tensor batchMean,
                                             Tensor batchVariance, float momentum) {
                k.updateMovingAverages(buffer(movingMean), buffer(movingVariance), buffer(batchMean),
                        buffer(batchVariance), momentum);
            }
        };
    }

    @Override
    public void leakyReluForward(Tensor x, Tensor y, float alpha) {
        checkSameSize(x, y);
        ops.leakyReluForward(buffer(x), buffer(y), x.size(), alpha);
    }

    @Override
    public void leakyReluBackward(Tensor x, Tensor dy, Tensor dx, float alpha) {
        checkSameSize(x, dy);
        checkSameSize(x, dx);
        ops.leakyReluBackward(buffer(x), buffer(dy), buffer(dx), x.size(), alpha);
    }

    @Override
    public void tanhForward(Tensor x, Tensor y) {
        checkSameSize(x, y);
        ops.tanhForward(buffer(x), buffer(y), x.size());
    }

    @Override
    public void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        checkSameSize(y, dy);
        checkSameSize(y, dx);
        ops.tanhBackward(buffer(y), buffer(dy), buffer(dx), y.size());
    }

    @Override
    public float binaryCrossEntropy(Tensor logits, float label, Tensor dLogits) {
        if (dLogits != null) {
            checkSameSize(logits, dLogits);
        }
        return ops.binaryCrossEntropy(buffer(logits), logits.size(), label, dLogits == null ? null : buffer(dLogits));
    }

    /**
     * On the host: the logits of a classifier batch are a few kilobytes, so two copies cost less than the launches of
     * a device kernel and its reduction.
     */
    @Override
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dLogits) {
        int n = logits.dim(0), classes = logits.size() / n;
        float[] x = new float[logits.size()];
        download(logits, x);
        if (dLogits != null) {
            checkSameSize(logits, dLogits);
            float[] g = new float[x.length];
            SoftmaxCrossEntropy.gradient(x, n, classes, labels, g);
            upload(g, dLogits);
        }
        return SoftmaxCrossEntropy.meanLoss(x, n, classes, labels);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
                           float learningRate, float beta1, float beta2, float epsilon, long t) {
        checkSameSize(param, grad);
        checkSameSize(param, m);
        checkSameSize(param, v);
        ops.adamUpdate(buffer(param), buffer(grad), buffer(m), buffer(v), param.size(), learningRate, beta1, beta2,
                epsilon, t);
    }

    /** Frees every tensor of this backend and releases the device. */
    @Override
    public void close() {
        context.close();
    }

    private static DeviceBuffer buffer(Tensor t) {
        if (t instanceof CudaTensor c) {
            return c.buffer();
        }
        throw new IllegalArgumentException(t + " does not live on the CUDA backend");
    }

    private static void checkSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("size mismatch: " + a + " vs " + b);
        }
    }
}
