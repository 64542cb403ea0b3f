package io.dcgan4j.kernels.cpu;

import java.util.Arrays;
import java.util.Objects;

/**
 * Conv2D, padding valid, as im2col + GEMM; the specification is {@link Conv2dReference}.
 *
 * <pre>
 * N batch, H×W input size, C input channels, O filters, KH×KW kernel, s stride, P = OH·OW output pixels
 * x      [N,H,W,C]          kernel [KH,KW,C,O] = Kmat [KH·KW·C, O] (its Keras layout, row-major)
 * y, dy  [N,OH,OW,O]        bias   [O]
 * cols   [chunk·P, KH·KW·C] one row per output pixel: its input patch in (di, dj, c) order
 *
 * forward         y    = cols · Kmat + bias
 * backwardInput   dx   = col2im(dy · Kmatᵀ)
 * backwardWeight  dw  += colsᵀ · dy        dBias += Σ_pixels dy
 * </pre>
 * The batch is processed in chunks of samples whose size depends on the shape only, so the column scratch stays a
 * few MB and the weight gradient, summed chunk by chunk in chunk order, is the same for every thread count. The
 * weight gradient takes larger chunks, in scratch of its own made by its first call, so that its GEMM adds into dw
 * fewer times. The pool
 * runs im2col, col2im and the bias work, one task per image row; the GEMM parallelises itself.
 *
 * <p>With at most {@link Conv2dDirect#MAX_FILTERS} filters the GEMM is little more than dot products over a patch
 * matrix many times the size of y, so it is bound by memory; such shapes go to {@link Conv2dDirect} instead, chosen
 * once here from the shape.
 *
 * <p>A plan: it owns its scratch and serves one caller at a time.
 */
public final class Conv2d implements ConvKernel {

    private final Parallel pool;
    private final Gemm gemm;
    private final ConvShape shape;
    private final Patches patches;
    private final int chunk;
    private final int pixels;
    /** The direct path for few filters; null when this plan uses im2col + GEMM. */
    private final Conv2dDirect direct;
    /** [chunk·P, KH·KW·C], empty on the direct path: patches of x (forward) or their gradient (backwardInput). */
    private final float[] cols;
    /** Samples per chunk of backwardWeight. */
    private final int weightChunk;
    /** [weightChunk·P, KH·KW·C] and [weightChunk·OH, O]: backwardWeight's cols and bias partials, made on first use. */
    private float[] weightCols;
    private float[] biasPartials;
    /** [O]: the bias gradient of one call, summed over the chunks in double. */
    private final double[] biasSums;
    /** The kernel as op(B) of the forward GEMM (Kmat) and of the input-gradient GEMM (Kmatᵀ), packed once a call. */
    private final Gemm.PackedB forwardWeights;
    private final Gemm.PackedB inputGradWeights;

    private final Parallel.Task forwardTask = this::forwardRow;
    private final Parallel.Task inputGradTask = this::inputGradRow;
    private final Parallel.Task weightGradTask = this::weightGradRow;

    // Arguments of the call in progress, read by the tasks.
    private float[] argX;
    private float[] argBias;
    private float[] argY;
    private float[] argDy;
    private float[] argDx;
    private int chunkStart;

