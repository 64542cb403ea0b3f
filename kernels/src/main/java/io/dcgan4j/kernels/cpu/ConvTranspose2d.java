package io.dcgan4j.kernels.cpu;

import java.util.Arrays;
import java.util.Objects;

/**
 * Conv2DTranspose, padding valid, as GEMM + col2im; the specification is {@link ConvTranspose2dReference}.
 *
 * <pre>
 * N batch, H×W input size, C input channels, F filters, KH×KW kernel, s stride, Q = H·W input pixels
 * x, dx  [N,H,W,C]          kernel [KH,KW,F,C] = Kmat [KH·KW·F, C] (its Keras layout, row-major)
 * y, dy  [N,OH,OW,F]        bias   [F]          OH = H·s + max(KH − s, 0), likewise OW
 * cols   [chunk·Q, KH·KW·F] one row per input pixel: what it adds to its output patch, in (di, dj, f) order
 *
 * forward         y    = col2im(x · Kmatᵀ) + bias
 * backwardInput   dx   = im2col(dy) · Kmat
 * backwardWeight  dw  += im2col(dy)ᵀ · x    dBias += Σ_pixels dy
 * </pre>
 * im2col(dy) gathers, for each input pixel, the output patch it wrote to. Output pixels that no patch covers (only
 * when the kernel is smaller than the stride) receive just the bias and feed no input gradient. When the kernel
 * equals the stride, col2im is a pure permutation.
 *
 * <p>The batch is processed in chunks of samples whose size depends on the shape only, so the column scratch stays a
 * few MB and the weight gradient, summed chunk by chunk in chunk order, is the same for every thread count. The
 * weight gradient takes larger chunks, in scratch of its own made by its first call, so that its GEMM adds into dw
 * fewer times. The pool
 * runs im2col, col2im and the bias work, one task per image row; the GEMM parallelises itself.
 *
 * <p>A plan: it owns its scratch and serves one caller at a time.
 */
public final class ConvTranspose2d implements ConvKernel {

    private final Parallel pool;
    private final Gemm gemm;
    private final ConvShape shape;
    private final Patches patches;
    private final int chunk;
    private final int pixels;
    /** [chunk·Q, KH·KW·F]: per-input-pixel output patches (forward) or the patches of dy (backwardInput). */
    private final float[] cols;
    /** Samples per chunk of backwardWeight. */
    private final int weightChunk;
    /** [weightChunk·Q, KH·KW·F] and [weightChunk·OH, F]: backwardWeight's cols and bias partials, made on first use. */
    private float[] weightCols;
    private float[] biasPartials;
    /** [F]: the bias gradient of one call, summed over the chunks in double. */
    private final double[] biasSums;
    /** The kernel as op(B) of the forward GEMM (Kmatᵀ) and of the input-gradient GEMM (Kmat), packed once a call. */
    private final Gemm.PackedB forwardWeights;
    private final Gemm.PackedB inputGradWeights;

    private final Parallel.Task outputRowTask = this::outputRow;
    private final Parallel.Task gatherTask = this::gatherRow;
    private final Parallel.Task biasGradTask = this::biasGradRow;

    // Arguments of the call in progress, read by the tasks.
    private float[] argBias;
    private float[] argY;
    private float[] argDy;
    private int chunkStart;
    /** The cols buffer the gather tasks of the call in progress fill. */
    private float[] gatherCols;

