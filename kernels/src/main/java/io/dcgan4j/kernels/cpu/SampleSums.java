package io.dcgan4j.kernels.cpu;

import java.util.Arrays;

/**
 * A weight and bias gradient computed one sample per task, each task writing that sample's partials, and summed over
 * the samples in sample order in double, so that the result depends on the shape only, never on the thread count.
 * The samples go in chunks whose partials fit {@link #BUDGET_FLOATS}. The direct convolution paths share it.
 */
final class SampleSums {

    /** Upper bound, in floats, for the partials of one chunk of samples (at least one sample). */
    private static final int BUDGET_FLOATS = 1 << 18;

    private final int weights;
    private final int biases;
    private final int chunk;
    /** [chunk, weights] and [chunk, biases]: the per-sample partials of the chunk in progress, written by the tasks. */
    final float[] weightPartials;
    final float[] biasPartials;
    /** The sums over all samples of the last {@link #run}. */
    final double[] weightSums;
    final double[] biasSums;
    private int chunkStart;

    SampleSums(int batch, int weights, int biases) {
        this.weights = weights;
        this.biases = biases;
        chunk = Math.max(1, Math.min(batch, BUDGET_FLOATS / (weights + biases)));
        weightPartials = new float[chunk * weights];
        biasPartials = new float[chunk * biases];
        weightSums = new double[weights];
        biasSums = new double[biases];
    }

    /** The sample that task {@code index} of the chunk in progress computes. */
    int sample(int index) {
        return chunkStart + index;
    }

    /** Runs {@code task} once per sample of {@code batch}, chunk by chunk, and sums the partials in sample order. */
    void run(Parallel pool, int batch, Parallel.Task task) {
        Arrays.fill(weightSums, 0.0);
        Arrays.fill(biasSums, 0.0);
        for (int n0 = 0; n0 < batch; n0 += chunk) {
            int samples = Math.min(chunk, batch - n0);
            chunkStart = n0;
            pool.run(samples, task);
            for (int t = 0; t < samples; t++) {
                for (int i = 0; i < weights; i++) {
                    weightSums[i] += weightPartials[t * weights + i];
                }
                for (int o = 0; o < biases; o++) {
                    biasSums[o] += biasPartials[t * biases + o];
                }
            }
        }
    }
}
