package io.dcgan4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass and the weight gradient of a Conv2D whose patch is a handful of values and whose filters are many
 * (d_conv1: a 3×3 patch of one channel, 64 filters), computed straight from x and dy: the path {@link Conv2d} takes
 * for such shapes.
 *
 * <p>As im2col + GEMM, the forward product is a handful of multiply-adds deep (nine for d_conv1): each micro-tile
 * is added onto y, pre-filled with the bias, for that handful of fused multiply-adds, after im2col and the A packing
 * have copied x twice. Here a block of {@link #BLOCK} output pixels times two vectors of filters sums its patch
 * elements in registers, broadcasting x where it lies and reading the kernel rows as they are stored, and stores
 * {@code bias + sum} once. Each element's chain is the GEMM's (a fused multiply-add per patch element in (di, dj, c)
 * order, from zero, then the bias added), so y is the same to the bit as on the GEMM path.
 *
 * <p>As a GEMM the weight gradient has as many rows as patch elements and the batch's pixels as its depth: it packs
 * dy, all of it, and the bias gradient reads dy a second time. Here each sample's dy is read where it lies while it is
 * in cache: the bias sum reads it first, in order, which brings it in; then a block of up to
 * {@link #WEIGHT_BLOCK} patch elements times {@link #WEIGHT_VECTORS} vectors of filters sums over the sample's pixels
 * in registers (a short block repeats its last element and drops those sums), in one loop over all its pixels. The
 * per-sample sums are added in sample order in double ({@link SampleSums}, as in {@link Conv2dDirect}); the order
 * differs from the GEMM's, so the weight gradient is not the same bits as on the GEMM path.
 *
 * <pre>
 * x, dy  [N,H,W,C], [N,OH,OW,O]    kernel [KH,KW,C,O] = Kmat [KH·KW·C, O]    bias [O]    y [N,OH,OW,O]
 * forward         y[n, oy, ox, o] = bias[o] + Σ_e x[n, s·oy + di(e), s·ox + dj(e), c(e)] · Kmat[e, o]
 * backwardWeight  dw[e, o]       += Σ_n Σ_oy,ox x[n, s·oy + di(e), s·ox + dj(e), c(e)] · dy[n, oy, ox, o]
 *                 e = (di, dj, c)
 * </pre>
 * Tasks: one per sample, so results never depend on the thread count. Argument checks are the caller's.
 */
final class Conv2dShallow {

    /**
     * Deepest patch (KH·KW·C) this path takes. Each element of y is one chain of that many fused multiply-adds
     * whatever the path, and a K block of the GEMM is deeper than this, so y does not depend on the choice.
     */
    static final int MAX_PATCH = 32;
    /**
     * Output pixels of a forward register block: 6 × 2 accumulators, two vectors of the kernel and a broadcast fit
     * AVX2's 16 registers.
     */
    private static final int BLOCK = 6;
    /**
     * Patch elements and vectors of filters of a weight-gradient register block: 3 × 4 accumulators, three broadcasts
     * of x and a vector of dy, AVX2's 16 registers (C2 spills two accumulators). d_conv1's 9 elements make 3 whole
     * blocks; as 2 blocks of 6 elements × 2 vectors, 12 rows computed for 9, its weight gradient took 0.730-0.761 ms
     * against 0.612-0.670 (one thread, batch 64, fastest of 300 calls, three alternating runs), and as 2 elements ×
     * 4 vectors 0.655-0.695.
     */
    private static final int WEIGHT_BLOCK = 3;
    private static final int WEIGHT_VECTORS = 4;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** Filters of a weight-gradient block. */
    private static final int WEIGHT_COLUMNS = WEIGHT_VECTORS * L;

    private final Parallel pool;
    private final int filters;
    private final int outH;
    private final int outW;
    private final int imageSize;
    /** [KH·KW·C]: where patch element e lies from its patch's start. */
    private final int[] offsets;
    /** Patch elements per block of the weight gradient: the elements shared out evenly over the fewest blocks. */
    private final int elementBlock;
    /** [blocks·WEIGHT_BLOCK]: each weight-gradient block's element offsets, a short block's last one repeated. */
    private final int[] blockOffsets;
    private final int kernelSize;
    private final int pixels;
    /**
     * [OH·OW]: where each output pixel's patch starts in its sample's x, so that both passes run one loop over a
     * sample's pixels: with a loop per output row (d_conv1's are 13 pixels long) its weight gradient took 3.0 ms, not
     * 2.0.
     */
    private final int[] patchStarts;
    /** backwardWeight's per-sample gradients, weights as [KH·KW·C, O], and their sums. */
    private final SampleSums sums;
    /** Per worker: one weight-gradient block's sums, [WEIGHT_BLOCK, WEIGHT_COLUMNS]. */
    private final float[][] blockSums;
    private final Parallel.Task forwardTask = this::forwardSample;
    private final Parallel.Task weightGradTask = this::weightGradSample;

    // Arguments of the call in progress, read by the tasks.
    private float[] argX;
    private float[] argW;
    private float[] argBias;
    private float[] argY;
    private float[] argDy;

    /**
     * Whether {@code shape} suits this path: a shallow patch, and filters a whole number of weight-gradient blocks'
     * {@link #WEIGHT_VECTORS} vectors (and so of the forward blocks' two).
     */
    static boolean takes(ConvShape shape) {
        return !shape.transposed() && shape.kernelH() * shape.kernelW() * shape.inC() <= MAX_PATCH
                && shape.outC() % WEIGHT_COLUMNS == 0;
    }

    Conv2dShallow(Parallel pool, ConvShape shape, int[] patchOffsets) {
        this.pool = pool;
        filters = shape.outC();
        outH = shape.outH();
        outW = shape.outW();
        imageSize = shape.inH() * shape.inW() * shape.inC();
        int rowStep = shape.stride() * shape.inW() * shape.inC();
        int pixelStep = shape.stride() * shape.inC();
        offsets = patchOffsets;
        int elements = offsets.length;
        int blocks = (elements + WEIGHT_BLOCK - 1) / WEIGHT_BLOCK;
        elementBlock = (elements + blocks - 1) / blocks;
        blockOffsets = new int[blocks * WEIGHT_BLOCK];
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < WEIGHT_BLOCK; r++) {
                blockOffsets[b * WEIGHT_BLOCK + r] = offsets[Math.min(b * elementBlock + Math.min(r, elementBlock - 1),
                        elements - 1)];
            }
        }
        kernelSize = shape.kernelSize();
        pixels = outH * outW;
        patchStarts = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            patchStarts[p] = p / outW * rowStep + p % outW * pixelStep;
        }
        sums = new SampleSums(shape.batch(), kernelSize, filters);
        blockSums = new float[pool.threads()][WEIGHT_BLOCK * WEIGHT_COLUMNS];
    }

    void forward(float[] x, float[] w, float[] bias, float[] y, int batch) {
        argX = x;
        argW = w;
        argBias = bias;
        argY = y;
        pool.run(batch, forwardTask);
    }

    /**
     * Task (sample): its pixels {@link #BLOCK} at a time in one run over the sample, blocks crossing output rows; the
     * last block ends at the last pixel and so computes a few pixels again, to the same bits. Block by block within
     * each row, d_conv1's 13-pixel rows each left a pixel to the slow one-pixel path, which now only a sample of fewer
     * pixels than a block takes.
     *
     * <p>A block is y of {@link #BLOCK} pixels times filters {@code o .. o + 2L}. Its code is written in this loop: as
     * a method of its own (711 bytes of bytecode) C2 did not inline it ("hot method too big"), and with a call per
     * block the pass took 0.453-0.533 ms against 0.430-0.496 now (d_conv1, one thread, batch 64, fastest call, four
     * alternating rounds, each faster now).
     */
    private void forwardSample(int n, int worker) {
        int image = n * imageSize;
        int out = n * pixels * filters;
        if (pixels < BLOCK) {
            for (int p = 0; p < pixels; p++) {
                for (int o = 0; o < filters; o += 2 * L) {
                    pixel(image + patchStarts[p], o, out + p * filters + o);
                }
            }
            return;
        }
        float[] x = argX;
        float[] w = argW;
        float[] bias = argBias;
        float[] y = argY;
        int f = filters;
        for (int p = 0; p < pixels; p += BLOCK) {
            int first = Math.min(p, pixels - BLOCK);
            int x0 = image + patchStarts[first];
            int x1 = image + patchStarts[first + 1];
            int x2 = image + patchStarts[first + 2];
            int x3 = image + patchStarts[first + 3];
            int x4 = image + patchStarts[first + 4];
            int x5 = image + patchStarts[first + 5];
            for (int o = 0; o < f; o += 2 * L) {
                FloatVector c00 = FloatVector.zero(SPECIES);
                FloatVector c01 = c00;
                FloatVector c10 = c00;
                FloatVector c11 = c00;
                FloatVector c20 = c00;
                FloatVector c21 = c00;
                FloatVector c30 = c00;
                FloatVector c31 = c00;
                FloatVector c40 = c00;
                FloatVector c41 = c00;
                FloatVector c50 = c00;
                FloatVector c51 = c00;
                for (int e = 0, k = o; e < offsets.length; e++, k += f) {
                    FloatVector b0 = FloatVector.fromArray(SPECIES, w, k);
                    FloatVector b1 = FloatVector.fromArray(SPECIES, w, k + L);
                    int a = offsets[e];
                    FloatVector av = FloatVector.broadcast(SPECIES, x[x0 + a]);
                    c00 = av.fma(b0, c00);
                    c01 = av.fma(b1, c01);
                    av = FloatVector.broadcast(SPECIES, x[x1 + a]);
                    c10 = av.fma(b0, c10);
                    c11 = av.fma(b1, c11);
                    av = FloatVector.broadcast(SPECIES, x[x2 + a]);
                    c20 = av.fma(b0, c20);
                    c21 = av.fma(b1, c21);
                    av = FloatVector.broadcast(SPECIES, x[x3 + a]);
                    c30 = av.fma(b0, c30);
                    c31 = av.fma(b1, c31);
                    av = FloatVector.broadcast(SPECIES, x[x4 + a]);
                    c40 = av.fma(b0, c40);
                    c41 = av.fma(b1, c41);
                    av = FloatVector.broadcast(SPECIES, x[x5 + a]);
                    c50 = av.fma(b0, c50);
                    c51 = av.fma(b1, c51);
                }
                FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, o);
                FloatVector bias1 = FloatVector.fromArray(SPECIES, bias, o + L);
                int dst = out + first * f + o;
                bias0.add(c00).intoArray(y, dst);
                bias1.add(c01).intoArray(y, dst + L);
                bias0.add(c10).intoArray(y, dst + f);
                bias1.add(c11).intoArray(y, dst + f + L);
                bias0.add(c20).intoArray(y, dst + 2 * f);
                bias1.add(c21).intoArray(y, dst + 2 * f + L);
                bias0.add(c30).intoArray(y, dst + 3 * f);
                bias1.add(c31).intoArray(y, dst + 3 * f + L);
                bias0.add(c40).intoArray(y, dst + 4 * f);
                bias1.add(c41).intoArray(y, dst + 4 * f + L);
                bias0.add(c50).intoArray(y, dst + 5 * f);
                bias1.add(c51).intoArray(y, dst + 5 * f + L);
            }
        }
    }

    /** y of one pixel, filters {@code o .. o + 2L}, as a block computes it. */
    private void pixel(int patch, int o, int dst) {
        float[] x = argX;
        float[] w = argW;
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        for (int e = 0, k = o; e < offsets.length; e++, k += filters) {
            FloatVector av = FloatVector.broadcast(SPECIES, x[patch + offsets[e]]);
            c0 = av.fma(FloatVector.fromArray(SPECIES, w, k), c0);
            c1 = av.fma(FloatVector.fromArray(SPECIES, w, k + L), c1);
        }
        FloatVector.fromArray(SPECIES, argBias, o).add(c0).intoArray(argY, dst);
        FloatVector.fromArray(SPECIES, argBias, o + L).add(c1).intoArray(argY, dst + L);
    }

    void backwardWeight(float[] x, float[] dy, float[] dw, float[] dBias, int batch) {
        argX = x;
        argDy = dy;
        sums.run(pool, batch, weightGradTask);
        for (int i = 0; i < kernelSize; i++) {
            dw[i] += (float) sums.weightSums[i];
        }
        for (int o = 0; o < filters; o++) {
            dBias[o] += (float) sums.biasSums[o];
        }
    }

    /** Task (sample of the chunk): its weight gradient, block by block, then its bias gradient, into its partials. */
    private void weightGradSample(int index, int worker) {
        int n = sums.sample(index);
        Patches.sumPixels(argDy, n * pixels * filters, pixels, filters, sums.biasPartials, index * filters);
        float[] block = blockSums[worker];
        int elements = offsets.length;
        for (int o = 0; o < filters; o += WEIGHT_COLUMNS) {
            for (int e0 = 0, b = 0; e0 < elements; e0 += elementBlock, b++) {
                weightBlock(n, b * WEIGHT_BLOCK, o, block);
                for (int r = 0; r < Math.min(elementBlock, elements - e0); r++) {
                    System.arraycopy(block, r * WEIGHT_COLUMNS, sums.weightPartials,
                            index * kernelSize + (e0 + r) * filters + o, WEIGHT_COLUMNS);
                }
            }
        }
    }

    /**
     * {@code out[r, 0 .. WEIGHT_COLUMNS)} = Σ over sample n's pixels of x at block element r times dy's filters
     * {@code o .. o + WEIGHT_COLUMNS}, r < {@link #WEIGHT_BLOCK}; the block's element offsets from
     * {@code blockOffsets[first]}.
     */
    private void weightBlock(int n, int first, int o, float[] out) {
        float[] x = argX;
        float[] dy = argDy;
        int k0 = blockOffsets[first];
        int k1 = blockOffsets[first + 1];
        int k2 = blockOffsets[first + 2];
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        int image = n * imageSize;
        int d = n * pixels * filters + o;
        for (int p = 0; p < pixels; p++, d += filters) {
            int patch = image + patchStarts[p];
            FloatVector x0 = FloatVector.broadcast(SPECIES, x[patch + k0]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, x[patch + k1]);
            FloatVector x2 = FloatVector.broadcast(SPECIES, x[patch + k2]);
            FloatVector b = FloatVector.fromArray(SPECIES, dy, d);
            c00 = x0.fma(b, c00);
            c10 = x1.fma(b, c10);
            c20 = x2.fma(b, c20);
            b = FloatVector.fromArray(SPECIES, dy, d + L);
            c01 = x0.fma(b, c01);
            c11 = x1.fma(b, c11);
            c21 = x2.fma(b, c21);
            b = FloatVector.fromArray(SPECIES, dy, d + 2 * L);
            c02 = x0.fma(b, c02);
            c12 = x1.fma(b, c12);
            c22 = x2.fma(b, c22);
            b = FloatVector.fromArray(SPECIES, dy, d + 3 * L);
            c03 = x0.fma(b, c03);
            c13 = x1.fma(b, c13);
            c23 = x2.fma(b, c23);
        }
        int w = WEIGHT_COLUMNS;
        c00.intoArray(out, 0);
        c01.intoArray(out, L);
        c02.intoArray(out, 2 * L);
        c03.intoArray(out, 3 * L);
        c10.intoArray(out, w);
        c11.intoArray(out, w + L);
        c12.intoArray(out, w + 2 * L);
        c13.intoArray(out, w + 3 * L);
        c20.intoArray(out, 2 * w);
        c21.intoArray(out, 2 * w + L);
        c22.intoArray(out, 2 * w + 2 * L);
        c23.intoArray(out, 2 * w + 3 * L);
    }
}
