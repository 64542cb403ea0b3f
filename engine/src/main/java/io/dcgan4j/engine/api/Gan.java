package io.dcgan4j.engine.api;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.checkpoint.Safetensors.Entry;
import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.gan.Sampler;
import io.dcgan4j.engine.nn.Variable;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seed's DCGAN, generator and discriminator, living on one {@link Device}: made from a config or loaded from a
 * checkpoint, it generates images. Training goes through a {@link Trainer}, which owns one. Not thread-safe; close it
 * to free the device's memory and threads.
 */
public final class Gan implements AutoCloseable {

    /** Height of a generated image in pixels. */
    public static final int IMAGE_HEIGHT = Dcgan.IMAGE_HEIGHT;
    /** Width of a generated image in pixels. */
    public static final int IMAGE_WIDTH = Dcgan.IMAGE_WIDTH;

    private final Device device;
    private final Backend backend;
    private final Dcgan model;
    private final Sampler sampler;

    private Gan(Device device, Backend backend, Dcgan model) {
        this.device = device;
        this.backend = backend;
        this.model = model;
        this.sampler = new Sampler(backend, model);
    }

    /**
     * A new model with Keras's initial values (glorot-uniform kernels, zero biases, BatchNorm at identity).
     *
     * @param config hyper-parameters; {@link DcganConfig#seedDefaults()} is the seed's model
     * @param device where the model lives
     * @param seed   seed of the initial weights
     * @return the model; close it when done
     * @throws IllegalStateException the device cannot be used here (the message says why)
     */
    public static Gan create(DcganConfig config, Device device, long seed) {
        Backend backend = device.open();
        try {
            return new Gan(device, backend, new Dcgan(backend, config, seed));
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * The model stored in a checkpoint file, for generating images. Everything is checked before the model is made.
     *
     * @param checkpoint a file written by {@link Trainer#save} or {@link Checkpoint#write}
     * @param device     where the model lives
     * @return the model; close it when done
     * @throws CheckpointException the file is not a valid checkpoint or its tensors do not fit its config
     * @throws IOException         the file cannot be read
     */
    public static Gan load(Path checkpoint, Device device) throws IOException {
        return load(Checkpoint.read(checkpoint), device);
    }

    /**
     * The model held by a checkpoint.
     *
     * @param checkpoint a checkpoint read with {@link Checkpoint#read} or taken with {@link Trainer#checkpoint()}
     * @param device     where the model lives
     * @return the model; close it when done
     * @throws CheckpointException the checkpoint's tensors do not fit its config
     */
    public static Gan load(Checkpoint checkpoint, Device device) throws CheckpointException {
        Gan gan = create(checkpoint.config(), device, 0);
        try {
            CheckpointLayout.of(gan.model).check(checkpoint);
            gan.restore(checkpoint);
            return gan;
        } catch (CheckpointException | RuntimeException e) {
            gan.close();
            throw e;
        }
    }

    /** Uploads every model variable of an already checked checkpoint. */
    void restore(Checkpoint checkpoint) {
        for (Variable v : model.variables().values()) {
            backend.upload(checkpoint.entries().get(v.name()).values(), v.value());
        }
    }

    /** The model's variables, downloaded, by name. */
    Map<String, Entry> variableEntries() {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Variable v : model.variables().values()) {
            out.put(v.name(), download(v.value()));
        }
        return out;
    }

    Entry download(Tensor t) {
        float[] values = new float[t.size()];
        backend.download(t, values);
        return new Entry(t.shape(), values);
    }

    /**
     * Generates images in inference mode (BatchNorm's moving statistics), as the seed's
     * {@code generator(noise, training=False)}.
     *
     * @param noise {@code count × noiseDim} values, one noise vector after another
     * @return {@code count × 28 × 28} values in [−1, 1], one image after another (NHWC, one channel)
     * @throws IllegalArgumentException {@code noise} is not a positive multiple of the noise length
     */
    public float[] sample(float[] noise) {
        return sampler.generate(noise);
    }

    /**
     * Generates {@code count} images from standard-normal noise drawn from {@code seed}.
     *
     * @param count images, at least 1
     * @param seed  seed of the noise; the same seed gives the same images
     * @return {@code count × 28 × 28} values in [−1, 1]
     */
    public float[] sample(int count, long seed) {
        return sample(noise(count, seed));
    }

    /**
     * Standard-normal noise vectors for {@link #sample(float[])}.
     *
     * @param count noise vectors, at least 1
     * @param seed  seed of the draw
     * @return {@code count × noiseDim} values
     */
    public float[] noise(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] z = new float[count * model.config().noiseDim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return z;
    }

    /**
     * Noise for a latent walk: {@code rows} walks, each from one random point to the next in {@code steps} images
     * (both ends included), along the great circle between them, which keeps every point at the typical length of
     * a standard-normal vector where straight-line mixes would pass near the origin.
     *
     * @param rows  walks, at least 1; they are chained, row r ending where row r + 1 starts
     * @param steps images per walk, at least 2
     * @param seed  seed of the {@code rows + 1} random points
     * @return {@code rows × steps × noiseDim} values, row after row
     */
    public float[] interpolationNoise(int rows, int steps, long seed) {
        if (rows < 1 || steps < 2) {
            throw new IllegalArgumentException("a walk needs at least 1 row and 2 steps, got " + rows + " and "
                    + steps);
        }
        int dim = model.config().noiseDim();
        float[] points = noise(rows + 1, seed);
        float[] z = new float[rows * steps * dim];
        for (int r = 0; r < rows; r++) {
            double dot = 0, na = 0, nb = 0;
            for (int i = 0; i < dim; i++) {
                double a = points[r * dim + i], b = points[(r + 1) * dim + i];
                dot += a * b;
                na += a * a;
                nb += b * b;
            }
            double omega = Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))));
            for (int s = 0; s < steps; s++) {
                double t = (double) s / (steps - 1);
                double wa, wb;
                if (omega < 1e-6) {
                    wa = 1 - t;
                    wb = t;
                } else {
                    wa = Math.sin((1 - t) * omega) / Math.sin(omega);
                    wb = Math.sin(t * omega) / Math.sin(omega);
                }
                for (int i = 0; i < dim; i++) {
                    z[(r * steps + s) * dim + i] = (float) (wa * points[r * dim + i] + wb * points[(r + 1) * dim + i]);
                }
            }
        }
        return z;
    }

    /**
     * {@code count} images from {@code seed} as a gray grid, as the seed's per-epoch figure: as close to square as
     * the count allows, each pixel drawn {@code scale × scale}.
     *
     * @param count images, at least 1
     * @param seed  seed of the noise
     * @param scale pixel size, at least 1
     * @return the grid
     */
    public BufferedImage sampleGrid(int count, long seed, int scale) {
        return ImageGrid.render(sample(count, seed), count, Dcgan.IMAGE_HEIGHT, Dcgan.IMAGE_WIDTH,
                ImageGrid.squareColumns(count), scale);
    }

    /** {@return the model's hyper-parameters} */
    public DcganConfig config() {
        return model.config();
    }

    /** {@return where the model lives} */
    public Device device() {
        return device;
    }

    /** {@return the backend's own description, e.g. {@code cpu (2 threads, 512-bit vectors)}} */
    public String describeDevice() {
        return backend.describe();
    }

    /** {@return the names of the model's variables, generator first, each with its shape} */
    public Map<String, int[]> variableShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (Variable v : model.variables().values()) {
            out.put(v.name(), v.value().shape());
        }
        return out;
    }

    Dcgan model() {
        return model;
    }

    Backend backend() {
        return backend;
    }

    /** Frees the device's memory and threads. */
    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "Gan[" + device + ", " + Arrays.toString(Dcgan.imageShape()) + " images]";
    }
}
