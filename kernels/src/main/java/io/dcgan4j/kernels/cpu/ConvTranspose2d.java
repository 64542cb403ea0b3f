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
 * cols   [S·Q, KH·KW·F]     one row per input pixel of S samples: what it adds to its output patch, (di, dj, f)
 *
 * forward         y    = col2im(x · Kmatᵀ) + bias
 * backwardInput   dx   = im2col(dy) · Kmat
 * backwardWeight  dw  += im2col(dy)ᵀ · x    dBias += Σ_pixels dy
 * </pre>
 * im2col(dy) gathers, for each input pixel, the output patch it wrote to. Output pixels that no patch covers (only
 * when the kernel is smaller than the stride) receive just the bias and feed no input gradient. When the kernel
 * equals the stride, col2im is a pure permutation.
 *
 * <p>The forward pass and the input gradient share out whole samples: each task takes a few samples (enough for a
 * product of {@link #MIN_TASK_ROWS} rows), and its thread runs their product ({@link Gemm#gemmOnWorker}), im2col and
 * col2im with cols of its own, so the cols stay in that core's cache and a pass needs no other synchronisation. In
 * alternating runs on 2 threads against chunks of samples whose products the threads shared, g_convT1, g_convT2 and
 * g_convT3 took 9 %, 11 % and 9 % less time forward and 23 %, 9 % and 9 % less for the input gradient. Every sample
 * is computed the same way whichever thread takes it.
 *
 * <p>The weight gradient adds all samples into one dw: it takes chunks of samples whose size depends on the shape
 * only, in scratch made by its first call, and sums them in chunk order, so it is the same for every thread count.
 * Its GEMM parallelises itself and reads im2col(dy) from dy where it lies ({@link Gemm#gemmGatheredT}); the pool
 * sums the bias gradient, one task per sample. With a task per output row, g_convT3's bias gradient (64 rows of 64
 * three-channel pixels a sample) took 0.46-0.52 ms for 64 samples on one thread, against 0.14-0.16 ms.
 *
 * <p>A plan: it owns its scratch and serves one caller at a time.
 */
public final class ConvTranspose2d implements ConvKernel {

    /** Fewest rows (input pixels) of a forward or input-gradient task's product. */
    private static final int MIN_TASK_ROWS = 64;

    private final Parallel pool;
    private final Gemm gemm;
    private final ConvShape shape;
    private final Patches patches;
    private final int pixels;
    /**
     * Samples per forward or input-gradient task: enough that its product has {@link #MIN_TASK_ROWS} rows. One
     * sample of g_convT1 (3×3 input) is 9 rows, which would stream its 4.7 MB of packed weights past one micro-panel.
     */
    private final int samplesPerTask;
    /**
     * Per thread, [samplesPerTask·Q, KH·KW·F]: one task's per-input-pixel output patches (forward) or patches of dy
     * (backwardInput).
     */
    private final float[][] ownCols;
    /** Samples per chunk of backwardWeight. */
    private final int weightChunk;
    /**
     * backwardWeight's im2col(dy) as a gathered matrix over dy (where each input pixel's output patch starts, for the
     * whole batch, and each patch element's offset) and its bias partials [weightChunk, F], made on first use.
     */
    private int[] patchStarts;
    private int[] patchOffsets;
    private float[] biasPartials;
    /** The bias repeated over whole pixels and whole vectors ({@link Patches#repeatPixels}), set by each forward. */
    private final float[] biasPattern;
    /** [F]: the bias gradient of one call, summed over the chunks in double. */
    private final double[] biasSums;
    /** The kernel as op(B) of the forward GEMM (Kmatᵀ) and of the input-gradient GEMM (Kmat), packed once a call. */
    private final Gemm.PackedB forwardWeights;
    private final Gemm.PackedB inputGradWeights;

    private final Parallel.Task forwardTask = this::forwardTask;
    private final Parallel.Task inputGradTask = this::inputGradTask;
    private final Parallel.Task biasGradTask = this::biasGradSample;

    // Arguments of the call in progress, read by the tasks.
    private float[] argX;
    private float[] argY;
    private float[] argDy;
    private float[] argDx;
    private int chunkStart;

    /** A plan for {@code shape}, which must be a Conv2DTranspose. */
    public ConvTranspose2d(Parallel pool, Gemm gemm, ConvShape shape) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.gemm = Objects.requireNonNull(gemm, "gemm");
        this.shape = Checks.requireConvShape(shape, true, "ConvTranspose2d");
        patches = patches(shape);
        pixels = shape.inH() * shape.inW();
        samplesPerTask = samplesPerTask(shape);
        ownCols = new float[pool.threads()][samplesPerTask * patches.colsSize()];
        weightChunk = weightChunkSamples(shape);
        biasSums = new double[shape.outC()];
        biasPattern = new float[Patches.pixelPeriod(shape.outC())];
        forwardWeights = gemm.newPackedB(shape.inC(), patches.patchSize);
        inputGradWeights = gemm.newPackedB(patches.patchSize, shape.inC());
    }

    @Override
    public ConvShape shape() {
        return shape;
    }

    /**
     * Samples per forward or input-gradient task for {@code shape}: enough for a product of {@link #MIN_TASK_ROWS}
     * rows (input pixels), at most the batch. Each task makes one {@link Gemm#gemmOnWorker} call of that many rows.
     */
    public static int samplesPerTask(ConvShape shape) {
        int pixels = shape.inH() * shape.inW();
        return Math.min(shape.batch(), (MIN_TASK_ROWS + pixels - 1) / pixels);
    }

    /** The patch grid of {@code shape}: the output y and the input grid. */
    private static Patches patches(ConvShape shape) {
        return new Patches(shape.outH(), shape.outW(), shape.outC(), shape.kernelH(), shape.kernelW(),
                shape.stride(), shape.inH(), shape.inW());
    }

    /** Samples per weight-gradient chunk for {@code shape}: the depth of its GEMM is that many samples' pixels. */
    public static int weightChunkSamples(ConvShape shape) {
        return patches(shape).samplesPerWeightChunk(shape.batch());
    }

    @Override
    public void forward(float[] x, float[] w, float[] bias, float[] y) {
        Checks.requireConvForward(shape, x, w, bias, y);
        argX = x;
        argY = y;
        Patches.repeatPixels(bias, shape.outC(), biasPattern);
        gemm.packB(true, w, 0, shape.inC(), forwardWeights);
        pool.run(tasks(), forwardTask);
    }

    /** Forward and input-gradient tasks: {@link #samplesPerTask} samples each. */
    private int tasks() {
        return (shape.batch() + samplesPerTask - 1) / samplesPerTask;
    }

    /**
     * Task: {@link #samplesPerTask} samples' patch products, x · Kmatᵀ, into the thread's own cols, then their output
     * rows set to the bias and col2im'd.
     */
    private void forwardTask(int task, int worker) {
        int n0 = task * samplesPerTask;
        int samples = Math.min(samplesPerTask, shape.batch() - n0);
        int inC = shape.inC();
        float[] taskCols = ownCols[worker];
        gemm.gemmOnWorker(worker, false, samples * pixels, argX, n0 * pixels * inC, inC, forwardWeights, taskCols, 0,
                patches.patchSize, false);
        for (int sample = 0; sample < samples; sample++) {
            int image = (n0 + sample) * patches.imageSize();
            for (int row = 0; row < shape.outH(); row++) {
                int rowOff = image + row * patches.imageRowSize();
                Patches.fillRepeating(biasPattern, argY, rowOff, patches.imageRowSize());
                patches.addRow(taskCols, sample * patches.colsSize(), row, argY, rowOff);
            }
        }
    }

    @Override
    public void backwardInput(float[] dy, float[] w, float[] dx) {
        Checks.requireConvBackwardInput(shape, dy, w, dx);
        argDy = dy;
        argDx = dx;
        gemm.packB(false, w, 0, shape.inC(), inputGradWeights);
        pool.run(tasks(), inputGradTask);
    }

    /** Task: im2col of {@link #samplesPerTask} samples' dy into the thread's own cols, then their rows of dx. */
    private void inputGradTask(int task, int worker) {
        int n0 = task * samplesPerTask;
        int samples = Math.min(samplesPerTask, shape.batch() - n0);
        int inC = shape.inC();
        float[] taskCols = ownCols[worker];
        for (int sample = 0; sample < samples; sample++) {
            for (int row = 0; row < shape.inH(); row++) {
                patches.gather(argDy, (n0 + sample) * patches.imageSize(), row, taskCols,
                        sample * patches.colsSize());
            }
        }
        gemm.gemmOnWorker(worker, false, samples * pixels, taskCols, 0, patches.patchSize, inputGradWeights, argDx,
                n0 * pixels * inC, inC, false);
    }

    @Override
    public void backwardWeight(float[] x, float[] dy, float[] dw, float[] dBias) {
        Checks.requireConvBackwardWeight(shape, x, dy, dw, dBias);
        argDy = dy;
        int inC = shape.inC();
        int outC = shape.outC();
        Arrays.fill(biasSums, 0.0);
        if (patchStarts == null) {
            patchStarts = patches.patchStarts(shape.batch());
            patchOffsets = patches.patchOffsets();
            biasPartials = new float[weightChunk * outC];
        }
        for (int n0 = 0; n0 < shape.batch(); n0 += weightChunk) {
            int samples = Math.min(weightChunk, shape.batch() - n0);
            chunkStart = n0;
            gemm.gemmGatheredT(patches.patchSize, inC, samples * pixels, dy, patchStarts, n0 * pixels,
                    patchOffsets, x, n0 * pixels * inC, inC, dw, 0, inC, true);
            pool.run(samples, biasGradTask);
            for (int t = 0; t < samples; t++) {
                for (int f = 0; f < outC; f++) {
                    biasSums[f] += biasPartials[t * outC + f];
                }
            }
        }
        for (int f = 0; f < outC; f++) {
            dBias[f] += (float) biasSums[f];
        }
    }

    /** Task: the sum of one sample's dy over its pixels into the sample's partial. */
    private void biasGradSample(int index, int worker) {
        int outC = shape.outC();
        Patches.sumPixels(argDy, (chunkStart + index) * patches.imageSize(), shape.outH() * shape.outW(), outC,
                biasPartials, index * outC);
    }
}
