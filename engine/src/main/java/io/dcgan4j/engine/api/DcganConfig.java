package io.dcgan4j.engine.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * Every hyper-parameter of the DCGAN and its optimisers, in one place. The values come from a {@link Preset}
 * ({@link #seedDefaults()} is the seed's code); {@link #preset()} names the preset they started from, whatever was
 * changed afterwards.
 *
 * @param preset                  the preset these values were resolved from
 * @param noiseDim                length of the generator's input vector
 * @param batchSize               images per step, and the size of every noise batch
 * @param learningRate            Adam learning rate, both optimisers
 * @param beta1                   Adam β1
 * @param beta2                   Adam β2
 * @param adamEpsilon             Adam ε (Keras form: added to sqrt(v) before the bias correction)
 * @param leakyAlpha              leaky ReLU slope for negative inputs
 * @param bnMomentum              BatchNormalization moving-average momentum
 * @param bnEpsilon               BatchNormalization ε
 * @param discriminatorActivation what follows each of the discriminator's BatchNormalization layers
 * @param kernelInit              how the Dense and convolution kernels are first drawn
 */
public record DcganConfig(Preset preset, int noiseDim, int batchSize, float learningRate, float beta1, float beta2,
                          float adamEpsilon, float leakyAlpha, float bnMomentum, float bnEpsilon,
                          DiscriminatorActivation discriminatorActivation, KernelInit kernelInit) {

    /** What follows each BatchNormalization of the discriminator. */
    public enum DiscriminatorActivation {
        /** Nothing: the seed's code, where the discriminator is affine per sample. */
        NONE("none"),
        /** Leaky ReLU with {@link #leakyAlpha()}, as the seed's text describes. */
        LEAKY_RELU("leaky-relu");

        private final String label;

        DiscriminatorActivation(String label) {
            this.label = label;
        }

        /** {@return the name used on the command line and in checkpoints} */
        @Override
        public String toString() {
            return label;
        }

        /**
         * The activation named {@code label} ({@link #toString()}).
         *
         * @param label a name such as {@code leaky-relu}
         * @return the activation
         * @throws IllegalArgumentException no activation has that name; the message lists those that do
         */
        public static DiscriminatorActivation parse(String label) {
            return byLabel(values(), label, "discriminator activation");
        }
    }

    /** How the {@code *_kernel} variables are drawn; biases, β and moving means start at 0, γ and variances at 1. */
    public enum KernelInit {
        /** Keras's default, U[−limit, limit) with {@code limit = sqrt(6/(fan_in + fan_out))}. */
        GLOROT_UNIFORM("glorot-uniform"),
        /** N(0, 0.02²), the DCGAN paper's (Radford et al. 2015, §4). */
        NORMAL_0_02("normal-0.02");

        private final String label;

        KernelInit(String label) {
            this.label = label;
        }

        /** {@return the name used on the command line and in checkpoints} */
        @Override
        public String toString() {
            return label;
        }

        /**
         * The initialiser named {@code label} ({@link #toString()}).
         *
         * @param label a name such as {@code normal-0.02}
         * @return the initialiser
         * @throws IllegalArgumentException no initialiser has that name; the message lists those that do
         */
        public static KernelInit parse(String label) {
            return byLabel(values(), label, "kernel initialiser");
        }
    }

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException a noise length or batch size below 1, or a missing choice
     */
    public DcganConfig {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(discriminatorActivation, "discriminatorActivation");
        Objects.requireNonNull(kernelInit, "kernelInit");
        if (noiseDim < 1) {
            throw new IllegalArgumentException("noiseDim must be positive, got " + noiseDim);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
    }

    /**
     * The seed's values ({@link Preset#SEED}): noise 100, batch 256, Adam(1e-3, 0.9, 0.999, 1e-7), leaky ReLU 0.2,
     * BN(0.99, 1e-3), no activation in the discriminator, glorot_uniform kernels.
     *
     * @return the seed's config
     */
    public static DcganConfig seedDefaults() {
        return Preset.SEED.config();
    }

    /**
     * This config with another batch size.
     *
     * @param newBatchSize images per step, at least 1
     * @return the new config
     */
    public DcganConfig withBatchSize(int newBatchSize) {
        return new DcganConfig(preset, noiseDim, newBatchSize, learningRate, beta1, beta2, adamEpsilon, leakyAlpha,
                bnMomentum, bnEpsilon, discriminatorActivation, kernelInit);
    }

    /**
     * This config with another Adam learning rate and β1, both optimisers.
     *
     * @param newLearningRate the learning rate
     * @param newBeta1        β1
     * @return the new config
     */
    public DcganConfig withAdam(float newLearningRate, float newBeta1) {
        return new DcganConfig(preset, noiseDim, batchSize, newLearningRate, newBeta1, beta2, adamEpsilon, leakyAlpha,
                bnMomentum, bnEpsilon, discriminatorActivation, kernelInit);
    }

    /**
     * This config with another discriminator activation.
     *
     * @param activation what follows each discriminator BatchNormalization
     * @return the new config
     */
    public DcganConfig withDiscriminatorActivation(DiscriminatorActivation activation) {
        return new DcganConfig(preset, noiseDim, batchSize, learningRate, beta1, beta2, adamEpsilon, leakyAlpha,
                bnMomentum, bnEpsilon, activation, kernelInit);
    }

    /**
     * This config with another kernel initialiser.
     *
     * @param init how the kernels are drawn
     * @return the new config
     */
    public DcganConfig withKernelInit(KernelInit init) {
        return new DcganConfig(preset, noiseDim, batchSize, learningRate, beta1, beta2, adamEpsilon, leakyAlpha,
                bnMomentum, bnEpsilon, discriminatorActivation, init);
    }

    /**
     * These values, recorded as resolved from another preset.
     *
     * @param base the preset to name
     * @return the new config
     */
    public DcganConfig withPreset(Preset base) {
        return new DcganConfig(base, noiseDim, batchSize, learningRate, beta1, beta2, adamEpsilon, leakyAlpha,
                bnMomentum, bnEpsilon, discriminatorActivation, kernelInit);
    }

    static <E extends Enum<E>> E byLabel(E[] values, String label, String what) {
        for (E e : values) {
            if (e.toString().equals(label)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no " + what + " named '" + label + "'; choose one of "
                + String.join(", ", Arrays.stream(values).map(Object::toString).toList()));
    }
}
