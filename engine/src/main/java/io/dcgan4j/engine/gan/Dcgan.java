package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.api.DcganConfig;
import io.dcgan4j.engine.api.DcganConfig.DiscriminatorActivation;
import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.nn.BatchNormalization;
import io.dcgan4j.engine.nn.Conv2D;
import io.dcgan4j.engine.nn.Conv2DTranspose;
import io.dcgan4j.engine.nn.Dense;
import io.dcgan4j.engine.nn.Initializers;
import io.dcgan4j.engine.nn.LeakyReLU;
import io.dcgan4j.engine.nn.Module;
import io.dcgan4j.engine.nn.Reshape;
import io.dcgan4j.engine.nn.Sequential;
import io.dcgan4j.engine.nn.Tanh;
import io.dcgan4j.engine.nn.Variable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The generator and discriminator of the seed's TensorFlow code, layer for layer (per-sample shapes, NHWC):
 *
 * <pre>
 * G: z[100] → Dense 4608 (no bias) → reshape 3×3×512 → lrelu
 *    → ConvT(256,k3,s3) 9×9×256 → BN → lrelu → ConvT(128,k5,s2) 21×21×128 → BN → lrelu
 *    → ConvT(3,k4,s3) 64×64×3 → Conv(1,k9,s2) 28×28×1 → tanh
 * D: x[28,28,1] → Conv(64,k3,s2) 13×13×64 → BN → Conv(128,k3,s2) 6×6×128 → BN → Conv(256,k2,s2) 3×3×256 → BN
 *    → flatten 2304 → Dense 1 (logit)
 * </pre>
 * The seed's code has no activation in the discriminator, and {@link DiscriminatorActivation#NONE} reproduces that as
 * written; {@link DiscriminatorActivation#LEAKY_RELU} adds {@code d_lrelu1..3} after the BatchNormalization layers, as
 * the seed's text describes. Neither has variables of its own, so both models name the same variables.
 */
public final class Dcgan {

    /** Image height, width and channels: MNIST, 28×28, one channel. */
    public static final int IMAGE_HEIGHT = 28;
    public static final int IMAGE_WIDTH = 28;
    public static final int IMAGE_CHANNELS = 1;
    /** Floats per image. */
    public static final int IMAGE_SIZE = IMAGE_HEIGHT * IMAGE_WIDTH * IMAGE_CHANNELS;

    private final DcganConfig config;
    private final Sequential generator;
    private final Sequential discriminator;
    private final Map<String, Variable> variables;

    /** Builds both networks on {@code backend} with Keras's initial values from {@code seed}. */
    public Dcgan(Backend backend, DcganConfig config, long seed) {
        this.config = config;
        float a = config.leakyAlpha(), mom = config.bnMomentum(), eps = config.bnEpsilon();
        generator = new Sequential("generator", List.of(
                new Dense("g_dense", 3 * 3 * 512, false),
                new Reshape("g_reshape", 3, 3, 512),
                new LeakyReLU("g_lrelu0", a),
                new Conv2DTranspose("g_convT1", 256, 3, 3),
                new BatchNormalization("g_bn1", mom, eps),
                new LeakyReLU("g_lrelu1", a),
                new Conv2DTranspose("g_convT2", 128, 5, 2),
                new BatchNormalization("g_bn2", mom, eps),
                new LeakyReLU("g_lrelu2", a),
                new Conv2DTranspose("g_convT3", 3, 4, 3),
                new Conv2D("g_conv", 1, 9, 2),
                new Tanh("g_tanh")));
        List<Module> d = new ArrayList<>();
        int[] filters = {64, 128, 256};
        int[] kernels = {3, 3, 2};
        for (int i = 0; i < filters.length; i++) {
            int layer = i + 1;
            d.add(new Conv2D("d_conv" + layer, filters[i], kernels[i], 2));
            d.add(new BatchNormalization("d_bn" + layer, mom, eps));
            if (config.discriminatorActivation() == DiscriminatorActivation.LEAKY_RELU) {
                d.add(new LeakyReLU("d_lrelu" + layer, a));
            }
        }
        d.add(Reshape.flatten("d_flatten"));
        d.add(new Dense("d_dense", 1, true));
        discriminator = new Sequential("discriminator", d);
        int[] image = generator.build(backend, new int[]{config.noiseDim()});
        if (!Arrays.equals(image, imageShape())) {
            throw new IllegalStateException("generator makes " + Arrays.toString(image));
        }
        discriminator.build(backend, imageShape());

        variables = Sequential.variablesByName(generator, discriminator);
        // Kernels in variable order (generator, then discriminator); biases, BN β and moving means start at 0, BN γ
        // and moving variances at 1 (set by the layers).
        Initializers.kernels(backend, variables.values(), seed, switch (config.kernelInit()) {
            case GLOROT_UNIFORM -> Initializers::glorotUniform;
            case NORMAL_0_02 -> (rng, shape) -> Initializers.normal(rng, Initializers.DCGAN_PAPER_STDDEV, shape);
        });
    }

    /** The per-sample image shape {@code [28, 28, 1]} (a new array). */
    public static int[] imageShape() {
        return new int[]{IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS};
    }

    public DcganConfig config() {
        return config;
    }

    public Sequential generator() {
        return generator;
    }

    public Sequential discriminator() {
        return discriminator;
    }

    /** Every variable of both networks by its Keras-style name, generator first, in layer order. */
    public Map<String, Variable> variables() {
        return variables;
    }

    /** The variable named {@code name}, e.g. {@code g_convT2_kernel}. */
    public Variable variable(String name) {
        Variable v = variables.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no variable named '" + name + "'; the model has " + variables.keySet());
        }
        return v;
    }
}
