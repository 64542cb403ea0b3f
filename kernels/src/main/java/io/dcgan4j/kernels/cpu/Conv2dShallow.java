package io.dcgan4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass of a Conv2D whose patch is a handful of values and whose filters are many (d_conv1: a 3×3 patch of
 * one channel, 64 filters), computed straight from x: the path {@link Conv2d#forward} takes for such shapes.
 *
 * <p>As im2col + GEMM, such a product is nine multiply-adds deep: each micro-tile goes through the tile buffer and is
 * added onto y, pre-filled with the bias, for a handful of fused multiply-adds, after im2col and the A packing have
 * copied x twice. Here a block of {@link #PIXELS} output pixels times two vectors of filters sums its patch elements in
 * registers, broadcasting x where it lies and reading the kernel rows as they are stored, and stores {@code bias + sum}
 * once. Each element's chain is the GEMM's (a fused multiply-add per patch element in (di, dj, c) order, from zero,
 * then the bias added), so y is the same to the bit as on the GEMM path.
 *
 * <pre>
 * x [N,H,W,C]    kernel [KH,KW,C,O] = Kmat [KH·KW·C, O]    bias [O]    y [N,OH,OW,O]
 * y[n, oy, ox, o] = bias[o] + Σ_e x[n, s·oy + di(e), s·ox + dj(e), c(e)] · Kmat[e, o]      e = (di, dj, c)
 * </pre>
 * Tasks: one per sample, so results never depend on the thread count. Argument checks are the caller's.
 */
final class Conv2dShallow {

    /**
     * Deepest patch (KH·KW·C) this path takes. Each element of y is one chain of that many fused multiply-adds
     * whatever the path, and a K block of the GEMM is deeper than this, so the results do not depend on the choice.
     */
    static final int MAX_PATCH = 32;
    /** Output pixels of a register block: 6 × 2 accumulators, two kernel vectors and a broadcast fit AVX2's 16. */
    private static final int PIXELS = 6;

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private final Parallel pool;
    private final int filters;
    private final int outH;
    private final int outW;
    private final int imageSize;
    /** Floats of x between neighbouring output rows' patches: {@code s·W·C}. */
    private final int rowStep;
    /** Floats of x between neighbouring output pixels' patches: {@code s·C}. */
    private final int pixelStep;
    /** [KH·KW·C]: where patch element e lies from its patch's start. */
    private final int[] offsets;
    private final Parallel.Task forwardTask = this::forwardSample;

    // Arguments of the call in progress, read by the tasks.
    private float[] argX;
    private float[] argW;
    private float[] argBias;
    private float[] argY;

    /** Whether {@code shape}'s forward pass takes this path: a shallow patch, filters a whole number of vector pairs. */
    static boolean takes(ConvShape shape) {
        return !shape.transposed() && shape.kernelH() * shape.kernelW() * shape.inC() <= MAX_PATCH
                && shape.outC() % (2 * L) == 0;
    }

    Conv2dShallow(Parallel pool, ConvShape shape, int[] patchOffsets) {
        this.pool = pool;
        filters = shape.outC();
        outH = shape.outH();
        outW = shape.outW();
        imageSize = shape.inH() * shape.inW() * shape.inC();
        rowStep = shape.stride() * shape.inW() * shape.inC();
        pixelStep = shape.stride() * shape.inC();
        offsets = patchOffsets;
    }

    void forward(float[] x, float[] w, float[] bias, float[] y, int batch) {
        argX = x;
        argW = w;
        argBias = bias;
        argY = y;
        pool.run(batch, forwardTask);
    }

    /** Task (sample): every output row, {@link #PIXELS} pixels at a time, then the row's last few one by one. */
    private void forwardSample(int n, int worker) {
        for (int oy = 0; oy < outH; oy++) {
            int top = n * imageSize + oy * rowStep;
            int out = (n * outH + oy) * outW * filters;
            int ox = 0;
            for (; ox + PIXELS <= outW; ox += PIXELS) {
                for (int o = 0; o < filters; o += 2 * L) {
                    block(top + ox * pixelStep, o, out + ox * filters + o);
                }
            }
            for (; ox < outW; ox++) {
                for (int o = 0; o < filters; o += 2 * L) {
                    pixel(top + ox * pixelStep, o, out + ox * filters + o);
                }
            }
        }
    }

    /** y of {@link #PIXELS} neighbouring pixels, filters {@code o .. o + 2L}: patches from {@code x[patch]}. */
    private void block(int patch, int o, int dst) {
        float[] x = argX;
        float[] w = argW;
        int step = pixelStep;
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
        for (int e = 0, k = o; e < offsets.length; e++, k += filters) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, w, k);
            FloatVector b1 = FloatVector.fromArray(SPECIES, w, k + L);
            int a = patch + offsets[e];
            FloatVector av = FloatVector.broadcast(SPECIES, x[a]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, x[a + step]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, x[a + 2 * step]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, x[a + 3 * step]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, x[a + 4 * step]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, x[a + 5 * step]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        FloatVector bias0 = FloatVector.fromArray(SPECIES, argBias, o);
        FloatVector bias1 = FloatVector.fromArray(SPECIES, argBias, o + L);
        float[] y = argY;
        int f = filters;
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

    /** {@link #block} for one pixel. */
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
}
