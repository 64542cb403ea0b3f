package io.dcgan4j.engine.api;

/**
 * How {@link MnistClassifier#train} trains the evaluation classifier: Adam (Keras's β1, β2 and ε) on softmax
 * cross-entropy, its learning rate halved after each epoch, the training images shuffled anew each epoch from
 * {@code seed}.
 *
 * @param epochs       passes over the training images, at least 1
 * @param batchSize    images per step, at least 1
 * @param learningRate Adam's learning rate in the first epoch, positive
 * @param samples      how many leading training images to use, or {@link MnistDataset#ALL}
 * @param seed         seed of the initial weights and of the shuffles
 */
public record ClassifierOptions(int epochs, int batchSize, float learningRate, int samples, long seed) {

    /** Checks the ranges. */
    public ClassifierOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1 (or ALL), got " + samples);
        }
    }

    /**
     * {@return the defaults: 4 epochs of batch 128 at learning rate 1e-3 over all training images, seed 1} They reach
     * about 99 % test accuracy on MNIST.
     */
    public static ClassifierOptions defaults() {
        return new ClassifierOptions(4, 128, 1e-3f, MnistDataset.ALL, 1);
    }

    /**
     * {@return a copy with another epoch count}
     *
     * @param value passes over the training images
     */
    public ClassifierOptions withEpochs(int value) {
        return new ClassifierOptions(value, batchSize, learningRate, samples, seed);
    }

    /**
     * {@return a copy with another sample count}
     *
     * @param value leading training images, or {@link MnistDataset#ALL}
     */
    public ClassifierOptions withSamples(int value) {
        return new ClassifierOptions(epochs, batchSize, learningRate, value, seed);
    }

    /**
     * {@return a copy with another seed}
     *
     * @param value seed of the weights and shuffles
     */
    public ClassifierOptions withSeed(long value) {
        return new ClassifierOptions(epochs, batchSize, learningRate, samples, value);
    }
}
