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
 * cols   [S·P, KH·KW·C]     one row per output pixel of S samples: its input patch in (di, dj, c) order
 *
 * forward         y    = cols · Kmat + bias
 * backwardInput   dx   = col2im(dy · Kmatᵀ)
 * backwardWeight  dw  += colsᵀ · dy        dBias += Σ_pixels dy
 * </pre>
 * The forward pass and the input gradient share out whole samples, as {@link ConvTranspose2d} does: each task takes
 * enough samples for a product of {@link #MIN_TASK_ROWS} rows and its thread runs their im2col, product
 * ({@link Gemm#gemmOnWorker}) and col2im with cols of its own. The weight gradient adds all samples into one dw: it
 * takes chunks of samples whose size depends on the shape only, in scratch made by its first call, and sums them in
 * chunk order, so it is the same for every thread count. Its GEMM parallelises itself and reads the patches from x
 * where they lie ({@link Gemm#gemmGatheredT}); the pool sums the bias gradient, one task per output row.
 *
 * <p>With few filters ({@link #usesGemm}) the GEMM has a handful of columns over a patch matrix many times the size
 * of y, so it is bound by memory; such shapes go to {@link Conv2dDirect} instead, chosen once here from the shape.
 * With a patch of a handful of values and many filters ({@link #isShallow}) the forward GEMM is a handful of
 * multiply-adds deep and the weight gradient's has a handful of rows; those two passes of such shapes go to
 * {@link Conv2dShallow} (the forward pass to the same bits). Their input gradient stays on im2col + GEMM.
 *
 * <p>A plan: it owns its scratch and serves one caller at a time.
 */
public final class Conv2d implements ConvKernel {

    /** Fewest rows (output pixels) of a forward or input-gradient task's product. */
    private static final int MIN_TASK_ROWS = 64;

    private final Parallel pool;
    private final Gemm gemm;
    private final ConvShape shape;
    private final Patches patches;
    private final int pixels;
    /** The direct path for few filters; null when this plan uses im2col + GEMM. */
    private final Conv2dDirect direct;
    /** The forward pass and weight gradient of a shallow patch and many filters; null unless {@link #isShallow}. */
    private final Conv2dShallow shallow;
    /**
     * Samples per forward or input-gradient task: enough that the task's product has {@link #MIN_TASK_ROWS} rows
     * (d_conv3's 3×3 output is 9 rows a sample).
     */
    private final int samplesPerTask;
    /**
     * Per thread, [samplesPerTask·P, KH·KW·C], empty on the direct path: one task's patches of x (forward) or their
     * gradient (backwardInput).
     */
    private final float[][] ownCols;
    /** Samples per chunk of backwardWeight. */
    private final int weightChunk;
    /**
     * backwardWeight's patch matrix as a gathered matrix over x (where each output pixel's patch starts, for the whole
     * batch, and each patch element's offset) and its bias partials [weightChunk·OH, O], made on first use.
     */
    private int[] patchStarts;
    private int[] patchOffsets;
    private float[] biasPartials;
    /** [O]: the bias gradient of one call, summed over the chunks in double. */
    private final double[] biasSums;
    /** The kernel as op(B) of the forward GEMM (Kmat) and of the input-gradient GEMM (Kmatᵀ), packed once a call. */
    private final Gemm.PackedB forwardWeights;
    private final Gemm.PackedB inputGradWeights;

    private final Parallel.Task forwardTask = this::forwardTask;
    private final Parallel.Task inputGradTask = this::inputGradTask;
    private final Parallel.Task biasGradTask = this::biasGradRow;

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
        patches = patches(shape);
        pixels = shape.outH() * shape.outW();
        direct = usesGemm(shape) ? null : new Conv2dDirect(pool, shape);
        shallow = isShallow(shape) ? new Conv2dShallow(pool, shape, patches.patchOffsets()) : null;
        samplesPerTask = samplesPerTask(shape);
        ownCols = new float[pool.threads()][direct != null ? 0 : samplesPerTask * patches.colsSize()];
        weightChunk = weightChunkSamples(shape);
        biasSums = new double[shape.outC()];
        forwardWeights = direct != null || shallow != null ? null : gemm.newPackedB(patches.patchSize, shape.outC());
        inputGradWeights = direct != null ? null : gemm.newPackedB(shape.outC(), patches.patchSize);
    }

    @Override
    public ConvShape shape() {
        return shape;
    }

    /** Whether a plan for {@code shape} runs im2col + GEMM; with few filters it takes {@link Conv2dDirect}. */
    public static boolean usesGemm(ConvShape shape) {
        return shape.outC() > Conv2dDirect.MAX_FILTERS;
    }

    /**
     * Whether a plan for {@code shape} runs its forward pass and weight gradient on {@link Conv2dShallow}; its input
     * gradient still uses im2col + GEMM.
     */
    public static boolean isShallow(ConvShape shape) {
        return usesGemm(shape) && Conv2dShallow.takes(shape);
    }

    /**
     * Samples per forward or input-gradient task for {@code shape}: enough for a product of {@link #MIN_TASK_ROWS}
     * rows (output pixels), at most the batch. Each task makes one {@link Gemm#gemmOnWorker} call of that many rows.
     */
    public static int samplesPerTask(ConvShape shape) {
        int pixels = shape.outH() * shape.outW();
        return Math.min(shape.batch(), (MIN_TASK_ROWS + pixels - 1) / pixels);
    }

    /** The patch grid of {@code shape}: the input x and the output grid. */
    private static Patches patches(ConvShape shape) {
        return new Patches(shape.inH(), shape.inW(), shape.inC(), shape.kernelH(), shape.kernelW(), shape.stride(),
                shape.outH(), shape.outW());
    }

    /** Samples per weight-gradient chunk for {@code shape}: the depth of its GEMM is that many samples' pixels. */
    public static int weightChunkSamples(ConvShape shape) {
        return patches(shape).samplesPerWeightChunk(shape.batch());
    }

    @Override
    public void forward(float[] x, float[] w, float[] bias, float[] y) {
        Checks.requireConvForward(shape, x, w, bias, y);
        if (direct != null) {
            direct.forward(x, w, bias, y);
            return;
        }
        if (shallow != null) {
            shallow.forward(x, w, bias, y, shape.batch());
            return;
        }
        argX = x;
        argBias = bias;
        argY = y;
        gemm.packB(false, w, 0, shape.outC(), forwardWeights);
        pool.run(tasks(), forwardTask);
    }

    /** Forward and input-gradient tasks: {@link #samplesPerTask} samples each. */
    private int tasks() {
        return (shape.batch() + samplesPerTask - 1) / samplesPerTask;
    }

    /** Task: im2col of its samples into the thread's own cols, their rows of y set to the bias, then cols · Kmat. */
    private void forwardTask(int task, int worker) {
        int n0 = task * samplesPerTask;
        int samples = Math.min(samplesPerTask, shape.batch() - n0);
        int outC = shape.outC();
        float[] taskCols = ownCols[worker];
        for (int sample = 0; sample < samples; sample++) {
            int n = n0 + sample;
            for (int oy = 0; oy < shape.outH(); oy++) {
                patches.gather(argX, n * patches.imageSize(), oy, taskCols, sample * patches.colsSize());
            }
        }
        Patches.fillPixels(argBias, outC, argY, n0 * pixels * outC, samples * pixels);
        gemm.gemmOnWorker(worker, false, samples * pixels, taskCols, 0, patches.patchSize, forwardWeights, argY,
                n0 * pixels * outC, outC, true);
    }

    @Override
    public void backwardInput(float[] dy, float[] w, float[] dx) {
        Checks.requireConvBackwardInput(shape, dy, w, dx);
        if (direct != null) {
            direct.backwardInput(dy, w, dx);
            return;
        }
        argDy = dy;
        argDx = dx;
        gemm.packB(true, w, 0, shape.outC(), inputGradWeights);
        pool.run(tasks(), inputGradTask);
    }

    /** Task: its samples' patch gradients, dy · Kmatᵀ, into the thread's own cols, then col2im into their dx rows. */
    private void inputGradTask(int task, int worker) {
        int n0 = task * samplesPerTask;
        int samples = Math.min(samplesPerTask, shape.batch() - n0);
        int outC = shape.outC();
        float[] taskCols = ownCols[worker];
        gemm.gemmOnWorker(worker, false, samples * pixels, argDy, n0 * pixels * outC, outC, inputGradWeights,
                taskCols, 0, patches.patchSize, false);
        for (int sample = 0; sample < samples; sample++) {
            int image = (n0 + sample) * patches.imageSize();
            for (int row = 0; row < shape.inH(); row++) {
                int rowOff = image + row * patches.imageRowSize();
                Arrays.fill(argDx, rowOff, rowOff + patches.imageRowSize(), 0f);
                patches.addRow(taskCols, sample * patches.colsSize(), row, argDx, rowOff);
            }
        }
    }

    @Override
    public void backwardWeight(float[] x, float[] dy, float[] dw, float[] dBias) {
        Checks.requireConvBackwardWeight(shape, x, dy, dw, dBias);
        if (direct != null) {
            direct.backwardWeight(x, dy, dw, dBias);
            return;
        }
        if (shallow != null) {
            shallow.backwardWeight(x, dy, dw, dBias, shape.batch());
            return;
        }
        argDy = dy;
        int outC = shape.outC();
        Arrays.fill(biasSums, 0.0);
        if (patchStarts == null) {
            patchStarts = patches.patchStarts(shape.batch());
            patchOffsets = patches.patchOffsets();
            biasPartials = new float[weightChunk * shape.outH() * outC];
        }
        for (int n0 = 0; n0 < shape.batch(); n0 += weightChunk) {
            int samples = Math.min(weightChunk, shape.batch() - n0);
            chunkStart = n0;
            gemm.gemmGatheredT(patches.patchSize, outC, samples * pixels, x, patchStarts, n0 * pixels,
                    patchOffsets, dy, n0 * pixels * outC, outC, dw, 0, outC, true);
            int tasks = samples * shape.outH();
            pool.run(tasks, biasGradTask);
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

    /** Task (sample, output row): the sum of dy over that row into the task's partial. */
    private void biasGradRow(int index, int worker) {
        int sample = index / shape.outH();
        int oy = index % shape.outH();
        int n = chunkStart + sample;
        int outC = shape.outC();
        int partial = index * outC;
        int row = (n * shape.outH() + oy) * shape.outW() * outC;
        Patches.sumPixels(argDy, row, shape.outW(), outC, biasPartials, partial);
    }
}
