package io.dcgan4j.engine.api;

import io.dcgan4j.engine.api.DcganConfig.DiscriminatorActivation;
import io.dcgan4j.engine.api.DcganConfig.KernelInit;

/**
 * Named starting points for a run: the same engine and network, configured as the seed's code, as the seed's text,
 * or with the DCGAN paper's recipe. Each is a {@link DcganConfig} and {@link TrainingOptions}; a caller may change any
 * value afterwards, and the config still names the preset it came from.
 */
public enum Preset {

    /** Exactly the seed's code: no discriminator activation, Adam 1e-3, glorot_uniform, 5 epochs × 2000 images. */
    SEED("seed", "exactly the seed's code"),
    /** The seed's text: leaky ReLU (slope 0.2) after each discriminator BatchNormalization; otherwise the seed. */
    SEED_TEXT("seed-text", "the seed's text: leaky ReLU after each D BatchNorm"),
    /**
     * {@link #SEED_TEXT} with the DCGAN paper's recipe (Radford et al. 2015, §4): Adam lr 2e-4 and β1 0.5, kernels
     * from N(0, 0.02²), all 60000 images.
     */
    DCGAN_PAPER("dcgan-paper", "seed-text with the DCGAN paper's recipe");

    private final String label;
    private final String summary;

    Preset(String label, String summary) {
        this.label = label;
        this.summary = summary;
    }

    /** {@return the model and optimiser values of this preset} */
    public DcganConfig config() {
        return switch (this) {
            case SEED -> new DcganConfig(SEED, 100, 256, 1e-3f, 0.9f, 0.999f, 1e-7f, 0.2f, 0.99f, 1e-3f,
                    DiscriminatorActivation.NONE, KernelInit.GLOROT_UNIFORM);
            case SEED_TEXT -> SEED.config().withPreset(SEED_TEXT)
                    .withDiscriminatorActivation(DiscriminatorActivation.LEAKY_RELU);
            case DCGAN_PAPER -> SEED_TEXT.config().withPreset(DCGAN_PAPER).withAdam(2e-4f, 0.5f)
                    .withKernelInit(KernelInit.NORMAL_0_02);
        };
    }

    /** {@return the epochs and data of this preset} */
    public TrainingOptions options() {
        return switch (this) {
            case SEED, SEED_TEXT -> new TrainingOptions(5, 2000, 256);
            case DCGAN_PAPER -> new TrainingOptions(5, TrainingOptions.ALL_SAMPLES, 256);
        };
    }

    /** {@return one line on what the preset is} */
    public String summary() {
        return summary;
    }

    /** {@return the name used on the command line and in checkpoints, e.g. {@code seed-text}} */
    @Override
    public String toString() {
        return label;
    }

    /**
     * The preset named {@code label} ({@link #toString()}).
     *
     * @param label a name such as {@code dcgan-paper}
     * @return the preset
     * @throws IllegalArgumentException no preset has that name; the message lists those that do
     */
    public static Preset parse(String label) {
        return DcganConfig.byLabel(values(), label, "preset");
    }
}
