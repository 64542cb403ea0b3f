package io.dcgan4j.engine.backend.cpu;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.BatchNormOp;
import io.dcgan4j.engine.backend.ConvOp;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.kernels.cpu.ActivationKernel;
import io.dcgan4j.kernels.cpu.Activations;
import io.dcgan4j.kernels.cpu.ActivationsReference;
import io.dcgan4j.kernels.cpu.Adam;
import io.dcgan4j.kernels.cpu.AdamKernel;
import io.dcgan4j.kernels.cpu.AdamReference;
import io.dcgan4j.kernels.cpu.BatchNorm;
import io.dcgan4j.kernels.cpu.BatchNormKernel;
import io.dcgan4j.kernels.cpu.BatchNormReference;
import io.dcgan4j.kernels.cpu.BinaryCrossEntropy;
import io.dcgan4j.kernels.cpu.Conv2d;
import io.dcgan4j.kernels.cpu.Conv2dReference;
import io.dcgan4j.kernels.cpu.ConvKernel;
import io.dcgan4j.kernels.cpu.ConvShape;
import io.dcgan4j.kernels.cpu.ConvTranspose2d;
import io.dcgan4j.kernels.cpu.ConvTranspose2dReference;
import io.dcgan4j.kernels.cpu.Gemm;
import io.dcgan4j.kernels.cpu.GemmReference;
import io.dcgan4j.kernels.cpu.Parallel;
import io.dcgan4j.kernels.cpu.SoftmaxCrossEntropy;
import io.dcgan4j.kernels.cpu.VectorGemm;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

/**
 * The CPU backend: Vector API kernels over Java arrays on a fixed thread pool. Results are bit-identical for any
 * thread count (see {@link Parallel}).
 *
 * <p>{@link Kernels#REFERENCE} runs the plain scalar references instead: slow, and meant for checking a suspect
 * result against the specification.
 */
public final class CpuBackend implements Backend {

    /** Which implementation of each kernel runs. */
    public enum Kernels { VECTOR, REFERENCE }

    private final Parallel pool;
    private final Kernels kernels;
    private final Gemm gemm;
    private final ActivationKernel activations;
    private final AdamKernel adam;

    /** A backend with the Vector API kernels on {@code threads} threads. */
    public CpuBackend(int threads) {
        this(threads, Kernels.VECTOR);
    }

    public CpuBackend(int threads, Kernels kernels) {
        this.pool = new Parallel(threads);
        this.kernels = kernels;
        boolean fast = kernels == Kernels.VECTOR;
        this.gemm = fast ? new VectorGemm(pool) : new GemmReference();
        this.activations = fast ? new Activations(pool) : new ActivationsReference();
        this.adam = fast ? new Adam(pool) : new AdamReference();
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public String describe() {
        return "cpu (" + pool.threads() + (pool.threads() == 1 ? " thread, " : " threads, ")
                + (kernels == Kernels.VECTOR ? FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors)"
                : "scalar reference kernels)");
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
        return new CpuTensor(new float[(int) n], shape);
    }

    @Override
    public void upload(float[] source, Tensor destination) {
        float[] d = data(destination);
        if (source.length < d.length) {
            throw new IllegalArgumentException("source holds " + source.length + " floats, " + destination
                    + " needs " + d.length);
        }
        System.arraycopy(source, 0, d, 0, d.length);
    }

    @Override
    public void download(Tensor source, float[] destination) {
        float[] s = data(source);
        if (destination.length < s.length) {
            throw new IllegalArgumentException("destination holds " + destination.length + " floats, " + source
                    + " has " + s.length);
        }
        System.arraycopy(s, 0, destination, 0, s.length);
    }

