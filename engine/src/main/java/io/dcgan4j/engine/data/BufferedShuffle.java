package io.dcgan4j.engine.data;

import java.util.SplittableRandom;

/**
 * tf.data's {@code shuffle(buffer_size, reshuffle_each_iteration=True)} over the indices {@code 0..datasetSize-1}.
 *
 * <p>The algorithm is TensorFlow's ({@code ShuffleDatasetOp}): the buffer is a ring that holds the window of input
 * elements read but not yet emitted. Each step first tops the buffer up from the input, in order, to
 * {@code bufferSize} elements (or until the input runs out), then picks one of the {@code count} buffered elements
 * uniformly, emits it, moves the oldest buffered element into the emptied slot and drops the oldest position. So an
 * element can come out only once the window has reached it, and once the input is exhausted the buffer drains in
 * the same way. TensorFlow's Philox stream is not reproduced; picks come from {@link SplittableRandom}.
 *
 * <p>Each epoch's random stream depends on (seed, epoch) only, so any epoch's order can be computed on its own,
 * which a resumed run needs.
 */
public final class BufferedShuffle {

    /** SplittableRandom's golden-ratio increment, spacing the epochs' seeds apart before mixing. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final int datasetSize;
    private final int bufferSize;
    private final long seed;

    /**
     * A shuffle of {@code datasetSize} elements through a buffer of {@code bufferSize}; a buffer of at least the
     * data set size gives a uniform permutation, a buffer of 1 the identity.
     */
    public BufferedShuffle(int datasetSize, int bufferSize, long seed) {
        if (datasetSize < 1) {
            throw new IllegalArgumentException("the data set must hold at least one element, got " + datasetSize);
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("the shuffle buffer must hold at least one element, got "
                    + bufferSize);
        }
        this.datasetSize = datasetSize;
        this.bufferSize = bufferSize;
        this.seed = seed;
    }

    /** The order in which epoch {@code epoch} (from 0) emits the indices: a permutation of 0..datasetSize-1. */
    public int[] order(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be at least 0, got " + epoch);
        }
        SplittableRandom random = new SplittableRandom(mix64(mix64(seed) + GOLDEN_GAMMA * (epoch + 1L)));
        int capacity = Math.min(bufferSize, datasetSize);
        int[] ring = new int[capacity];
        int[] order = new int[datasetSize];
        int read = 0; // input elements read so far; the next one is element read
        for (int out = 0; out < datasetSize; out++) {
            // The ring holds the read - out elements read but not emitted, in ring positions out..read-1.
            while (read - out < capacity && read < datasetSize) {
                ring[read % capacity] = read;
                read++;
            }
            int oldest = out % capacity;
            int r = random.nextInt(read - out);
            int picked = r < capacity - oldest ? oldest + r : r - (capacity - oldest);
            order[out] = ring[picked];
            ring[picked] = ring[oldest];
        }
        return order;
    }

    /** Number of elements per epoch. */
    public int datasetSize() {
        return datasetSize;
    }

    /** The buffer size as given. */
    public int bufferSize() {
        return bufferSize;
    }

    /** Stafford's variant 13 of the MurmurHash3 finalizer: a bijective 64-bit mix. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
