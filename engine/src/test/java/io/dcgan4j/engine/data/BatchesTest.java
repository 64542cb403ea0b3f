package io.dcgan4j.engine.data;

import io.dcgan4j.engine.api.MnistDataset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchesTest {

    private static final int SIZE = 784;

    private static MnistDataset data;
    /** Each image's content to its index; every image is distinct (its first two pixels spell the index). */
    private static Map<FloatBuffer, Integer> indexOf;

    @BeforeAll
    static void distinctImages(@TempDir Path dir) throws IOException {
        byte[] pixels = IdxTestFiles.randomBytes(2000 * SIZE, 30);
        for (int i = 0; i < 2000; i++) {
            pixels[i * SIZE] = (byte) i;
            pixels[i * SIZE + 1] = (byte) (i >> 8);
        }
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxTestFiles.idx(new int[] {2000, 28, 28}, pixels));
        data = MnistDataset.load(dir, 2000);
        indexOf = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            float[] image = new float[SIZE];
            data.copyImage(i, image, 0);
            assertNull(indexOf.put(FloatBuffer.wrap(image), i));
        }
    }

    @Test
    void seedBatching() {
        Batches batches = new Batches(data, 256, new BufferedShuffle(2000, 256, 1));
        assertEquals(8, batches.batchesPerEpoch());
        float[] batch = new float[256 * SIZE];
        for (int b = 0; b < 7; b++) {
            assertEquals(256, batches.fill(0, b, batch));
        }
        assertEquals(208, batches.fill(0, 7, batch));
    }

    @Test
    void anEpochIsEveryImageOnceInShuffleOrder() {
        BufferedShuffle shuffle = new BufferedShuffle(2000, 256, 2);
        Batches batches = new Batches(data, 256, shuffle);
        float[] batch = new float[256 * SIZE];
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] expected = shuffle.order(epoch);
            boolean[] seen = new boolean[2000];
            int position = 0;
            for (int b = 0; b < batches.batchesPerEpoch(); b++) {
                int count = batches.fill(epoch, b, batch);
                for (int i = 0; i < count; i++) {
                    Integer index = indexOf.get(FloatBuffer.wrap(batch, i * SIZE, SIZE).slice());
                    assertNotNull(index, "batch " + b + " row " + i + " is no image of the data set");
                    assertFalse(seen[index], "image " + index + " twice in epoch " + epoch);
                    seen[index] = true;
                    assertEquals(expected[position++], index);
                }
            }
            assertEquals(2000, position);
        }
    }

    @Test
    void batchesAreTheSameWhicheverEpochCameBefore() {
        Batches a = new Batches(data, 100, new BufferedShuffle(2000, 256, 3));
        Batches b = new Batches(data, 100, new BufferedShuffle(2000, 256, 3));
        float[] x = new float[100 * SIZE];
        float[] y = new float[100 * SIZE];
        a.fill(0, 5, x);
        a.fill(1, 5, x);
        b.fill(1, 5, y);
        assertArrayEquals(x, y);
        a.fill(0, 5, x);
        assertFalse(Arrays.equals(x, y), "epochs 0 and 1 differ");
    }

    @Test
    void batchLargerThanTheDataSet() {
        Batches batches = new Batches(data, 4096, new BufferedShuffle(2000, 4096, 4));
        assertEquals(1, batches.batchesPerEpoch());
        assertEquals(2000, batches.fill(0, 0, new float[4096 * SIZE]));
    }

    @Test
    void rejectsBadArguments() {
        BufferedShuffle shuffle = new BufferedShuffle(2000, 256, 5);
        assertThrows(IllegalArgumentException.class, () -> new Batches(data, 0, shuffle));
        assertThrows(IllegalArgumentException.class, () -> new Batches(data, 256, new BufferedShuffle(1999, 256, 5)));
        Batches batches = new Batches(data, 256, shuffle);
        assertThrows(IllegalArgumentException.class, () -> batches.fill(0, 0, new float[255 * SIZE]));
        assertThrows(IndexOutOfBoundsException.class, () -> batches.fill(0, 8, new float[256 * SIZE]));
        assertThrows(IllegalArgumentException.class, () -> batches.fill(-1, 0, new float[256 * SIZE]));
    }
}
