package io.dcgan4j.engine.api;

import io.dcgan4j.engine.api.MnistDataset;

/**
 * What a training run does with the data, beside the model's own hyper-parameters ({@code DcganConfig}). The
 * values come from a {@link Preset}; {@link #seedDefaults()} are the seed's.
 *
 * @param epochs        passes over the data
 * @param samples       how many leading images of the training file to train on, or {@link #ALL_SAMPLES}
 * @param shuffleBuffer tf.data shuffle buffer size
 */
public record TrainingOptions(int epochs, int samples, int shuffleBuffer) {

    /** {@link #samples} value meaning every image of the file. */
    public static final int ALL_SAMPLES = MnistDataset.ALL;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException a value below 1
     */
    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be positive, got " + samples);
        }
        if (shuffleBuffer < 1) {
            throw new IllegalArgumentException("the shuffle buffer must hold at least one image, got "
                    + shuffleBuffer);
        }
    }

    /**
     * The seed's run ({@link Preset#SEED}): 5 epochs over the first 2000 images, shuffle buffer 256.
     *
     * @return the seed's options
     */
    public static TrainingOptions seedDefaults() {
        return Preset.SEED.options();
    }
}
