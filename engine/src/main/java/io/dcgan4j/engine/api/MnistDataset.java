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
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The images of an MNIST-format folder (MNIST, Fashion-MNIST), training or test split, preprocessed as the seed
 * does: {@code (x - 127.5) / 127.5} per pixel in float, so values lie in [-1, 1], stored NHWC {@code [N,28,28,1]};
 * with their class labels when asked for (the classifier needs them, the GAN does not).
 */
public final class MnistDataset {

    /**
     * {@code samples} value for every image of the file. It is {@link Integer#MAX_VALUE}: no file can hold that many
     * 28×28 images in one float array, so it never collides with a count a caller really means.
     */
    public static final int ALL = Integer.MAX_VALUE;

    /** The names under which {@link #findTrainImages} looks for the training images, in the order it tries them. */
    public static final List<String> TRAIN_IMAGE_NAMES = Split.TRAIN.imageNames();

    /** Where to get the files, for error messages. */
    public static final String MIRROR = "https://storage.googleapis.com/cvdf-datasets/mnist/";

    /** The two halves of an MNIST folder, by the prefix of their file names. */
    public enum Split {
        /** {@code train-*}: 60000 images in MNIST. */
        TRAIN("train"),
        /** {@code t10k-*}: 10000 images in MNIST. */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /** {@return the image file names tried, in order: gzip, plain, and the dotted form some mirrors use} */
        public List<String> imageNames() {
            return names("images", "idx3");
        }

        /** {@return the label file names tried, in order} */
        public List<String> labelNames() {
            return names("labels", "idx1");
        }

        private List<String> names(String kind, String idx) {
            return List.of(prefix + "-" + kind + "-" + idx + "-ubyte.gz", prefix + "-" + kind + "-" + idx + "-ubyte",
                    prefix + "-" + kind + "." + idx + "-ubyte");
        }
    }

    private final Path source;
    private final int count;
    private final float[] images;
    private final int[] labels;

    private MnistDataset(Path source, int count, float[] images, int[] labels) {
        this.source = source;
        this.count = count;
        this.images = images;
        this.labels = labels;
    }

    /**
     * Loads the first {@code samples} training images of {@code dataDir}, or every one for {@link #ALL}, without
     * labels.
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
        return load(dataDir, Split.TRAIN, samples, false);
    }

    /**
     * Loads the first {@code samples} images of one split of {@code dataDir} and their labels.
     *
     * @param dataDir a folder with the split's image and label files
     * @param split   the training or the test half
     * @param samples how many leading images to load, or {@link #ALL}
     * @return the images with {@link #labels()}
     * @throws NoSuchFileException   the folder, or the split's image or label file, is missing
     * @throws FileSystemException   {@code dataDir} is not a folder
     * @throws IdxFormatException    a file is not valid IDX, the images are not 28×28, a label is not a digit, the
     *                               two files disagree on the count, or they hold fewer than an explicit
     *                               {@code samples}
     * @throws IllegalArgumentException {@code samples} is below 1
     */
    public static MnistDataset loadLabelled(Path dataDir, Split split, int samples) throws IOException {
        return load(dataDir, split, samples, true);
    }

    private static MnistDataset load(Path dataDir, Split split, int samples, boolean withLabels) throws IOException {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1 (or ALL), got " + samples);
        }
        Path file = find(dataDir, split.imageNames()).orElseThrow(() -> missing(dataDir, split, "images",
                split.imageNames()));
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
        int[] labels = withLabels ? readLabels(dataDir, split, raw.count()) : null;
        return new MnistDataset(file, raw.count(), images, labels);
    }

    private static int[] readLabels(Path dataDir, Split split, int count) throws IOException {
        Path file = find(dataDir, split.labelNames()).orElseThrow(() -> missing(dataDir, split, "labels",
                split.labelNames()));
        byte[] raw = IdxReader.readLabels(file, count);
        if (raw.length < count) {
            throw new IdxFormatException(file, "holds " + raw.length + " labels for " + count + " images");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = raw[i] & 0xFF;
            if (labels[i] > 9) {
                throw new IdxFormatException(file, "label " + labels[i] + " of image " + i + " is not a digit 0-9");
            }
        }
        return labels;
    }

    private static NoSuchFileException missing(Path dataDir, Split split, String what, List<String> names) {
        return new NoSuchFileException(dataDir.toString(), null, "no MNIST " + split.name().toLowerCase(Locale.ROOT)
                + " " + what + " here (tried " + String.join(", ", names) + "); " + howToGet(dataDir));
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
        return find(dataDir, TRAIN_IMAGE_NAMES);
    }

    private static Optional<Path> find(Path dataDir, List<String> names) throws IOException {
        if (!Files.exists(dataDir)) {
            throw new NoSuchFileException(dataDir.toString(), null, "no such data folder; " + howToGet(dataDir));
        }
        if (!Files.isDirectory(dataDir)) {
            throw new FileSystemException(dataDir.toString(), null,
                    "not a folder (give the folder that holds the MNIST files)");
        }
        return names.stream().map(dataDir::resolve).filter(Files::isRegularFile).findFirst();
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

    /**
     * The class of each image, 0 to 9: the backing array itself, not a copy, so do not modify it.
     *
     * @return {@code count()} labels
     * @throws IllegalStateException the data set was loaded without labels ({@link #load})
     */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("these images were loaded without labels; use loadLabelled");
        }
        return labels;
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
