package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.PerBatch;

/**
 * Generates images with the generator in inference mode (moving BatchNorm statistics, no state change), as the
 * seed's {@code generator(test_noise, training=False)}. Safe to call between train steps: every step runs its own
 * generator forward before using the generator's output.
 */
public final class Sampler {

    private final Backend backend;
    private final Dcgan model;
    private final PerBatch<Tensor> noiseBatches;

    public Sampler(Backend backend, Dcgan model) {
        this.backend = backend;
        this.model = model;
        int noiseDim = model.config().noiseDim();
        this.noiseBatches = new PerBatch<>(n -> backend.zeros(n, noiseDim));
    }

    /**
     * Images {@code [count,28,28,1]} in [−1, 1] for the noise vectors {@code noise} ({@code count · noiseDim}
     * floats, row after row), generated a training batch at a time so that ten thousand samples need no more memory
     * than a train step.
     */
    public float[] generate(float[] noise) {
        int noiseDim = model.config().noiseDim();
        if (noise.length == 0 || noise.length % noiseDim != 0) {
            throw new IllegalArgumentException("noise must hold a positive multiple of " + noiseDim
                    + " floats, got " + noise.length);
        }
        int count = noise.length / noiseDim;
        int chunk = Math.min(count, model.config().batchSize());
        float[] out = new float[count * Dcgan.IMAGE_SIZE];
        float[] z = new float[chunk * noiseDim];
        float[] images = new float[chunk * Dcgan.IMAGE_SIZE];
        for (int first = 0; first < count; first += chunk) {
            int n = Math.min(chunk, count - first);
            System.arraycopy(noise, first * noiseDim, z, 0, n * noiseDim);
            Tensor batch = noiseBatches.get(n);
            backend.upload(z, batch);
            backend.download(model.generator().forward(batch, Mode.INFERENCE), images);
            System.arraycopy(images, 0, out, first * Dcgan.IMAGE_SIZE, n * Dcgan.IMAGE_SIZE);
        }
        return out;
    }
}
