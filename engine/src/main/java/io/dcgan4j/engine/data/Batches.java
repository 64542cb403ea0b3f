package io.dcgan4j.engine.data;

import io.dcgan4j.engine.api.MnistDataset;
import io.dcgan4j.engine.gan.Dcgan;

import java.util.Objects;

/**
 * One epoch's batches in shuffled order, as tf.data's {@code shuffle(...).batch(batchSize)} with
 * {@code drop_remainder=False}: the last batch of an epoch holds what is left. The current epoch's order is cached,
 * so going through an epoch costs one {@link BufferedShuffle#order} call and no allocation per batch.
 */
public final class Batches {

    private final MnistDataset data;
    private final int batchSize;
    private final BufferedShuffle shuffle;
    private int cachedEpoch = -1;
    private int[] order;

    /** Batches of {@code batchSize} images of {@code data} in the order of {@code shuffle}. */
    public Batches(MnistDataset data, int batchSize, BufferedShuffle shuffle) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
        }
        if (shuffle.datasetSize() != data.count()) {
            throw new IllegalArgumentException("the shuffle is over " + shuffle.datasetSize()
                    + " elements but the data set holds " + data.count() + " images");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
    }

    /** Batches per epoch, the last one partial when the batch size does not divide the data set size. */
    public int batchesPerEpoch() {
        return (data.count() + batchSize - 1) / batchSize;
    }

    /** Images in each batch but the last. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Copies batch {@code batch} of epoch {@code epoch} into the front of {@code dest}, NHWC, and returns how many
     * images it holds ({@code batchSize}, or fewer for the last batch).
     */
    public int fill(int epoch, int batch, float[] dest) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be at least 0, got " + epoch);
        }
        Objects.checkIndex(batch, batchesPerEpoch());
        long needed = (long) batchSize * Dcgan.IMAGE_SIZE;
        if (dest.length < needed) {
            throw new IllegalArgumentException("the batch buffer holds " + dest.length + " floats, a batch needs "
                    + needed);
        }
        if (epoch != cachedEpoch) {
            order = shuffle.order(epoch);
            cachedEpoch = epoch;
        }
        int first = batch * batchSize;
        int count = Math.min(batchSize, data.count() - first);
        for (int i = 0; i < count; i++) {
            data.copyImage(order[first + i], dest, i * Dcgan.IMAGE_SIZE);
        }
        return count;
    }
}
