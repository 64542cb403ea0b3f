package io.dcgan4j.kernels.cuda;

import static io.dcgan4j.kernels.cuda.CudaOps.THREADS;
import static io.dcgan4j.kernels.cuda.CudaOps.ceilDiv;
import static io.dcgan4j.kernels.cuda.CudaOps.elementwiseBlocks;
import static io.dcgan4j.kernels.cuda.CudaOps.requireFloats;

/**
 * Batch normalisation over {@code rows = N·H·W} per channel on the device, planned for one size, with the contract
 * of the CPU's {@code BatchNormKernel} (Keras's fused BatchNormalization, keras-semantics §2): mean and biased
 * variance in two passes, summed in double over fixed row chunks; backward overwrites dx and adds into dGamma and
 * dBeta; the moving variance receives the Bessel-corrected batch variance.
 *
 * <p>Legend: {@code x, y, dy, dx [rows, channels]}; statistics and parameters {@code [channels]}.
 */
public final class CudaBatchNorm {

    private final CudaContext context;
    private final int rows;
    private final int channels;
    private final CudaOps.ColumnSums sums;
    private final DeviceBuffer secondPartial;
    private final DeviceBuffer meanDouble;
    private final DeviceBuffer scale;
    private final DeviceBuffer coefficients;

    CudaBatchNorm(CudaOps ops, int rows, int channels) {
        this.context = ops.context();
        this.rows = rows;
        this.channels = channels;
        this.sums = ops.columnSums(rows, channels);
        this.secondPartial = context.allocateDoubles((long) sums.chunks() * channels);
        this.meanDouble = context.allocateDoubles(channels);
        this.scale = context.allocateFloats(channels);
        this.coefficients = context.allocateFloats(3L * channels);
    }

    /** Normalises with the batch's mean and biased variance and records them (with 1/sqrt(var + eps)). */
    public void forwardTraining(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, float epsilon, DeviceBuffer y,
                                DeviceBuffer batchMean, DeviceBuffer batchVariance, DeviceBuffer batchInvStd) {
        requireActivations(x, "x");
        requireActivations(y, "y");
        requireChannels(gamma, "gamma");
        requireChannels(beta, "beta");
        requireChannels(batchMean, "batchMean");
        requireChannels(batchVariance, "batchVariance");
        requireChannels(batchInvStd, "batchInvStd");
        DeviceBuffer partial = sums.partial();
        int chunks = sums.chunks();
        sums.partialSums(CudaOps.ColumnSums.Term.VALUE, x, null, null, null, null, partial);
        perChannel(CudaKernel.BATCH_NORM_MEAN, partial, chunks, channels, rows, meanDouble, batchMean);
        sums.partialSums(CudaOps.ColumnSums.Term.CENTRED_SQUARE, x, null, meanDouble, null, null, partial);
        perChannel(CudaKernel.BATCH_NORM_VARIANCE, partial, chunks, channels, rows, epsilon, batchVariance,
                batchInvStd);
        perChannel(CudaKernel.BATCH_NORM_TRAINING_SCALE, gamma, batchInvStd, channels, scale);
        apply(x, batchMean, beta, y);
    }

    /** Normalises with the moving statistics. */
    public void forwardInference(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer movingMean,
                                 DeviceBuffer movingVariance, float epsilon, DeviceBuffer y) {
        requireActivations(x, "x");
        requireActivations(y, "y");
        requireChannels(gamma, "gamma");
        requireChannels(beta, "beta");
        requireChannels(movingMean, "movingMean");
        requireChannels(movingVariance, "movingVariance");
        perChannel(CudaKernel.BATCH_NORM_INFERENCE_SCALE, gamma, movingVariance, epsilon, channels, scale);
        apply(x, movingMean, beta, y);
    }

    /** Overwrites dx; adds into dGamma and dBeta. */
    public void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma, DeviceBuffer batchMean,
                         DeviceBuffer batchInvStd, DeviceBuffer dx, DeviceBuffer dGamma, DeviceBuffer dBeta) {
        requireActivations(x, "x");
        requireActivations(dy, "dy");
        requireActivations(dx, "dx");
        requireChannels(gamma, "gamma");
        requireChannels(batchMean, "batchMean");
        requireChannels(batchInvStd, "batchInvStd");
        requireChannels(dGamma, "dGamma");
        requireChannels(dBeta, "dBeta");
        DeviceBuffer partial = sums.partial();
        sums.partialSums(CudaOps.ColumnSums.Term.VALUE, dy, null, null, null, null, partial);
        sums.partialSums(CudaOps.ColumnSums.Term.DY_XHAT, x, dy, null, batchMean, batchInvStd, secondPartial);
        perChannel(CudaKernel.BATCH_NORM_BACKWARD_SUMS, partial, secondPartial, sums.chunks(), channels, rows, gamma,
                batchInvStd, dGamma, dBeta, coefficients);
        context.launch(CudaKernel.BATCH_NORM_BACKWARD_INPUT, elementwiseBlocks((long) rows * channels), 1, 1,
                THREADS, 1, x, dy, batchMean, batchInvStd, coefficients, rows, channels, dx);
    }

    /** Keras's fused moving-average update with the Bessel-corrected batch variance. */
    public void updateMovingAverages(DeviceBuffer movingMean, DeviceBuffer movingVariance, DeviceBuffer batchMean,
                                     DeviceBuffer batchVariance, float momentum) {
        if (!(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        }
        requireChannels(movingMean, "movingMean");
        requireChannels(movingVariance, "movingVariance");
        requireChannels(batchMean, "batchMean");
        requireChannels(batchVariance, "batchVariance");
        perChannel(CudaKernel.BATCH_NORM_MOVING_AVERAGES, movingMean, movingVariance, batchMean, batchVariance,
                channels, rows, momentum);
    }

    private void apply(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer beta, DeviceBuffer y) {
        context.launch(CudaKernel.BATCH_NORM_APPLY, elementwiseBlocks((long) rows * channels), 1, 1, THREADS, 1,
                x, mean, scale, beta, rows, channels, y);
    }

    /** A kernel with one thread per channel. */
    private void perChannel(CudaKernel kernel, Object... arguments) {
        context.launch(kernel, ceilDiv(channels, THREADS), 1, 1, THREADS, 1, arguments);
    }

    private void requireActivations(DeviceBuffer b, String name) {
        requireFloats(b, (long) rows * channels, name);
    }

    private void requireChannels(DeviceBuffer b, String name) {
        requireFloats(b, channels, name);
    }
}