    @Override
    public void fill(Tensor tensor, float value) {
        Arrays.fill(data(tensor), value);
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        checkSameSize(source, destination);
        System.arraycopy(data(source), 0, data(destination), 0, source.size());
    }

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor bias, Tensor y) {
        int n = x.dim(0), in = w.dim(0), out = w.dim(1);
        gemm.gemm(false, false, n, out, in, data(x), 0, in, data(w), 0, out, data(y), 0, out, false);
        if (bias != null) {
            float[] yd = data(y), b = data(bias);
            for (int r = 0; r < n; r++) {
                int row = r * out;
                for (int j = 0; j < out; j++) {
                    yd[row + j] += b[j];
                }
            }
        }
    }

    @Override
    public void denseBackwardInput(Tensor dy, Tensor w, Tensor dx) {
        int n = dy.dim(0), in = w.dim(0), out = w.dim(1);
        gemm.gemm(false, true, n, in, out, data(dy), 0, out, data(w), 0, out, data(dx), 0, in, false);
    }

    @Override
    public void denseBackwardWeight(Tensor x, Tensor dy, Tensor dw, Tensor dBias) {
        int n = x.dim(0), in = dw.dim(0), out = dw.dim(1);
        gemm.gemm(true, false, in, out, n, data(x), 0, in, data(dy), 0, out, data(dw), 0, out, true);
        if (dBias != null) {
            float[] g = data(dy), db = data(dBias);
            for (int j = 0; j < out; j++) {
                double sum = 0;
                for (int r = 0; r < n; r++) {
                    sum += g[r * out + j];
                }
                db[j] += (float) sum;
            }
        }
    }

    @Override
    public ConvOp conv(ConvShape shape) {
        boolean fast = kernels == Kernels.VECTOR;
        ConvKernel k;
        if (shape.transposed()) {
            k = fast ? new ConvTranspose2d(pool, gemm, shape) : new ConvTranspose2dReference(shape);
        } else {
            k = fast ? new Conv2d(pool, gemm, shape) : new Conv2dReference(shape);
        }
        return new ConvOp() {
            @Override
            public ConvShape shape() {
                return shape;
            }

            @Override
            public void forward(Tensor x, Tensor kernel, Tensor bias, Tensor y) {
                k.forward(data(x), data(kernel), data(bias), data(y));
            }

            @Override
            public void backwardInput(Tensor dy, Tensor kernel, Tensor dx) {
                k.backwardInput(data(dy), data(kernel), data(dx));
            }

            @Override
            public void backwardWeight(Tensor x, Tensor dy, Tensor dKernel, Tensor dBias) {
                k.backwardWeight(data(x), data(dy), data(dKernel), data(dBias));
            }
        };
    }

    @Override
    public BatchNormOp batchNorm(int rows, int channels) {
        BatchNormKernel k = kernels == Kernels.VECTOR ? new BatchNorm(pool, rows, channels)
                : new BatchNormReference(rows, channels);
        return new BatchNormOp() {
            @Override
            public void forwardTraining(Tensor x, Tensor gamma, Tensor beta, float epsilon, Tensor y,
                                        Tensor batchMean, Tensor batchVariance, Tensor batchInvStd) {
                k.forwardTraining(data(x), data(gamma), data(beta), epsilon, data(y), data(batchMean),
                        data(batchVariance), data(batchInvStd));
            }

            @Override
            public void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor movingMean,
                                         Tensor movingVariance, float epsilon, Tensor y) {
                k.forwardInference(data(x), data(gamma), data(beta), data(movingMean), data(movingVariance),
                        epsilon, data(y));
            }

            @Override
            public void backward(Tensor x, Tensor dy, Tensor gamma, Tensor batchMean, Tensor batchInvStd,
                                 Tensor dx, Tensor dGamma, Tensor dBeta) {
                k.backward(data(x), data(dy), data(gamma), data(batchMean), data(batchInvStd), data(dx),
                        data(dGamma), data(dBeta));
            }

            @Override
            public void updateMovingAverages(Tensor movingMean, Tensor movingVariance, Tensor batchMean,
                                             Tensor batchVariance, float momentum) {
                BatchNormKernel.updateMovingAverages(data(movingMean), data(movingVariance), data(batchMean),
                        data(batchVariance), rows, momentum);
            }
        };
    }

    @Override
    public void leakyReluForward(Tensor x, Tensor y, float alpha) {
        checkSameSize(x, y);
        activations.leakyReluForward(data(x), data(y), x.size(), alpha);
    }

    @Override
    public void leakyReluBackward(Tensor x, Tensor dy, Tensor dx, float alpha) {
        checkSameSize(x, dy);
        checkSameSize(x, dx);
        activations.leakyReluBackward(data(x), data(dy), data(dx), x.size(), alpha);
    }

    @Override
    public void tanhForward(Tensor x, Tensor y) {
        checkSameSize(x, y);
        activations.tanhForward(data(x), data(y), x.size());
    }

    @Override
    public void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        checkSameSize(y, dy);
        checkSameSize(y, dx);
        activations.tanhBackward(data(y), data(dy), data(dx), y.size());
    }

    @Override
    public float binaryCrossEntropy(Tensor logits, float label, Tensor dLogits) {
        float[] x = data(logits);
        if (dLogits != null) {
            checkSameSize(logits, dLogits);
            BinaryCrossEntropy.gradient(x, logits.size(), label, data(dLogits));
        }
        return BinaryCrossEntropy.meanLoss(x, logits.size(), label);
    }

    @Override
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dLogits) {
        float[] x = data(logits);
        int n = logits.dim(0), classes = logits.size() / n;
        if (dLogits != null) {
            checkSameSize(logits, dLogits);
            SoftmaxCrossEntropy.gradient(x, n, classes, labels, data(dLogits));
        }
        return SoftmaxCrossEntropy.meanLoss(x, n, classes, labels);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
                           float learningRate, float beta1, float beta2, float epsilon, long t) {
        checkSameSize(param, grad);
        checkSameSize(param, m);
        checkSameSize(param, v);
        adam.update(data(param), data(grad), data(m), data(v), param.size(), learningRate, beta1, beta2, epsilon, t);
    }

    @Override
    public void close() {
        pool.close();
    }

    private static float[] data(Tensor t) {
        if (t instanceof CpuTensor c) {
            return c.data();
        }
        throw new IllegalArgumentException(t + " does not live on the CPU backend");
    }

    private static void checkSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("size mismatch: " + a + " vs " + b);
        }
    }
}
