package io.dcgan4j.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Conv2D, padding valid, computed straight from x without a patch matrix: the path {@link Conv2d} takes when the
 * filters are few. With one filter im2col + GEMM writes and reads a patch matrix {@code KH·KW·C} times the size of y
 * and its GEMM degenerates to dot products, so it is memory-bound; here every pass reads x and dy once per sample.
 *
 * <p>Vectors run along a row of output pixels, so no lane sums are needed on the way. Output pixel ox reads the run
 * {@code x[h, S·ox .. S·ox+R−1]} of a flattened input row, S = s·C apart; split the row into S phases,
 * {@code phase[φ][t] = row[S·t + φ]}, and element j of every run of the row is phase {@code j % S} shifted by
 * {@code j / S}: one contiguous vector for L neighbouring pixels.
 *
 * <pre>
 * N batch, H×W input size, C input channels, O filters, KH×KW kernel, s stride, R = KW·C, S = s·C
 * x, dx     [N,H,W,C]      kernel [KH,KW,C,O]     bias [O]     y, dy [N,OH,OW,O]
 * kernelT   [O,KH,R]       the kernel with the filter first, so that each kernel row of a filter is a run
 * xPhases   [H,S,T']       one sample's x, row h phase φ slot t = x[h, S·t + φ]; T = ⌈W·C / S⌉ slots, zero past T
 * dyRows    [O,OH,D]       one sample's dy, filter by filter, with Q = ⌊(R−1)/S⌋ zeros before each row, zeros after
 * partials  [B,O,KH,R]     per-sample weight gradients of a chunk of B samples, in kernelT order
 *
 * forward         y[oy, ox]        = bias + Σ_di Σ_j kernelT[di,j] · xPhases[s·oy+di, j % S, ox + j / S]
 * backwardInput   dx[h, S·t + φ]   = Σ_di Σ_q kernelT[di, q·S+φ] · dy[(h−di)/s, t − q]      over (h−di) % s = 0
 * backwardWeight  dw[di, j]       += Σ_oy Σ_ox dy[oy, ox] · xPhases[s·oy+di, j % S, ox + j / S]
 * </pre>
 * Lanes past the last output column (and past the row's last slot) compute values that are never stored or summed,
 * from the zeros of the padding or from real neighbours, so results are exact. Each sum runs over several
 * accumulators added in a fixed order at the end, so that their fused multiply-adds overlap.
 *
 * <p>Tasks: one per sample in every pass (backwardWeight's with its own partial), so results depend on the shape and
 * the vector width only, never on the thread count. Argument checks are the caller's.
 */
final class Conv2dDirect {

    /**
     * Most filters for which the direct path beats im2col + GEMM, whose GEMM has as many columns as filters. Measured
     * on the generator's last layer (64×64×3, 9×9 kernel, stride 2) at batch 256 on two threads of a shared 2-core
     * machine, its three passes took, direct against im2col + GEMM: 11 against 59 ms with one filter, 17 against 61
     * with two, 22 against 56 with four, 44 against 54 with eight, 62 against 64 with twelve, 81 against 62 with 16.
     */
    static final int MAX_FILTERS = 8;

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private final Parallel pool;
    private final ConvShape shape;
    private final int kernelH;
    private final int filters;
    private final int stride;
    private final int outH;
    private final int outW;
    /** R = {@code KW·C}: the run of one kernel row. */
    private final int run;
    /** S = {@code s·C}: floats between the runs of neighbouring output pixels, and the phases of a row. */
    private final int phases;
    /** T: slots of a phase that hold x. */
    private final int slots;
    /** T': floats per phase in {@link #xPhases}, room for every vector a run's shifted phase loads. */
    private final int phaseLength;
    /** Q: the largest shift {@code j / S} of a run element. */
    private final int maxShift;
    /** D: floats per row of {@link #dyRows}. */
    private final int dyLength;
    /** Vectors that cover a row of output pixels, and a row's slots. */
    private final int outVectors;
    private final int slotVectors;
    private final int rowSize;
    private final int imageSize;
    private final int kernelSize;
    /** [R]: where run element j starts in a row of xPhases, {@code (j % S)·T' + j / S}. */
    private final int[] phaseOffsets;
    /** [S rounded up to 4]: the shifts that reach phase φ, {@code ⌈(R − φ) / S⌉}; 0 past the last phase. */
    private final int[] shiftCounts;
    /** Per worker: one sample's x as phases [H,S,T'] and its dy rows [O,OH,D]; the padding stays zero. */
    private final float[][] xPhases;
    private final float[][] dyRows;
    /** Per worker: the forward pass's output rows [4, outVectors·L]; the input gradient's row of phases. */
    private final float[][] outRows;
    /** [S, slotVectors·L]. */
    private final float[][] phaseRow;
    /** Per worker: one sample's weight gradient before its lanes are added, [O·KH·R, outVectors·L]. */
    private final float[][] laneSums;
    /** [O,KH,R]: the kernel of the call in progress, filter first. */
    private final float[] kernelT;
    /** backwardWeight's per-sample gradients, weights in kernelT order [O,KH,R], and their sums. */
    private final SampleSums sums;

    private final Parallel.Task forwardTask = this::forwardSample;
    private final Parallel.Task inputGradTask = this::inputGradSample;
    private final Parallel.Task weightGradTask = this::weightGradSample;

    // Arguments of the call in progress, read by the tasks.
    private float[] argX;
    private float[] argBias;
    private float[] argY;
    private float[] argDy;
    private float[] argDx;

    Conv2dDirect(Parallel pool, ConvShape shape) {
        this.pool = pool;
        this.shape = shape;
        kernelH = shape.kernelH();
        filters = shape.outC();
        stride = shape.stride();
        outH = shape.outH();
        outW = shape.outW();
        run = shape.kernelW() * shape.inC();
        phases = stride * shape.inC();
        rowSize = shape.inW() * shape.inC();
        imageSize = shape.inH() * rowSize;
        kernelSize = shape.kernelSize();
        slots = (rowSize + phases - 1) / phases;
        maxShift = (run - 1) / phases;
        outVectors = (outW + L - 1) / L;
        slotVectors = (slots + L - 1) / L;
        phaseLength = Math.max(slots, maxShift + outVectors * L);
        dyLength = maxShift + slotVectors * L;
        phaseOffsets = new int[run];
        for (int j = 0; j < run; j++) {
            phaseOffsets[j] = j % phases * phaseLength + j / phases;
        }
        shiftCounts = new int[(phases + 3) / 4 * 4];
        for (int phase = 0; phase < phases; phase++) {
            shiftCounts[phase] = (run - phase + phases - 1) / phases;
        }
        int threads = pool.threads();
        xPhases = new float[threads][shape.inH() * phases * phaseLength];
        dyRows = new float[threads][filters * outH * dyLength];
        outRows = new float[threads][4 * outVectors * L];
        phaseRow = new float[threads][phases * slotVectors * L];
        laneSums = new float[threads][kernelSize * outVectors * L];
        kernelT = new float[kernelSize];
        sums = new SampleSums(shape.batch(), kernelSize, filters);
    }

    void forward(float[] x, float[] w, float[] bias, float[] y) {
        transposeKernel(w);
        argX = x;
        argBias = bias;
        argY = y;
        pool.run(shape.batch(), forwardTask);
    }

    /** Task (sample): its x split into phases, then y, four output rows and a vector of output pixels at a time. */
    private void forwardSample(int n, int worker) {
        float[] xp = xPhases[worker];
        float[] rows = outRows[worker];
        splitPhases(argX, n * imageSize, xp);
        for (int o = 0; o < filters; o++) {
            int oy = 0;
            for (; oy + 4 <= outH; oy += 4) {
                for (int t0 = 0; t0 < outW; t0 += L) {
                    forward4(xp, o, oy, t0, rows);
                }
                storeRows(n, o, oy, 4, rows);
            }
            for (; oy < outH; oy++) {
                for (int t0 = 0; t0 < outW; t0 += L) {
                    forward1(xp, o, oy, t0, rows);
                }
                storeRows(n, o, oy, 1, rows);
            }
        }
    }

    /**
     * {@code rows[r, t0 .. t0+L)} = the sums of y[oy + r, t0 ..] for filter o, without the bias, r < 4: each kernel
     * element is loaded once for the four rows, and each row sums its even and odd run elements apart.
     */
    private void forward4(float[] xp, int o, int oy, int t0, float[] rows) {
        float[] k = kernelT;
        int[] offsets = phaseOffsets;
        int r = run;
        int rowStep = stride * phases * phaseLength;
        int rowLength = outVectors * L;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        for (int di = 0; di < kernelH; di++) {
            int x0 = (stride * oy + di) * phases * phaseLength + t0;
            int x1 = x0 + rowStep;
            int x2 = x1 + rowStep;
            int x3 = x2 + rowStep;
            int kb = (o * kernelH + di) * r;
            int j = 0;
            for (; j + 2 <= r; j += 2) {
                FloatVector even = FloatVector.broadcast(SPECIES, k[kb + j]);
                FloatVector odd = FloatVector.broadcast(SPECIES, k[kb + j + 1]);
                int e = offsets[j];
                int d = offsets[j + 1];
                a0 = FloatVector.fromArray(SPECIES, xp, x0 + e).fma(even, a0);
                a1 = FloatVector.fromArray(SPECIES, xp, x1 + e).fma(even, a1);
                a2 = FloatVector.fromArray(SPECIES, xp, x2 + e).fma(even, a2);
                a3 = FloatVector.fromArray(SPECIES, xp, x3 + e).fma(even, a3);
                b0 = FloatVector.fromArray(SPECIES, xp, x0 + d).fma(odd, b0);
                b1 = FloatVector.fromArray(SPECIES, xp, x1 + d).fma(odd, b1);
                b2 = FloatVector.fromArray(SPECIES, xp, x2 + d).fma(odd, b2);
                b3 = FloatVector.fromArray(SPECIES, xp, x3 + d).fma(odd, b3);
            }
            if (j < r) {
                FloatVector last = FloatVector.broadcast(SPECIES, k[kb + j]);
                int e = offsets[j];
                a0 = FloatVector.fromArray(SPECIES, xp, x0 + e).fma(last, a0);
                a1 = FloatVector.fromArray(SPECIES, xp, x1 + e).fma(last, a1);
                a2 = FloatVector.fromArray(SPECIES, xp, x2 + e).fma(last, a2);
                a3 = FloatVector.fromArray(SPECIES, xp, x3 + e).fma(last, a3);
            }
        }
        a0.add(b0).intoArray(rows, t0);
        a1.add(b1).intoArray(rows, rowLength + t0);
        a2.add(b2).intoArray(rows, 2 * rowLength + t0);
        a3.add(b3).intoArray(rows, 3 * rowLength + t0);
    }

    /** {@link #forward4} for one row, whose run elements go round eight sums. */
    private void forward1(float[] xp, int o, int oy, int t0, float[] rows) {
        float[] k = kernelT;
        int[] offsets = phaseOffsets;
        int r = run;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int di = 0; di < kernelH; di++) {
            int xb = (stride * oy + di) * phases * phaseLength + t0;
            int kb = (o * kernelH + di) * r;
            int j = 0;
            for (; j + 8 <= r; j += 8) {
                a0 = tap(xp, xb + offsets[j], k[kb + j], a0);
                a1 = tap(xp, xb + offsets[j + 1], k[kb + j + 1], a1);
                a2 = tap(xp, xb + offsets[j + 2], k[kb + j + 2], a2);
                a3 = tap(xp, xb + offsets[j + 3], k[kb + j + 3], a3);
                a4 = tap(xp, xb + offsets[j + 4], k[kb + j + 4], a4);
                a5 = tap(xp, xb + offsets[j + 5], k[kb + j + 5], a5);
                a6 = tap(xp, xb + offsets[j + 6], k[kb + j + 6], a6);
                a7 = tap(xp, xb + offsets[j + 7], k[kb + j + 7], a7);
            }
            for (; j < r; j++) {
                a0 = tap(xp, xb + offsets[j], k[kb + j], a0);
            }
        }
        a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).intoArray(rows, t0);
    }

    /** {@code acc + k · xp[at ..]}. */
    private static FloatVector tap(float[] xp, int at, float k, FloatVector acc) {
        return FloatVector.fromArray(SPECIES, xp, at).fma(FloatVector.broadcast(SPECIES, k), acc);
    }

    /** y[n, oy + r, ·, o] = bias + {@code rows[r, ·]} for the {@code count} rows r. */
    private void storeRows(int n, int o, int oy, int count, float[] rows) {
        float bias = argBias[o];
        int rowLength = outVectors * L;
        for (int r = 0; r < count; r++) {
            int out = (n * outH + oy + r) * outW * filters + o;
            for (int ox = 0; ox < outW; ox++) {
                argY[out + ox * filters] = bias + rows[r * rowLength + ox];
            }
        }
    }

    void backwardInput(float[] dy, float[] w, float[] dx) {
        transposeKernel(w);
        argDy = dy;
        argDx = dx;
        pool.run(shape.batch(), inputGradTask);
    }

    /** Task (sample): each row of dx as phases, four phases and a vector of slots at a time, then interleaved. */
    private void inputGradSample(int n, int worker) {
        float[] dyp = dyRows[worker];
        float[] row = phaseRow[worker];
        int rowStride = slotVectors * L;
        padDy(argDy, n, dyp);
        for (int h = 0; h < shape.inH(); h++) {
            for (int phase = 0; phase < phases; phase += 4) {
                for (int t0 = 0; t0 < slots; t0 += L) {
                    inputGrad4(dyp, h, phase, t0, row);
                }
            }
            int dxRow = n * imageSize + h * rowSize;
            for (int phase = 0; phase < phases; phase++) {
                int from = phase * rowStride;
                int to = dxRow + phase;
                for (int t = 0, end = (rowSize - phase + phases - 1) / phases; t < end; t++) {
                    argDx[to + t * phases] = row[from + t];
                }
            }
        }
    }

    /**
     * {@code row[φ, t0 .. t0+L)} = dx[h, S·t + φ] for the four phases φ from {@code phase0} that exist: the sum over
     * every filter, kernel row di that reaches row h and shift q of {@code kernelT[o, di, q·S + φ] · dy[oy, t − q]}.
     * Each vector of dy serves the four phases; the last shift may reach only the first phases of the four.
     */
    private void inputGrad4(float[] dyp, int h, int phase0, int t0, float[] row) {
        float[] k = kernelT;
        int step = phases;
        int s0 = shiftCounts[phase0];
        int s1 = shiftCounts[phase0 + 1];
        int s2 = shiftCounts[phase0 + 2];
        int s3 = shiftCounts[phase0 + 3];
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int o = 0; o < filters; o++) {
            for (int di = h % stride, oy = h / stride; di < kernelH && oy >= 0; di += stride, oy--) {
                if (oy >= outH) {
                    continue;
                }
                int db = (o * outH + oy) * dyLength + maxShift + t0;
                int kb = (o * kernelH + di) * run + phase0;
                int q = 0;
                for (; q < s3; q++, kb += step) {
                    FloatVector d = FloatVector.fromArray(SPECIES, dyp, db - q);
                    a0 = d.fma(FloatVector.broadcast(SPECIES, k[kb]), a0);
                    a1 = d.fma(FloatVector.broadcast(SPECIES, k[kb + 1]), a1);
                    a2 = d.fma(FloatVector.broadcast(SPECIES, k[kb + 2]), a2);
                    a3 = d.fma(FloatVector.broadcast(SPECIES, k[kb + 3]), a3);
                }
                for (; q < s0; q++, kb += step) {
                    FloatVector d = FloatVector.fromArray(SPECIES, dyp, db - q);
                    a0 = d.fma(FloatVector.broadcast(SPECIES, k[kb]), a0);
                    if (q < s1) {
                        a1 = d.fma(FloatVector.broadcast(SPECIES, k[kb + 1]), a1);
                    }
                    if (q < s2) {
                        a2 = d.fma(FloatVector.broadcast(SPECIES, k[kb + 2]), a2);
                    }
                }
            }
        }
        int rowStride = slotVectors * L;
        int at = phase0 * rowStride + t0;
        a0.intoArray(row, at);
        if (phase0 + 1 < phases) {
            a1.intoArray(row, at + rowStride);
        }
        if (phase0 + 2 < phases) {
            a2.intoArray(row, at + 2 * rowStride);
        }
        if (phase0 + 3 < phases) {
            a3.intoArray(row, at + 3 * rowStride);
        }
    }

    void backwardWeight(float[] x, float[] dy, float[] dw, float[] dBias) {
        argX = x;
        argDy = dy;
        sums.run(pool, shape.batch(), weightGradTask);
        for (int o = 0; o < filters; o++) {
            for (int di = 0; di < kernelH; di++) {
                int src = (o * kernelH + di) * run;
                int dst = di * run * filters + o;
                for (int j = 0; j < run; j++) {
                    dw[dst + j * filters] += (float) sums.weightSums[src + j];
                }
            }
            dBias[o] += (float) sums.biasSums[o];
        }
    }

    /**
     * Task (sample): that sample's weight and bias gradients into its partials. Eight run elements of one kernel row
     * at a time, each a vector of sums over the output rows kept in registers and stored whole; the lanes of the real
     * output columns are added at the end, lane by lane across all elements, which keeps the additions independent.
     */
    private void weightGradSample(int index, int worker) {
        int n = sums.sample(index);
        float[] xp = xPhases[worker];
        float[] dyp = dyRows[worker];
        float[] lanes = laneSums[worker];
        splitPhases(argX, n * imageSize, xp);
        padDy(argDy, n, dyp);
        for (int o = 0; o < filters; o++) {
            float bias = 0f;
            for (int oy = 0; oy < outH; oy++) {
                int db = (o * outH + oy) * dyLength + maxShift;
                for (int ox = 0; ox < outW; ox++) {
                    bias += dyp[db + ox];
                }
            }
            sums.biasPartials[index * filters + o] = bias;
            for (int v = 0; v < outVectors; v++) {
                for (int di = 0; di < kernelH; di++) {
                    int element = (o * kernelH + di) * run;
                    int j = 0;
                    for (; j + 8 <= run; j += 8) {
                        weightGrad8(xp, dyp, o, di, j, v, lanes, element);
                    }
                    for (; j < run; j++) {
                        weightGrad1(xp, dyp, o, di, j, v, lanes, element);
                    }
                }
            }
        }
        int partial = index * kernelSize;
        float[] partials = sums.weightPartials;
        Arrays.fill(partials, partial, partial + kernelSize, 0f);
        int elementStride = outVectors * L;
        for (int v = 0; v < outVectors; v++) {
            for (int lane = v * L, end = Math.min(outW, lane + L); lane < end; lane++) {
                for (int e = 0; e < kernelSize; e++) {
                    partials[partial + e] += lanes[e * elementStride + lane];
                }
            }
        }
    }

    /**
     * {@code sums[e, v·L ..]} = Σ_oy dy[oy, v·L ..] · (run element j + i of kernel row di of those pixels) for the
     * eight elements e = {@code element + j + i}.
     */
    private void weightGrad8(float[] xp, float[] dyp, int o, int di, int j, int v, float[] sums, int element) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        int rowStep = stride * phases * phaseLength;
        int xb = di * phases * phaseLength + v * L;
        int db = o * outH * dyLength + maxShift + v * L;
        for (int oy = 0; oy < outH; oy++, xb += rowStep, db += dyLength) {
            FloatVector d = FloatVector.fromArray(SPECIES, dyp, db);
            a0 = FloatVector.fromArray(SPECIES, xp, xb + phaseOffsets[j]).fma(d, a0);
            a1 = FloatVector.fromArray(SPECIES, xp, xb + phaseOffsets[j + 1]).fma(d, a1);
            a2 = FloatVector.fromArray(SPECIES, xp, xb + phaseOffsets[j + 2]).fma(d, a2);
            a3 = FloatVector.fromArray(SPECIES, xp, xb + phaseOffsets[j + 3]).fma(d, a3);
            a4 = FloatVector.fromArray(SPECIES, xp, xb + phaseOffsets[j + 4]).fma(d, a4);
            a5 = FloatVector.fromArray(SPECIES, xp, xb + phaseOffsets[j + 5]).fma(d, a5);
            a6 = FloatVector.fromArray(SPECIES, xp, xb + phaseOffsets[j + 6]).fma(d, a6);
            a7 = FloatVector.fromArray(SPECIES, xp, xb + phaseOffsets[j + 7]).fma(d, a7);
        }
        int elementStride = outVectors * L;
        int at = (element + j) * elementStride + v * L;
        a0.intoArray(sums, at);
        a1.intoArray(sums, at + elementStride);
        a2.intoArray(sums, at + 2 * elementStride);
        a3.intoArray(sums, at + 3 * elementStride);
        a4.intoArray(sums, at + 4 * elementStride);
        a5.intoArray(sums, at + 5 * elementStride);
        a6.intoArray(sums, at + 6 * elementStride);
        a7.intoArray(sums, at + 7 * elementStride);
    }

    /** {@link #weightGrad8} for run element j alone. */
    private void weightGrad1(float[] xp, float[] dyp, int o, int di, int j, int v, float[] sums, int element) {
        FloatVector a = FloatVector.zero(SPECIES);
        int rowStep = stride * phases * phaseLength;
        int xb = di * phases * phaseLength + v * L + phaseOffsets[j];
        int db = o * outH * dyLength + maxShift + v * L;
        for (int oy = 0; oy < outH; oy++, xb += rowStep, db += dyLength) {
            a = FloatVector.fromArray(SPECIES, xp, xb).fma(FloatVector.fromArray(SPECIES, dyp, db), a);
        }
        a.intoArray(sums, (element + j) * outVectors * L + v * L);
    }

    /**
     * xPhases of the sample at {@code image}: {@code xp[(h·S + φ)·T' + t] = x[image + h·W·C + S·t + φ]}. x is read in
     * order, which measured faster than a phase at a time and than the Vector API's gathers.
     */
    private void splitPhases(float[] x, int image, float[] xp) {
        for (int h = 0; h < shape.inH(); h++) {
            int src = image + h * rowSize;
            int dst = h * phases * phaseLength;
            for (int t = 0; t < slots; t++) {
                int from = src + t * phases;
                for (int phase = 0, end = Math.min(phases, rowSize - t * phases); phase < end; phase++) {
                    xp[dst + phase * phaseLength + t] = x[from + phase];
                }
            }
        }
    }

    /** dyRows of sample n: {@code dyp[(o·OH + oy)·D + Q + ox] = dy[n, oy, ox, o]}; the rest stays zero. */
    private void padDy(float[] dy, int n, float[] dyp) {
        for (int o = 0; o < filters; o++) {
            for (int oy = 0; oy < outH; oy++) {
                int src = (n * outH + oy) * outW * filters + o;
                int dst = (o * outH + oy) * dyLength + maxShift;
                for (int ox = 0; ox < outW; ox++) {
                    dyp[dst + ox] = dy[src + ox * filters];
                }
            }
        }
    }

    /**
     * kernel [KH,KW,C,O] into kernelT [O,KH,R], on the calling thread before the tasks start; it is as small as the
     * kernel, and one layout serves every filter count (for one filter it is a plain copy).
     */
    private void transposeKernel(float[] w) {
        for (int o = 0; o < filters; o++) {
            for (int i = 0; i < kernelH * run; i++) {
                kernelT[o * kernelH * run + i] = w[i * filters + o];
            }
        }
    }
}
