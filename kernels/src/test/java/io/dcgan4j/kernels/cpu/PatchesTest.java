package io.dcgan4j.kernels.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The moves of col2im and of the bias against plain loops: runs of every length from 0 to past five vectors, at
 * offsets that put them anywhere in a vector; the floats around each run must be left as they were.
 */
class PatchesTest {

    private static final int MAX_LENGTH = 80;
    private static final int SIZE = 3 * MAX_LENGTH;

    /**
     * Patch grids for im2col and col2im: g_convT3's (12-float runs 9 apart), d_conv1's (3 floats 2 apart), runs of
     * 15, 16 and 6 floats with and without overlap, a kernel smaller than its stride, one 1 wide, g_convT2's, and
     * runs of 20 floats 18 apart and of 6 floats 5 apart, which col2im adds whole vectors first at 512 and 128 bits
     * as it does g_convT3's at 256.
     */
    private static final Patches[] GRIDS = {
        new Patches(64, 64, 3, 4, 4, 3, 21, 21),
        new Patches(28, 28, 1, 3, 3, 2, 13, 13),
        new Patches(9, 9, 5, 3, 3, 3, 3, 3),
        new Patches(8, 8, 4, 4, 4, 2, 3, 3),
        new Patches(11, 11, 3, 2, 2, 3, 4, 4),
        new Patches(12, 23, 17, 2, 1, 2, 6, 12),
        new Patches(21, 21, 128, 5, 5, 2, 9, 9),
        new Patches(28, 37, 2, 10, 10, 9, 3, 4),
        new Patches(26, 36, 1, 6, 6, 5, 5, 7)};

    @Test
    void addMatchesAPlainLoop() {
        Random rnd = new Random(11);
        for (int length = 0; length <= MAX_LENGTH; length++) {
            for (int offset : new int[]{0, 1, 3, 5, 17}) {
                float[] src = KernelTestData.uniformFloats(rnd, SIZE);
                float[] dst = KernelTestData.uniformFloats(rnd, SIZE);
                float[] expected = dst.clone();
                for (int i = 0; i < length; i++) {
                    expected[offset + 7 + i] += src[offset + i];
                }
                Patches.add(src, offset, dst, offset + 7, length);
                assertArrayEquals(expected, dst, "length " + length + " at offset " + offset);
            }
        }
    }

    @Test
    void fillPixelsRepeatsTheValueOverEveryPixel() {
        Random rnd = new Random(13);
        for (int channels : new int[]{1, 3, 7, 16, 64}) {
            for (int count : new int[]{1, 2, 5, 28, 64}) {
                float[] value = KernelTestData.uniformFloats(rnd, channels + 2);
                float[] dst = KernelTestData.uniformFloats(rnd, count * channels + 10);
                float[] expected = dst.clone();
                for (int p = 0; p < count; p++) {
                    System.arraycopy(value, 0, expected, 4 + p * channels, channels);
                }
                Patches.fillPixels(value, channels, dst, 4, count);
                assertArrayEquals(expected, dst, channels + " channels, " + count + " pixels");
            }
        }
    }

    /**
     * The bias pattern filled a vector at a time: channels fewer than, as many as and more than a vector's lanes, and
     * not dividing them; pixel counts whose floats end inside a vector, a pattern or neither. The floats around the
     * filled part must be left as they were.
     */
    @Test
    void fillRepeatingRepeatsThePatternOverEveryPixel() {
        Random rnd = new Random(17);
        for (int channels : new int[]{1, 3, 5, 7, 16, 17, 64, 128}) {
            float[] value = KernelTestData.uniformFloats(rnd, channels + 2);
            float[] pattern = new float[Patches.pixelPeriod(channels)];
            Patches.repeatPixels(value, channels, pattern);
            for (int count : new int[]{1, 2, 5, 13, 28, 64}) {
                float[] dst = KernelTestData.uniformFloats(rnd, count * channels + 10);
                float[] expected = dst.clone();
                for (int p = 0; p < count; p++) {
                    System.arraycopy(value, 0, expected, 4 + p * channels, channels);
                }
                Patches.fillRepeating(pattern, dst, 4, count * channels);
                assertArrayEquals(expected, dst, channels + " channels, " + count + " pixels");
            }
        }
    }

    /**
     * The gathered form of the patch matrix ({@link Patches#patchStarts}, {@link Patches#patchOffsets}) reads the same
     * values as im2col ({@link Patches#gather}) copies out, for every sample, patch and element: g_convT2's patch grid
     * (overlapping patches), d_conv1's (one channel), and one whose kernel is smaller than its stride.
     */
    @Test
    void gatheredPatchesMatchGather() {
        Random rnd = new Random(17);
        Patches[] grids = {
            new Patches(21, 21, 128, 5, 5, 2, 9, 9),
            new Patches(28, 28, 1, 3, 3, 2, 13, 13),
            new Patches(11, 11, 3, 2, 2, 3, 4, 4)};
        int samples = 3;
        for (Patches grid : grids) {
            float[] images = KernelTestData.uniformFloats(rnd, samples * grid.imageSize());
            int[] starts = grid.patchStarts(samples);
            int[] offsets = grid.patchOffsets();
            int patches = grid.gridH * grid.gridW;
            float[] cols = new float[grid.colsSize()];
            for (int n = 0; n < samples; n++) {
                for (int gy = 0; gy < grid.gridH; gy++) {
                    grid.gather(images, n * grid.imageSize(), gy, cols, 0);
                }
                for (int p = 0; p < patches; p++) {
                    for (int i = 0; i < grid.patchSize; i++) {
                        assertEquals(cols[p * grid.patchSize + i], images[starts[n * patches + p] + offsets[i]],
                                "sample " + n + " patch " + p + " element " + i);
                    }
                }
            }
        }
    }

