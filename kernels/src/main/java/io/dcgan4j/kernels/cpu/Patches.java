package io.dcgan4j.kernels.cpu;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The grid of kernel-sized patches that a valid, strided convolution reads from one NHWC image, and the two moves
 * between the image and its patch matrix: im2col ({@link #gather}) and col2im ({@link #addRow}); or the patch
 * matrix left in place, as where each patch starts and each element's offset from there ({@link #patchStarts},
 * {@link #patchOffsets}).
 *
 * <pre>
 * image [imageH, imageW, channels]          one sample of an NHWC tensor
 * patch (gy, gx) covers image rows s·gy .. s·gy+KH−1 and columns s·gx .. s·gx+KW−1, s = stride
 * cols  [gridH·gridW, KH·KW·channels]       row (gy, gx) is that patch in (di, dj, c) order
 * </pre>
 * For Conv2D the image is the input x and the grid is the output; for Conv2DTranspose the image is the output y and
 * the grid is the input. In NHWC the {@code KW·channels} values of one patch row (fixed {@code di}) are contiguous in
 * the image and in {@code cols}, so both moves work on runs of that length.
 */
final class Patches {

    /**
     * Upper bound, in floats, for the patch matrix of one weight-gradient chunk of samples (16 MB; at least one
     * sample). The weight gradient no longer copies that matrix out (its GEMM gathers it, {@link #patchStarts}), but
     * each chunk is still one GEMM adding into all of dw, with the chunk's pixel count as its depth: with 4 MB chunks
     * g_convT2's (324 pixels) reading and writing dw took a quarter of the pass; four times the depth makes that a
     * sixteenth. In alternating runs on 2 threads (2026-12-05, with the copies) 8 MB and 4 MB chunks made g_convT2's
     * weight gradient 5 % and 12 % slower, d_conv2's 1 % and 7 % faster.
     */
    static final int WEIGHT_COLUMN_BUDGET_FLOATS = 1 << 22;

    /**
     * The one species of every kernel. Finishing short runs (g_convT3's 12 floats) in a second, 4-lane species made
     * the JIT leave other kernels' vector loads on the Vector API's allocating fallback, since the API's shared call
     * sites then see two vector classes: a train step allocated 635 MB (JMH {@code -prof gc}).
     */
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    final int imageH;
    final int imageW;
    final int channels;
    final int kernelH;
    final int kernelW;
    final int stride;
    final int gridH;
    final int gridW;
    /** {@code KH·KW·channels}: the length of one row of {@code cols}. */
    final int patchSize;
    /** {@code KW·channels}: the contiguous run one patch row spans. */
    private final int run;
    /**
     * For runs shorter than a vector but at least half as long: their lanes, and the sweeps over a grid row's patches
     * in {@link #addRow} that keep each sweep's vectors a whole vector apart; else null and 1. Shorter runs stay
     * scalar: with d_conv1's 3-float runs as masked vectors its input gradient took 1.19-1.37 ms against 0.99-1.18 ms
     * in alternating runs.
     */
    private final VectorMask<Float> runLanes;
    private final int sweeps;
    /**
     * Whether {@link #addRow} adds a grid row's runs as two sweeps: first every run's whole vectors, then every
     * run's remaining floats. So it does where runs are longer than a vector, not a whole number of vectors, and
     * overlap their neighbours only by what the whole vectors leave (g_convT3's 12-float runs on AVX2, 9 floats
     * apart): added run by run, the next run's vector load covers the floats just stored one by one, and waits until
     * they reach the cache. g_convT3's col2im of 64 samples (bias fill and adds, one thread) took 1.69-1.77 ms this
     * way against 2.19-2.27 ms run by run.
     */
    private final boolean tailsApart;
    /** With {@link #tailsApart}: the lanes of a run's last vector that its whole vectors leave. */
    private final VectorMask<Float> tailLanes;

    Patches(int imageH, int imageW, int channels, int kernelH, int kernelW, int stride, int gridH, int gridW) {
        this.imageH = imageH;
        this.imageW = imageW;
        this.channels = channels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.stride = stride;
        this.gridH = gridH;
        this.gridW = gridW;
        this.run = kernelW * channels;
        this.patchSize = kernelH * run;
        boolean shortRuns = run < SPECIES.length() && 2 * run >= SPECIES.length();
        this.runLanes = shortRuns ? SPECIES.indexInRange(0, run) : null;
        int step = stride * channels;
        this.sweeps = shortRuns ? (SPECIES.length() + step - 1) / step : 1;
        int wholeVectors = run / SPECIES.length() * SPECIES.length();
        this.tailsApart = run > wholeVectors && wholeVectors > 0 && wholeVectors <= step && step < run;
        int tail = run - wholeVectors;
        this.tailLanes = tailsApart ? SPECIES.indexInRange(tail - SPECIES.length(), tail) : null;
    }

    /** Floats of one sample's image. */
    int imageSize() {
        return imageH * imageW * channels;
    }

    /** Floats of one image row. */
    int imageRowSize() {
        return imageW * channels;
    }

    /** Floats of one sample's patch matrix. */
    int colsSize() {
        return gridH * gridW * patchSize;
    }

    /**
     * Samples per weight-gradient chunk, so that a chunk's patch matrix stays within
     * {@link #WEIGHT_COLUMN_BUDGET_FLOATS}. Depends on the shape only, so chunk boundaries (and with them the rounding
     * of the chunked sum) never depend on threads.
     */
    int samplesPerWeightChunk(int batch) {
        return Math.max(1, Math.min(batch, WEIGHT_COLUMN_BUDGET_FLOATS / colsSize()));
    }

    /**
     * Where each patch of {@code samples} consecutive images starts, in patch-matrix row order (sample, gy, gx): the
     * row starts of the patch matrix as a gathered matrix ({@link Gemm#gemmGatheredT}) over the batch tensor.
     */
    int[] patchStarts(int samples) {
        int[] starts = new int[Math.multiplyExact(samples, gridH * gridW)];
        int p = 0;
        for (int n = 0; n < samples; n++) {
            for (int gy = 0; gy < gridH; gy++) {
                for (int gx = 0; gx < gridW; gx++) {
                    starts[p++] = n * imageSize() + stride * (gy * imageRowSize() + gx * channels);
                }
            }
        }
        return starts;
    }

    /** The offset of each patch element (di, dj, c) from its patch's start: the gathered matrix's column offsets. */
    int[] patchOffsets() {
        int[] offsets = new int[patchSize];
        for (int di = 0; di < kernelH; di++) {
            for (int j = 0; j < run; j++) {
                offsets[di * run + j] = di * imageRowSize() + j;
            }
        }
        return offsets;
    }

    /**
     * im2col of grid row {@code gy}: copies the {@code gridW} patches of that row from the sample's image, which
     * starts at {@code image[imageOff]}, into its rows of the patch matrix, which starts at {@code cols[colsOff]}.
     * The rows' runs lie end to end in {@code cols}, so a run shorter than a vector (g_convT3's 12 floats on
     * AVX-512, d_conv1's 3) is moved as one whole vector whose spare lanes land on the next runs' places, which the
     * next copies overwrite; the runs of the last vector's width, and any whose vector would read past the image, are
     * copied exactly, so nothing outside the grid row's part of {@code cols} is written. A run of a vector or more
     * moves as whole vectors, the last one ending where the run ends, the first outside any loop: g_convT3's 12
     * floats on AVX2 as two vectors that overlap by four floats. For 64 samples on one thread that took 0.53-0.56 ms,
     * with the first vector in a loop 1.13-1.18 ms, with {@code System.arraycopy} 1.36-1.39 ms.
     */
    void gather(float[] image, int imageOff, int gy, float[] cols, int colsOff) {
        int rowSize = imageRowSize();
        int colRow = colsOff + gy * gridW * patchSize;
        int top = imageOff + stride * gy * rowSize;
        boolean vectors = run < SPECIES.length();
        int colsLimit = colRow + gridW * patchSize - SPECIES.length();
        int imageLimit = image.length - SPECIES.length();
        for (int gx = 0; gx < gridW; gx++) {
            int src = top + stride * gx * channels;
            for (int di = 0; di < kernelH; di++) {
                int from = src + di * rowSize;
                int to = colRow + di * run;
                if (!vectors) {
                    copyRun(image, from, cols, to, run);
                } else if (to <= colsLimit && from <= imageLimit) {
                    FloatVector.fromArray(SPECIES, image, from).intoArray(cols, to);
                } else {
                    System.arraycopy(image, from, cols, to, run);
                }
            }
            colRow += patchSize;
        }
    }

    /** {@code dst[dstOff + i] = src[srcOff + i]} for {@code i < length}, {@code length} at least a vector. */
    private static void copyRun(float[] src, int srcOff, float[] dst, int dstOff, int length) {
        int last = length - SPECIES.length();
        FloatVector.fromArray(SPECIES, src, srcOff).intoArray(dst, dstOff);
        for (int i = SPECIES.length(); i < last; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, src, srcOff + i).intoArray(dst, dstOff + i);
        }
        FloatVector.fromArray(SPECIES, src, srcOff + last).intoArray(dst, dstOff + last);
    }

    /**
     * col2im of image row {@code r}: adds into {@code image[rowOff .. rowOff + imageRowSize())} every patch value
     * that lands on that row, from the sample's patch matrix starting at {@code cols[colsOff]}. The caller
     * initialises the row. Each element receives its terms in a fixed order (kernel row ascending, then patch
     * column ascending; for runs shorter than a vector, patch columns by sweep, see {@link #addShortRuns}; with
     * {@link #tailsApart}, every run's whole vectors before every run's remaining floats), so the result does not
     * depend on how rows are spread over threads.
     */
    void addRow(float[] cols, int colsOff, int r, float[] image, int rowOff) {
        // The kernel rows that land on row r are r mod s, then every s-th; one division finds them all. With two
        // per kernel row, g_convT3's col2im of 64 samples took 1.69-1.73 ms against 1.50-1.64.
        int firstGy = r / stride;
        for (int di = r - firstGy * stride, gy = firstGy; di < kernelH && gy >= 0; di += stride, gy--) {
            if (gy >= gridH) {
                continue;
            }
            int src = colsOff + gy * gridW * patchSize + di * run;
            if (runLanes != null) {
                addShortRuns(cols, src, image, rowOff);
            } else if (tailsApart) {
                addHeadsThenTails(cols, src, image, rowOff);
            } else if (run < SPECIES.length()) {
                addScalarRuns(cols, src, image, rowOff);
            } else {
                for (int gx = 0; gx < gridW; gx++) {
                    add(cols, src + gx * patchSize, image, rowOff + stride * gx * channels, run);
                }
            }
        }
    }

    /**
     * One kernel row's runs of a grid row, each shorter than a vector, added as one masked vector each. Where
     * patches overlap (g_convT3's 12-float runs start 9 floats apart) adding them in order would make each load wait
     * for the store just before it; instead {@link #sweeps} sweeps each take every {@code sweeps}-th patch, whose
     * vectors lie apart. g_convT3's forward pass spent a sixth of its time here with a scalar add per float.
     */
    private void addShortRuns(float[] cols, int src, float[] image, int rowOff) {
        int step = stride * channels;
        for (int sweep = 0; sweep < sweeps; sweep++) {
            for (int gx = sweep; gx < gridW; gx += sweeps) {
                int from = src + gx * patchSize;
                int to = rowOff + gx * step;
                FloatVector.fromArray(SPECIES, image, to, runLanes)
                        .add(FloatVector.fromArray(SPECIES, cols, from, runLanes))
                        .intoArray(image, to, runLanes);
            }
        }
    }

    /**
     * One kernel row's runs of a grid row: every run's whole vectors, then each run's last vector, with the lanes
     * that the whole vectors covered taking −0 (which adds nothing to any float, −0 included). No loop is entered
     * for a vector or a few floats, which costs more than the adds: with a loop over the remaining floats, g_convT3's
     * col2im of 64 samples took longer than run by run (2.64 ms against 2.2), and with its one whole vector in a loop
     * 1.28-1.50 ms against 1.04-1.08.
     */
    private void addHeadsThenTails(float[] cols, int src, float[] image, int rowOff) {
        int step = stride * channels;
        int lanes = SPECIES.length();
        int head = run / lanes * lanes;
        for (int gx = 0; gx < gridW; gx++) {
            int from = src + gx * patchSize;
            int to = rowOff + gx * step;
            FloatVector.fromArray(SPECIES, image, to)
                    .add(FloatVector.fromArray(SPECIES, cols, from))
                    .intoArray(image, to);
            for (int i = lanes; i < head; i += lanes) {
                FloatVector.fromArray(SPECIES, image, to + i)
                        .add(FloatVector.fromArray(SPECIES, cols, from + i))
                        .intoArray(image, to + i);
            }
        }
        FloatVector nothing = FloatVector.broadcast(SPECIES, -0f);
        int last = run - lanes;
        for (int gx = 0; gx < gridW; gx++) {
            int from = src + gx * patchSize + last;
            int to = rowOff + gx * step + last;
            FloatVector.fromArray(SPECIES, image, to)
                    .add(nothing.blend(FloatVector.fromArray(SPECIES, cols, from), tailLanes))
                    .intoArray(image, to);
        }
    }

    /**
     * One kernel row's runs of a grid row, each too short for a vector (d_conv1's 3 floats): a loop over the runs for
     * each position in a run, not a loop over a run's few floats per run, whose entry cost more than its adds.
     */
    private void addScalarRuns(float[] cols, int src, float[] image, int rowOff) {
        int step = stride * channels;
        for (int j = 0; j < run; j++) {
            for (int gx = 0; gx < gridW; gx++) {
                image[rowOff + gx * step + j] += cols[src + gx * patchSize + j];
            }
        }
    }

    /** {@code dst[dstOff + i] += src[srcOff + i]} for {@code i < length}. */
    static void add(float[] src, int srcOff, float[] dst, int dstOff, int length) {
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, dst, dstOff + i)
                    .add(FloatVector.fromArray(SPECIES, src, srcOff + i))
                    .intoArray(dst, dstOff + i);
        }
        for (; i < length; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    /**
     * {@code dst[dstOff + c] = Σ_p src[srcOff + p·channels + c]} over {@code pixels ≥ 1} consecutive pixels,
     * {@code c < channels}: the bias gradient of one image or image row, each channel's terms added in pixel order.
     * With as many channels as a vector or more, four vectors of channels at a time, each summed over the pixels in
     * a register, then single vectors, then single channels: added into {@code dst} pixel by pixel, d_conv1's bias
     * gradient (169 pixels of 64 channels a sample) took a quarter of its weight gradient's time. With fewer
     * channels, a vector at a time regardless of where pixels start: vector {@code v} of the run has the lanes'
     * channels of vector {@code v mod P}, P = channels / gcd(channels, L), so each of P sweeps adds up one such class
     * in a register and then hands each lane to its channel. g_convT3's weight gradient spent a fifth of its time on
     * a call per three-channel pixel.
     */
    static void sumPixels(float[] src, int srcOff, int pixels, int channels, float[] dst, int dstOff) {
        int lanes = SPECIES.length();
        if (channels >= lanes) {
            sumChannelVectors(src, srcOff, pixels, channels, dst, dstOff);
            return;
        }
        Arrays.fill(dst, dstOff, dstOff + channels, 0f);
        int total = pixels * channels;
        int period = channels / gcd(channels, lanes);
        int vectors = total / lanes;
        for (int sweep = 0; sweep < period && sweep < vectors; sweep++) {
            FloatVector sum = FloatVector.fromArray(SPECIES, src, srcOff + sweep * lanes);
            for (int v = sweep + period; v < vectors; v += period) {
                sum = sum.add(FloatVector.fromArray(SPECIES, src, srcOff + v * lanes));
            }
            int channel = sweep * lanes % channels;
            for (int i = 0; i < lanes; i++) {
                dst[dstOff + channel] += sum.lane(i);
                channel = channel + 1 == channels ? 0 : channel + 1;
            }
        }
        int channel = vectors * lanes % channels;
        for (int e = vectors * lanes; e < total; e++) {
            dst[dstOff + channel] += src[srcOff + e];
            channel = channel + 1 == channels ? 0 : channel + 1;
        }
    }

    /** {@link #sumPixels} with {@code channels ≥ L}. */
    private static void sumChannelVectors(float[] src, int srcOff, int pixels, int channels, float[] dst, int dstOff) {
        int lanes = SPECIES.length();
        int c = 0;
        for (; c + 4 * lanes <= channels; c += 4 * lanes) {
            int at = srcOff + c;
            FloatVector s0 = FloatVector.fromArray(SPECIES, src, at);
            FloatVector s1 = FloatVector.fromArray(SPECIES, src, at + lanes);
            FloatVector s2 = FloatVector.fromArray(SPECIES, src, at + 2 * lanes);
            FloatVector s3 = FloatVector.fromArray(SPECIES, src, at + 3 * lanes);
            for (int p = 1; p < pixels; p++) {
                at += channels;
                s0 = s0.add(FloatVector.fromArray(SPECIES, src, at));
                s1 = s1.add(FloatVector.fromArray(SPECIES, src, at + lanes));
                s2 = s2.add(FloatVector.fromArray(SPECIES, src, at + 2 * lanes));
                s3 = s3.add(FloatVector.fromArray(SPECIES, src, at + 3 * lanes));
            }
            s0.intoArray(dst, dstOff + c);
            s1.intoArray(dst, dstOff + c + lanes);
            s2.intoArray(dst, dstOff + c + 2 * lanes);
            s3.intoArray(dst, dstOff + c + 3 * lanes);
        }
        for (; c + lanes <= channels; c += lanes) {
            int at = srcOff + c;
            FloatVector sum = FloatVector.fromArray(SPECIES, src, at);
            for (int p = 1; p < pixels; p++) {
                at += channels;
                sum = sum.add(FloatVector.fromArray(SPECIES, src, at));
            }
            sum.intoArray(dst, dstOff + c);
        }
        for (; c < channels; c++) {
            float sum = src[srcOff + c];
            for (int p = 1; p < pixels; p++) {
                sum += src[srcOff + p * channels + c];
            }
            dst[dstOff + c] = sum;
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Fills {@code count} consecutive pixels of {@code dst} from {@code dstOff} with {@code value[0 .. channels)}:
     * one pixel copied, then the filled part doubled, so a row of 64 three-channel pixels takes 7 copies, not 64.
     */
    static void fillPixels(float[] value, int channels, float[] dst, int dstOff, int count) {
        System.arraycopy(value, 0, dst, dstOff, channels);
        int total = count * channels;
        for (int filled = channels; filled < total; filled *= 2) {
            System.arraycopy(dst, dstOff, dst, dstOff + filled, Math.min(filled, total - filled));
        }
    }

    /** Floats of the shortest run of whole pixels of {@code channels} that is also whole vectors. */
    static int pixelPeriod(int channels) {
        return channels / gcd(channels, SPECIES.length()) * SPECIES.length();
    }

    /** {@code pattern[0 .. pixelPeriod(channels))}: {@code value[0 .. channels)} repeated. */
    static void repeatPixels(float[] value, int channels, float[] pattern) {
        fillPixels(value, channels, pattern, 0, pixelPeriod(channels) / channels);
    }

    /**
     * {@code dst[dstOff .. dstOff + length)}: {@code pattern} ({@link #repeatPixels}) repeated, a vector at a time.
     * g_convT3's forward pass fills 64 rows of 64 three-channel pixels a sample, each before its col2im: with
     * {@link #fillPixels}' 7 copies a row, fills and col2im of 64 samples took 1.11 ms on one thread, against
     * 0.83-0.98 ms with 24 vectors a row from the pattern.
     */
    static void fillRepeating(float[] pattern, float[] dst, int dstOff, int length) {
        int lanes = SPECIES.length();
        int i = 0;
        int j = 0;
        for (; i + lanes <= length; i += lanes) {
            FloatVector.fromArray(SPECIES, pattern, j).intoArray(dst, dstOff + i);
            j = j + lanes == pattern.length ? 0 : j + lanes;
        }
        if (i < length) {
            System.arraycopy(pattern, j, dst, dstOff + i, length - i);
        }
    }
}
