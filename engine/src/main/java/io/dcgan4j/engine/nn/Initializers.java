package io.dcgan4j.engine.nn;

import io.dcgan4j.engine.backend.Backend;

import java.util.Collection;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Keras weight initialisers (keras-semantics.md §5) and the DCGAN paper's, drawn on the host from a seeded generator. */
public final class Initializers {

    /** The standard deviation of the DCGAN paper's kernels (Radford et al. 2015, §4). */
    public static final double DCGAN_PAPER_STDDEV = 0.02;

    /** Values for a kernel of a given shape, drawn from {@code rng}. */
    @FunctionalInterface
    public interface Draw {
        float[] values(RandomGenerator rng, int[] shape);
    }

    private Initializers() {
    }

    /**
     * {@code glorot_uniform}: U[−limit, limit) with {@code limit = sqrt(6/(fan_in + fan_out))}, fans by Keras's
     * {@code _compute_fans}: rank 2 {@code [in,out]}; higher ranks multiply the last two dimensions by the product
     * of the others (the receptive field), which holds for Conv2D and Conv2DTranspose kernels alike.
     */
    public static float[] glorotUniform(RandomGenerator rng, int... shape) {
        double limit = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) ((2 * rng.nextDouble() - 1) * limit);
        }
        return w;
    }

    /** N(0, stddev²), as Keras's {@code RandomNormal(0, stddev)}, each value one Gaussian draw. */
    public static float[] normal(RandomGenerator rng, double stddev, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rng.nextGaussian() * stddev);
        }
        return w;
    }

    /**
     * Gives every {@code *_kernel} variable values from {@code draw}, in the collection's order from one generator
     * seeded with {@code seed}; the other variables keep the values their layers gave them.
     */
    public static void kernels(Backend backend, Collection<Variable> variables, long seed, Draw draw) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Variable v : variables) {
            if (v.name().endsWith("_kernel")) {
                backend.upload(draw.values(rng, v.value().shape()), v.value());
            }
        }
    }

    /** {@link #kernels} with glorot_uniform values. */
    public static void glorotUniformKernels(Backend backend, Collection<Variable> variables, long seed) {
        kernels(backend, variables, seed, Initializers::glorotUniform);
    }

    static long receptiveField(int[] shape) {
        long rf = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            rf *= shape[i];
        }
        return rf;
    }

    public static long fanIn(int[] shape) {
        return shape.length < 2 ? shape[0] : shape[shape.length - 2] * receptiveField(shape);
    }

    public static long fanOut(int[] shape) {
        return shape.length < 2 ? shape[0] : shape[shape.length - 1] * receptiveField(shape);
    }
}
