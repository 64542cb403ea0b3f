package io.dcgan4j.engine.api;

import io.dcgan4j.engine.data.IdxFormatException;
import io.dcgan4j.engine.data.IdxImages;
import io.dcgan4j.engine.data.IdxReader;
import io.dcgan4j.engine.gan.Dcgan;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The training images of an MNIST-format folder (MNIST, Fashion-MNIST), preprocessed as the seed does:
 * {@code (x - 127.5) / 127.5} per pixel in float, so values lie in [-1, 1], stored NHWC {@code [N,28,28,1]}.
 */
public final class MnistDataset {

    /**
     * {@code samples} value for every image of the file. It is {@link Integer#MAX_VALUE}: no file can hold that many
     * 28×28 images in one float array, so it never collides with a count a caller really means.
     */
    public static final int ALL = Integer.MAX_VALUE;

    /** The names under which {@link #findTrainImages} looks for the training images, in the order it tries them. */
    public static final List<String> TRAIN_IMAGE_NAMES =
            List.of("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte", "train-images.idx3-ubyte");

    /** Where to get the files, for error messages. */
    public static final String MIRROR = "https://storage.googleapis.com/cvdf-datasets/mnist/";

    private final Path source;
    private final int count;
    private final float[] images;

    private MnistDataset(Path source, int count, float[] images) {
        this.source = source;
        this.count = count;
        this.images = images;
    }

    /**
     * Loads the first {@code samples} training images of {@code dataDir}, or every one for {@link #ALL}.
     *
     * @param dataDir a folder with one of {@link #TRAIN_IMAGE_NAMES}
     * @param samples how many leading images to load, or {@link #ALL}
     * @return the images
     * @throws NoSuchFileException   the folder, or a training images file in it, is missing
     * @throws FileSystemException   {@code dataDir} is not a folder
     * @throws IdxFormatException    the file is not a valid IDX image file, its images are not 28×28, or it holds
     *                               fewer than an explicit {@code samples}
     * @throws IllegalArgumentException {@code samples} is below 1
     */
    public static MnistDataset load(Path dataDir, int samples) throws IOException {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1 (or ALL), got " + samples);
        }
        Path file = findTrainImages(dataDir).orElseThrow(() -> new NoSuchFileException(dataDir.toString(), null,
                "no MNIST training images here (tried " + String.join(", ", TRAIN_IMAGE_NAMES) + "); "
                        + howToGet(dataDir)));
        IdxImages raw = IdxReader.readImages(file, samples);
        if (raw.rows() != Dcgan.IMAGE_HEIGHT || raw.columns() != Dcgan.IMAGE_WIDTH) {
            throw new IdxFormatException(file, "images are " + raw.rows() + "×" + raw.columns()
                    + ", the DCGAN needs " + Dcgan.IMAGE_HEIGHT + "×" + Dcgan.IMAGE_WIDTH);
        }
        if (samples != ALL && raw.count() < samples) {
            throw new IdxFormatException(file, "asked for " + samples + " samples but the file holds only "
                    + raw.count());
        }
        byte[] pixels = raw.pixels();
        float[] images = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            images[i] = ((pixels[i] & 0xFF) - 127.5f) / 127.5f;
        }
        return new MnistDataset(file, raw.count(), images);
    }

    /**
     * The training images file of {@code dataDir}: the first of {@link #TRAIN_IMAGE_NAMES} that is a regular file.
     *
     * @param dataDir the folder to look in
     * @return the file, or empty when the folder holds none of those names
     * @throws NoSuchFileException {@code dataDir} does not exist
     * @throws FileSystemException {@code dataDir} is not a folder
     */
    public static Optional<Path> findTrainImages(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            throw new NoSuchFileException(dataDir.toString(), null, "no such data folder; " + howToGet(dataDir));
        }
        if (!Files.isDirectory(dataDir)) {
            throw new FileSystemException(dataDir.toString(), null,
                    "not a folder (give the folder that holds the MNIST files)");
        }
        return TRAIN_IMAGE_NAMES.stream().map(dataDir::resolve).filter(Files::isRegularFile).findFirst();
    }

    private static String howToGet(Path dataDir) {
        return "download the four MNIST files from a mirror such as " + MIRROR + " into " + dataDir;
    }

    /** {@return the number of images} */
    public int count() {
        return count;
    }

    /**
     * The images, {@code count()*784} floats NHWC: the backing array itself, not a copy, so do not modify it.
     *
     * @return the images
     */
    public float[] images() {
        return images;
    }

    /** {@return the file the images were read from} */
    public Path source() {
        return source;
    }

    /**
     * Copies one image's 784 floats.
     *
     * @param index      the image, from 0
     * @param dest       where to copy to
     * @param destOffset the first index written in {@code dest}
     */
    public void copyImage(int index, float[] dest, int destOffset) {
        Objects.checkIndex(index, count);
        System.arraycopy(images, index * Dcgan.IMAGE_SIZE, dest, destOffset, Dcgan.IMAGE_SIZE);
    }
}
