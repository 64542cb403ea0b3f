package io.dcgan4j.engine.api;

/**
 * Every hyper-parameter of the DCGAN and its training, in one place. {@link #seedDefaults()} are the values of the
 * original TensorFlow code: Keras defaults for Adam and BatchNormalization, {@code tf.nn.leaky_relu}'s slope.
 *
 * @param noiseDim        length of the generator's input vector
 * @param batchSize       images per step, and the size of every noise batch
 * @param learningRate    Adam learning rate, both optimisers
 * @param beta1           Adam β1
 * @param beta2           Adam β2
 * @param adamEpsilon     Adam ε (Keras form: added to sqrt(v) before the bias correction)
 * @param leakyAlpha      leaky ReLU slope for negative inputs
 * @param bnMomentum      BatchNormalization moving-average momentum
 * @param bnEpsilon       BatchNormalization ε
 */
public record DcganConfig(int noiseDim, int batchSize, float learningRate, float beta1, float beta2,
                          float adamEpsilon, float leakyAlpha, float bnMomentum, float bnEpsilon) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException a noise length or batch size below 1
     */
    public DcganConfig {
        if (noiseDim < 1) {
            throw new IllegalArgumentException("noiseDim must be positive, got " + noiseDim);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
    }

    /**
     * The seed's values: noise 100, batch 256, Adam(1e-3, 0.9, 0.999, 1e-7), leaky ReLU 0.2, BN(0.99, 1e-3).
     *
     * @return the seed's config
     */
    public static DcganConfig seedDefaults() {
        return new DcganConfig(100, 256, 1e-3f, 0.9f, 0.999f, 1e-7f, 0.2f, 0.99f, 1e-3f);
    }

    /**
     * This config with another batch size.
     *
     * @param newBatchSize images per step, at least 1
     * @return the new config
     */
    public DcganConfig withBatchSize(int newBatchSize) {
        return new DcganConfig(noiseDim, newBatchSize, learningRate, beta1, beta2, adamEpsilon, leakyAlpha,
                bnMomentum, bnEpsilon);
    }
}
