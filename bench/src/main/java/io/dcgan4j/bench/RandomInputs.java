package io.dcgan4j.bench;

import java.util.SplittableRandom;

/**
 * Benchmark inputs drawn from a fixed seed, so every run times the same numbers. Values are non-zero and of order
 * one, like the model's activations and gradients, so no kernel runs on zeros (or on denormals, which cost more).
 */
final class RandomInputs {

    /** The one seed of every benchmark's inputs. */
    static final long SEED = 20_240_901L;

    private final SplittableRandom random = new SplittableRandom(SEED);

    /** {@code n} values uniform in {@code [low, high)}. */
    float[] uniform(int n, float low, float high) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = low + (high - low) * (float) random.nextDouble();
        }
        return a;
    }

    /** {@code n} values uniform in {@code [-1, 1)}. */
    float[] symmetric(int n) {
        return uniform(n, -1f, 1f);
    }

    /** {@code n} standard-normal values (the generator's noise). */
    float[] gaussian(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