    /**
     * im2col of one grid row at a time, rows in a shuffled order, against a plain loop: runs shorter than a vector
     * (moved whole, their spare lanes overwritten), as long as one and longer; the last sample's last patch ending at
     * the image tensor's end, where a whole vector would read past it. Every float of cols outside the row's part must
     * be left as it was.
     */
    @Test
    void gatherCopiesExactlyItsGridRow() {
        Random rnd = new Random(19);
        int samples = 2;
        for (Patches grid : GRIDS) {
            float[] images = KernelTestData.uniformFloats(rnd, samples * grid.imageSize());
            for (int n = 0; n < samples; n++) {
                List<Integer> rows = new ArrayList<>();
                for (int gy = 0; gy < grid.gridH; gy++) {
                    rows.add(gy);
                }
                Collections.shuffle(rows, rnd);
                float[] cols = KernelTestData.uniformFloats(rnd, grid.colsSize() + 40);
                float[] expected = cols.clone();
                int colsOff = 20;
                for (int gy : rows) {
                    grid.gather(images, n * grid.imageSize(), gy, cols, colsOff);
                    int run = grid.kernelW * grid.channels;
                    for (int gx = 0; gx < grid.gridW; gx++) {
                        for (int di = 0; di < grid.kernelH; di++) {
                            for (int j = 0; j < run; j++) {
                                expected[colsOff + (gy * grid.gridW + gx) * grid.patchSize + di * run + j] =
                                        images[n * grid.imageSize() + (grid.stride * gy + di) * grid.imageRowSize()
                                                + grid.stride * gx * grid.channels + j];
                            }
                        }
                    }
                    assertArrayEquals(expected, cols, "sample " + n + " after grid row " + gy + ", runs of "
                            + grid.kernelW * grid.channels);
                }
            }
        }
    }

    /**
     * col2im of one image row against a plain loop over every patch: overlapping runs shorter than a vector
     * (g_convT3's 12 floats 9 apart on AVX-512, d_conv1's 3 floats 2 apart, added by sweeps) and longer (added whole
     * vectors first), runs that do not overlap, and long runs; the last sample's last row ends at the tensor's end.
     * The terms of an element may come in another order than the plain loop's, so values agree to rounding; every
     * float outside the row must be left as it was.
     */
    @Test
    void addRowMatchesAPlainCol2im() {
        Random rnd = new Random(23);
        int samples = 2;
        for (Patches grid : GRIDS) {
            int run = grid.kernelW * grid.channels;
            for (int n = 0; n < samples; n++) {
                float[] cols = KernelTestData.uniformFloats(rnd, grid.colsSize());
                for (int r = 0; r < grid.imageH; r++) {
                    float[] image = KernelTestData.uniformFloats(rnd, samples * grid.imageSize());
                    float[] expected = image.clone();
                    int rowOff = n * grid.imageSize() + r * grid.imageRowSize();
                    for (int gy = 0; gy < grid.gridH; gy++) {
                        int di = r - grid.stride * gy;
                        if (di < 0 || di >= grid.kernelH) {
                            continue;
                        }
                        for (int gx = 0; gx < grid.gridW; gx++) {
                            for (int j = 0; j < run; j++) {
                                expected[rowOff + grid.stride * gx * grid.channels + j] +=
                                        cols[(gy * grid.gridW + gx) * grid.patchSize + di * run + j];
                            }
                        }
                    }
                    grid.addRow(cols, 0, r, image, rowOff);
                    String where = "runs of " + run + ", sample " + n + ", row " + r;
                    for (int i = 0; i < image.length; i++) {
                        boolean inRow = i >= rowOff && i < rowOff + grid.imageRowSize();
                        if (inRow) {
                            assertEquals(expected[i], image[i], 1e-6f * (1 + Math.abs(expected[i])),
                                    where + " at " + i);
                        } else {
                            assertEquals(expected[i], image[i], 0f, where + ": float " + i + " is outside the row");
                        }
                    }
                }
            }
        }
    }

    /**
     * The bias gradient of one row against a sum in double: fewer channels than a vector (summed a vector at a
     * time, whatever the phase of the lanes), as many and more; one pixel, pixels that fill no whole vector, and
     * rows of the model's widths. The floats around the result must be left as they were.
     */
    @Test
    void sumPixelsMatchesASumInDouble() {
        Random rnd = new Random(29);
        for (int channels : new int[]{1, 2, 3, 5, 7, 8, 12, 16, 17, 64, 128}) {
            for (int pixels : new int[]{1, 2, 5, 7, 28, 64}) {
                float[] src = KernelTestData.uniformFloats(rnd, pixels * channels + 9);
                float[] dst = KernelTestData.uniformFloats(rnd, channels + 6);
                float[] before = dst.clone();
                Patches.sumPixels(src, 5, pixels, channels, dst, 3);
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int p = 0; p < pixels; p++) {
                        sum += src[5 + p * channels + c];
                    }
                    assertEquals(sum, dst[3 + c], 1e-5 * (1 + pixels),
                            channels + " channels, " + pixels + " pixels, channel " + c);
                }
                for (int i = 0; i < dst.length; i++) {
                    if (i < 3 || i >= 3 + channels) {
                        assertEquals(before[i], dst[i], 0f, "float " + i + " is outside the result");
                    }
                }
            }
        }
    }
}