    /** A plan for {@code shape}, which must be a Conv2D (not transposed). */
    public Conv2d(Parallel pool, Gemm gemm, ConvShape shape) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.gemm = Objects.requireNonNull(gemm, "gemm");
        this.shape = Checks.requireConvShape(shape, false, "Conv2d");
        patches = new Patches(shape.inH(), shape.inW(), shape.inC(), shape.kernelH(), shape.kernelW(),
                shape.stride(), shape.outH(), shape.outW());
        chunk = patches.samplesPerChunk(shape.batch());
        pixels = shape.outH() * shape.outW();
        direct = shape.outC() <= Conv2dDirect.MAX_FILTERS ? new Conv2dDirect(pool, shape) : null;
        cols = new float[direct != null ? 0 : chunk * patches.colsSize()];
        weightChunk = patches.samplesPerWeightChunk(shape.batch());
        biasSums = new double[shape.outC()];
        forwardWeights = direct != null ? null : gemm.newPackedB(patches.patchSize, shape.outC());
        inputGradWeights = direct != null ? null : gemm.newPackedB(shape.outC(), patches.patchSize);
    }

    @Override
    public ConvShape shape() {
        return shape;
    }

    @Override
    public void forward(float[] x, float[] w, float[] bias, float[] y) {
        Checks.requireConvForward(shape, x, w, bias, y);
        if (direct != null) {
            direct.forward(x, w, bias, y);
            return;
        }
        argX = x;
        argBias = bias;
        argY = y;
        int outC = shape.outC();
        int k = patches.patchSize;
        gemm.packB(false, w, 0, outC, forwardWeights);
        for (int n0 = 0; n0 < shape.batch(); n0 += chunk) {
            int samples = Math.min(chunk, shape.batch() - n0);
            chunkStart = n0;
            pool.run(samples * shape.outH(), forwardTask);
            gemm.gemm(false, samples * pixels, cols, 0, k, forwardWeights, y, n0 * pixels * outC, outC, true);
        }
    }

    /** Task (sample, oy): im2col of output row oy, and y's row set to the bias for the GEMM to add onto. */
    private void forwardRow(int index, int worker) {
        int sample = index / shape.outH();
        int oy = index % shape.outH();
        int n = chunkStart + sample;
        patches.gather(argX, n * patches.imageSize(), oy, cols, sample * patches.colsSize());
        int outC = shape.outC();
        int row = (n * shape.outH() + oy) * shape.outW() * outC;
        Patches.fillPixels(argBias, outC, argY, row, shape.outW());
    }

    @Override
    public void backwardInput(float[] dy, float[] w, float[] dx) {
        Checks.requireConvBackwardInput(shape, dy, w, dx);
        if (direct != null) {
            direct.backwardInput(dy, w, dx);
            return;
        }
        argDx = dx;
        int outC = shape.outC();
        int k = patches.patchSize;
        gemm.packB(true, w, 0, outC, inputGradWeights);
        for (int n0 = 0; n0 < shape.batch(); n0 += chunk) {
            int samples = Math.min(chunk, shape.batch() - n0);
            chunkStart = n0;
            gemm.gemm(false, samples * pixels, dy, n0 * pixels * outC, outC, inputGradWeights, cols, 0, k, false);
            pool.run(samples * shape.inH(), inputGradTask);
        }
    }

    /** Task (sample, input row): col2im of the patch gradients into that row of dx. */
    private void inputGradRow(int index, int worker) {
        int sample = index / shape.inH();
        int row = index % shape.inH();
        int n = chunkStart + sample;
        int rowOff = n * patches.imageSize() + row * patches.imageRowSize();
        Arrays.fill(argDx, rowOff, rowOff + patches.imageRowSize(), 0f);
        patches.addRow(cols, sample * patches.colsSize(), row, argDx, rowOff);
    }

    @Override
    public void backwardWeight(float[] x, float[] dy, float[] dw, float[] dBias) {
        Checks.requireConvBackwardWeight(shape, x, dy, dw, dBias);
        if (direct != null) {
            direct.backwardWeight(x, dy, dw, dBias);
            return;
        }
        argX = x;
        argDy = dy;
        int outC = shape.outC();
        int k = patches.patchSize;
        Arrays.fill(biasSums, 0.0);
        if (weightCols == null) {
            weightCols = new float[weightChunk * patches.colsSize()];
            biasPartials = new float[weightChunk * shape.outH() * outC];
        }
        for (int n0 = 0; n0 < shape.batch(); n0 += weightChunk) {
            int samples = Math.min(weightChunk, shape.batch() - n0);
            chunkStart = n0;
            int tasks = samples * shape.outH();
            pool.run(tasks, weightGradTask);
            gemm.gemm(true, false, k, outC, samples * pixels,
                    weightCols, 0, k, dy, n0 * pixels * outC, outC, dw, 0, outC, true);
            for (int t = 0; t < tasks; t++) {
                for (int o = 0; o < outC; o++) {
                    biasSums[o] += biasPartials[t * outC + o];
                }
            }
        }
        for (int o = 0; o < outC; o++) {
            dBias[o] += (float) biasSums[o];
        }
    }

    /** Task (sample, oy): im2col of output row oy, and the sum of dy over that row into the task's partial. */
    private void weightGradRow(int index, int worker) {
        int sample = index / shape.outH();
        int oy = index % shape.outH();
        int n = chunkStart + sample;
        patches.gather(argX, n * patches.imageSize(), oy, weightCols, sample * patches.colsSize());
        int outC = shape.outC();
        int partial = index * outC;
        int row = (n * shape.outH() + oy) * shape.outW() * outC;
        System.arraycopy(argDy, row, biasPartials, partial, outC);
        for (int ox = 1; ox < shape.outW(); ox++) {
            Patches.add(argDy, row + ox * outC, biasPartials, partial, outC);
        }
    }
}