    /** A plan for {@code shape}, which must be a Conv2DTranspose. */
    public ConvTranspose2d(Parallel pool, Gemm gemm, ConvShape shape) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.gemm = Objects.requireNonNull(gemm, "gemm");
        this.shape = Checks.requireConvShape(shape, true, "ConvTranspose2d");
        patches = new Patches(shape.outH(), shape.outW(), shape.outC(), shape.kernelH(), shape.kernelW(),
                shape.stride(), shape.inH(), shape.inW());
        chunk = patches.samplesPerChunk(shape.batch());
        pixels = shape.inH() * shape.inW();
        cols = new float[chunk * patches.colsSize()];
        weightChunk = patches.samplesPerWeightChunk(shape.batch());
        biasSums = new double[shape.outC()];
        forwardWeights = gemm.newPackedB(shape.inC(), patches.patchSize);
        inputGradWeights = gemm.newPackedB(patches.patchSize, shape.inC());
    }

    @Override
    public ConvShape shape() {
        return shape;
    }

    @Override
    public void forward(float[] x, float[] w, float[] bias, float[] y) {
        Checks.requireConvForward(shape, x, w, bias, y);
        argBias = bias;
        argY = y;
        int inC = shape.inC();
        int k = patches.patchSize;
        gemm.packB(true, w, 0, inC, forwardWeights);
        for (int n0 = 0; n0 < shape.batch(); n0 += chunk) {
            int samples = Math.min(chunk, shape.batch() - n0);
            chunkStart = n0;
            gemm.gemm(false, samples * pixels, x, n0 * pixels * inC, inC, forwardWeights, cols, 0, k, false);
            pool.run(samples * shape.outH(), outputRowTask);
        }
    }

    /** Task (sample, output row): the row set to the bias, then col2im of every patch value landing on it. */
    private void outputRow(int index, int worker) {
        int sample = index / shape.outH();
        int row = index % shape.outH();
        int n = chunkStart + sample;
        int outC = shape.outC();
        int rowOff = n * patches.imageSize() + row * patches.imageRowSize();
        Patches.fillPixels(argBias, outC, argY, rowOff, shape.outW());
        patches.addRow(cols, sample * patches.colsSize(), row, argY, rowOff);
    }

    @Override
    public void backwardInput(float[] dy, float[] w, float[] dx) {
        Checks.requireConvBackwardInput(shape, dy, w, dx);
        argDy = dy;
        int inC = shape.inC();
        int k = patches.patchSize;
        gemm.packB(false, w, 0, inC, inputGradWeights);
        for (int n0 = 0; n0 < shape.batch(); n0 += chunk) {
            int samples = Math.min(chunk, shape.batch() - n0);
            chunkStart = n0;
            gatherCols = cols;
            pool.run(samples * shape.inH(), gatherTask);
            gemm.gemm(false, samples * pixels, cols, 0, k, inputGradWeights, dx, n0 * pixels * inC, inC, false);
        }
    }

    /** Task (sample, input row): im2col of dy for the input pixels of that row. */
    private void gatherRow(int index, int worker) {
        int sample = index / shape.inH();
        int row = index % shape.inH();
        patches.gather(argDy, (chunkStart + sample) * patches.imageSize(), row, gatherCols,
                sample * patches.colsSize());
    }

    @Override
    public void backwardWeight(float[] x, float[] dy, float[] dw, float[] dBias) {
        Checks.requireConvBackwardWeight(shape, x, dy, dw, dBias);
        argDy = dy;
        int inC = shape.inC();
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
            gatherCols = weightCols;
            pool.run(samples * shape.inH(), gatherTask);
            gemm.gemm(true, false, k, inC, samples * pixels,
                    weightCols, 0, k, x, n0 * pixels * inC, inC, dw, 0, inC, true);
            int tasks = samples * shape.outH();
            pool.run(tasks, biasGradTask);
            for (int t = 0; t < tasks; t++) {
                for (int f = 0; f < outC; f++) {
                    biasSums[f] += biasPartials[t * outC + f];
                }
            }
        }
        for (int f = 0; f < outC; f++) {
            dBias[f] += (float) biasSums[f];
        }
    }

    /** Task (sample, output row): the sum of dy over that row into the task's partial. */
    private void biasGradRow(int index, int worker) {
        int n = chunkStart + index / shape.outH();
        int outC = shape.outC();
        int partial = index * outC;
        int row = n * patches.imageSize() + (index % shape.outH()) * patches.imageRowSize();
        System.arraycopy(argDy, row, biasPartials, partial, outC);
        for (int ox = 1; ox < shape.outW(); ox++) {
            Patches.add(argDy, row + ox * outC, biasPartials, partial, outC);
        }
    }
}
