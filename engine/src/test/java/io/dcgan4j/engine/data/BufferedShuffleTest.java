package io.dcgan4j.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BufferedShuffleTest {

    @ParameterizedTest(name = "{0} elements, buffer {1}")
    @CsvSource({"2000, 256", "7, 3", "1, 1", "10, 100", "300, 1", "5, 5", "1000, 999"})
    void everyIndexExactlyOncePerEpoch(int size, int buffer) {
        BufferedShuffle shuffle = new BufferedShuffle(size, buffer, 42);
        for (int epoch = 0; epoch < 5; epoch++) {
            int[] order = shuffle.order(epoch);
            assertEquals(size, order.length);
            boolean[] seen = new boolean[size];
            for (int i : order) {
                assertFalse(seen[i], "index " + i + " twice in epoch " + epoch);
                seen[i] = true;
            }
        }
    }

    @ParameterizedTest(name = "{0} elements, buffer {1}")
    @CsvSource({"2000, 256", "7, 3", "300, 1", "50, 8"})
    void noElementBeforeTheWindowReachesIt(int size, int buffer) {
        BufferedShuffle shuffle = new BufferedShuffle(size, buffer, 7);
        for (int epoch = 0; epoch < 20; epoch++) {
            int[] order = shuffle.order(epoch);
            for (int position = 0; position < size; position++) {
                int element = order[position];
                assertTrue(position >= element - buffer + 1,
                        "element " + element + " at position " + position + " with buffer " + buffer);
            }
        }
    }

    @Test
    void bufferOfOneKeepsTheInputOrder() {
        assertArrayEquals(IntStream.range(0, 300).toArray(), new BufferedShuffle(300, 1, 3).order(4));
    }

    @Test
    void sameSeedAndEpochSameOrder() {
        BufferedShuffle a = new BufferedShuffle(2000, 256, 99);
        BufferedShuffle b = new BufferedShuffle(2000, 256, 99);
        int[] epoch3 = a.order(3);
        a.order(0);
        a.order(1);
        assertArrayEquals(epoch3, b.order(3), "an epoch's order does not depend on the epochs computed before");
        assertArrayEquals(epoch3, a.order(3));
    }

    @Test
    void differentEpochOrSeedDifferentOrder() {
        BufferedShuffle a = new BufferedShuffle(2000, 256, 99);
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
        assertFalse(Arrays.equals(a.order(0), new BufferedShuffle(2000, 256, 100).order(0)));
        assertFalse(Arrays.equals(a.order(0), IntStream.range(0, 2000).toArray()));
    }

    /** With the buffer at least the data set, any element comes first equally often: a uniform permutation. */
    @Test
    void bigBufferIsUniform() {
        BufferedShuffle shuffle = new BufferedShuffle(10, 100, 5);
        int[] first = new int[10];
        for (int epoch = 0; epoch < 10_000; epoch++) {
            first[shuffle.order(epoch)[0]]++;
        }
        for (int count : first) {
            assertTrue(count > 850 && count < 1150, "first-position counts " + Arrays.toString(first));
        }
    }

    /** The first element comes uniformly from the first window of {@code buffer} elements, as in tf.data. */
    @Test
    void firstPickIsUniformOverTheFirstWindow() {
        BufferedShuffle shuffle = new BufferedShuffle(7, 3, 6);
        int[] first = new int[7];
        for (int epoch = 0; epoch < 9_000; epoch++) {
            first[shuffle.order(epoch)[0]]++;
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(first[i] > 2700 && first[i] < 3300, "first-position counts " + Arrays.toString(first));
        }
        assertEquals(0, first[3] + first[4] + first[5] + first[6]);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new BufferedShuffle(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BufferedShuffle(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BufferedShuffle(1, 1, 0).order(-1));
    }
}
