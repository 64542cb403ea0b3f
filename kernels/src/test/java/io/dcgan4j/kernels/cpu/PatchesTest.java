package io.dcgan4j.kernels.cpu;

import org.junit.jupiter.api.Test;

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
}
