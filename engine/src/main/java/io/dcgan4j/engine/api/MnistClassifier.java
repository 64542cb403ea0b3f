package io.dcgan4j.engine.api;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.engine.checkpoint.AtomicFiles;
import io.dcgan4j.engine.checkpoint.MetadataFields;
import io.dcgan4j.engine.checkpoint.Safetensors;
import io.dcgan4j.engine.checkpoint.Safetensors.Entry;
import io.dcgan4j.engine.classifier.ClassScores;
import io.dcgan4j.engine.classifier.ClassifierNet;
import io.dcgan4j.engine.gan.Dcgan;
import io.dcgan4j.engine.nn.Mode;
import io.dcgan4j.engine.nn.PerBatch;
import io.dcgan4j.engine.nn.Variable;
import io.dcgan4j.engine.optim.Adam;
import io.dcgan4j.kernels.cpu.SoftmaxCrossEntropy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The small MNIST classifier whose features and predictions measure generated digits ({@link SampleQuality}): three
 * convolutions with ReLU (the last two strided in place of pooling), a 128-unit ReLU layer whose activations are the
 * features, and a 10-way softmax. It is built from the engine's own layers and trained by them, deterministically
 * from its seed.
 *
 * <p>A classifier is saved as a safetensors file (its variables, the options, the test accuracy and the SHA-256 of
 * the training images file it learned from), named by {@link #fileNameFor} where the caller keeps classifiers.
 */
public final class MnistClassifier implements AutoCloseable {

    /** The {@code format} metadata value of a classifier file. */
    public static final String FORMAT = "dcgan4j-mnist-classifier";
    /** The version of that layout this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Classes: the digits 0 to 9. */
    public static final int CLASSES = ClassifierNet.CLASSES;
    /** Length of the feature vector of one image. */
    public static final int FEATURES = ClassifierNet.FEATURES;
    /** Images per forward pass when predicting. */
    private static final int PREDICT_BATCH = 500;
    /** Adam's other constants, Keras's defaults. */
    private static final float BETA_1 = 0.9f;
    private static final float BETA_2 = 0.999f;
    private static final float ADAM_EPSILON = 1e-7f;

    /** Told about each finished epoch of {@link #train}. */
    @FunctionalInterface
    public interface Progress {

        /**
         * One epoch is done.
         *
         * @param epoch    1-based
         * @param epochs   how many there will be
         * @param meanLoss the epoch's mean training loss
         * @param nanos    the epoch's wall time
         */
        void onEpoch(int epoch, int epochs, double meanLoss, long nanos);

        /** Ignores everything. */
        Progress NONE = (epoch, epochs, meanLoss, nanos) -> { };
    }

    private final Device device;
    private final Backend backend;
    private final ClassifierNet net;
    private final ClassifierOptions options;
    private final String dataSha256;
    private final PerBatch<Tensor> inputs;
    private double testAccuracy;

    private MnistClassifier(Device device, Backend backend, ClassifierNet net, ClassifierOptions options,
                            String dataSha256) {
        this.device = device;
        this.backend = backend;
        this.net = net;
        this.options = options;
        this.dataSha256 = dataSha256;
        this.inputs = new PerBatch<>(n -> backend.zeros(n, Dcgan.IMAGE_HEIGHT, Dcgan.IMAGE_WIDTH,
                Dcgan.IMAGE_CHANNELS));
    }

    private static MnistClassifier create(Device device, ClassifierOptions options, String dataSha256) {
        Backend backend = device.open();
        try {
            return new MnistClassifier(device, backend, new ClassifierNet(backend, options.seed()), options,
                    dataSha256);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Trains a classifier on the training split of {@code dataDir} and measures its accuracy on the test split.
     *
     * @param dataDir  an MNIST folder with all four files
     * @param options  epochs, batch size, learning rate, samples, seed
     * @param device   where to train
     * @param progress told about each epoch
     * @return the trained classifier; close it when done
     * @throws IOException a file is missing or not valid MNIST
     */
    public static MnistClassifier train(Path dataDir, ClassifierOptions options, Device device, Progress progress)
            throws IOException {
        MnistDataset train = MnistDataset.loadLabelled(dataDir, MnistDataset.Split.TRAIN, options.samples());
        MnistDataset test = MnistDataset.loadLabelled(dataDir, MnistDataset.Split.TEST, MnistDataset.ALL);
        MnistClassifier c = create(device, options, sha256(train.source()));
        try {
            c.fit(train, progress);
            c.testAccuracy = c.accuracy(test.images(), test.labels(), test.count());
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void fit(MnistDataset data, Progress progress) {
        int n = data.count(), batch = Math.min(options.batchSize(), n);
        Adam adam = new Adam(backend, net.trainableVariables(), options.learningRate(), BETA_1, BETA_2, ADAM_EPSILON);
        PerBatch<Tensor> dLogits = new PerBatch<>(b -> backend.zeros(b, CLASSES));
        // Not the seed itself, which already drew the initial weights: the shuffles get a stream of their own.
        SplittableRandom shuffle = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        float[] images = new float[batch * Dcgan.IMAGE_SIZE];
        int[] labels = new int[batch];
        long step = 0;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            long start = System.nanoTime();
            adam.setLearningRate(options.learningRate() / (1 << Math.min(epoch - 1, 30)));
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lossSum = 0;
            for (int first = 0; first < n; first += batch) {
                int count = Math.min(batch, n - first);
                for (int k = 0; k < count; k++) {
                    data.copyImage(order[first + k], images, k * Dcgan.IMAGE_SIZE);
                    labels[k] = data.labels()[order[first + k]];
                }
                Tensor x = inputs.get(count);
                backend.upload(images, x);
                Tensor logits = net.forward(x, Mode.TRAINING);
                Tensor grad = dLogits.get(count);
                float loss = backend.softmaxCrossEntropy(logits, labels, grad);
                step++;
                if (!Float.isFinite(loss)) {
                    throw new TrainingDivergedException(step, "the classifier's loss is " + loss + " at step " + step
                            + " (epoch " + epoch + ")");
                }
                lossSum += (double) loss * count;
                for (Variable v : net.trainableVariables()) {
                    backend.fill(v.gradient(), 0f);
                }
                net.backward(grad);
                adam.step();
            }
            progress.onEpoch(epoch, options.epochs(), lossSum / n, System.nanoTime() - start);
        }
    }

    /**
     * Reads a classifier saved by {@link #save}.
     *
     * @param file   the classifier file
     * @param device where to put it
     * @return the classifier; close it when done
     * @throws CheckpointException the file is not a classifier of this layout
     * @throws IOException         the file cannot be read
     */
    public static MnistClassifier load(Path file, Device device) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        MetadataFields meta = new MetadataFields(file, contents.metadata());
        if (!FORMAT.equals(contents.metadata().get("format"))) {
            throw new CheckpointException(file, "not a dcgan4j MNIST classifier (metadata 'format' is "
                    + (contents.metadata().get("format") == null ? "missing" : "'" + meta.text("format") + "'")
                    + ")");
        }
        if (meta.integer("format_version") != FORMAT_VERSION) {
            throw new CheckpointException(file, "classifier format version " + meta.integer("format_version")
                    + "; this build reads version " + FORMAT_VERSION);
        }
        ClassifierOptions options;
        try {
            options = new ClassifierOptions(meta.integer("epochs"), meta.integer("batch_size"),
                    (float) meta.number("learning_rate"), meta.integer("samples"), meta.longValue("seed"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "invalid options in the metadata: " + e.getMessage());
        }
        double accuracy = meta.number("test_accuracy");
        String sha = meta.text("data_sha256");
        MnistClassifier c = create(device, options, sha);
        try {
            Map<String, Entry> tensors = contents.tensors();
            for (Variable v : c.net.variables().values()) {
                Entry e = tensors.get(v.name());
                if (e == null) {
                    throw new CheckpointException(file, "tensor '" + v.name() + "' is missing");
                }
                if (!Arrays.equals(e.shape(), v.value().shape())) {
                    throw new CheckpointException(file, "tensor '" + v.name() + "' has shape "
                            + Arrays.toString(e.shape()) + ", the classifier needs " + Arrays.toString(v.value()
                            .shape()));
                }
                c.backend.upload(e.values(), v.value());
            }
            for (String name : tensors.keySet()) {
                if (!c.net.variables().containsKey(name)) {
                    throw new CheckpointException(file, "unexpected tensor '" + name + "'");
                }
            }
            c.testAccuracy = accuracy;
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Writes the classifier to {@code file} atomically (a temporary file renamed over it).
     *
     * @param file where to write; its folder is created if missing
     * @throws IOException the file cannot be written; a previous file there is unchanged
     */
    public void save(Path file) throws IOException {
        Map<String, Entry> tensors = new LinkedHashMap<>();
        for (Variable v : net.variables().values()) {
            float[] values = new float[v.value().size()];
            backend.download(v.value(), values);
            tensors.put(v.name(), new Entry(v.value().shape(), values));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(FORMAT_VERSION));
        meta.put("epochs", Integer.toString(options.epochs()));
        meta.put("batch_size", Integer.toString(options.batchSize()));
        meta.put("learning_rate", Float.toString(options.learningRate()));
        meta.put("samples", Integer.toString(options.samples()));
        meta.put("seed", Long.toString(options.seed()));
        meta.put("test_accuracy", Double.toString(testAccuracy));
        meta.put("data_sha256", dataSha256);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(file, channel -> Safetensors.write(channel, tensors, meta));
    }

    /**
     * The file name under which a classifier of a data folder is kept,
     * {@code mnist-classifier-<12 hex digits of the training images' SHA-256>.safetensors}, so that another data set
     * (Fashion-MNIST, a subset) gets its own classifier.
     *
     * @param dataDir an MNIST folder
     * @return the file name
     * @throws IOException the training images cannot be found or read
     */
    public static String fileNameFor(Path dataDir) throws IOException {
        return "mnist-classifier-" + trainingDataSha256(dataDir).substring(0, 12) + ".safetensors";
    }

    /**
     * The hex SHA-256 of the training images file of {@code dataDir}, as {@link #dataSha256()} records it.
     *
     * @param dataDir an MNIST folder
     * @return 64 hex digits
     * @throws IOException the training images cannot be found or read
     */
    public static String trainingDataSha256(Path dataDir) throws IOException {
        return sha256(MnistDataset.findTrainImages(dataDir).orElseThrow(() -> new NoSuchFileException(
                dataDir.toString(), null, "no MNIST training images here")));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Runs the classifier in inference mode and returns what is asked for.
     *
     * @param images        {@code count × 784} values in [−1, 1]
     * @param count         images
     * @param features      {@code count × 128} outputs, or null
     * @param probabilities {@code count × 10} outputs, or null
     */
    void predict(float[] images, int count, float[] features, float[] probabilities) {
        if (count < 1 || images.length < (long) count * Dcgan.IMAGE_SIZE) {
            throw new IllegalArgumentException(count + " images need " + (long) count * Dcgan.IMAGE_SIZE
                    + " floats, got " + images.length);
        }
        int size = Math.min(count, PREDICT_BATCH);
        float[] chunk = new float[size * Dcgan.IMAGE_SIZE];
        float[] logits = new float[size * CLASSES];
        float[] feats = new float[size * FEATURES];
        for (int first = 0; first < count; first += PREDICT_BATCH) {
            int n = Math.min(PREDICT_BATCH, count - first);
            System.arraycopy(images, first * Dcgan.IMAGE_SIZE, chunk, 0, n * Dcgan.IMAGE_SIZE);
            Tensor x = inputs.get(n);
            backend.upload(chunk, x);
            Tensor out = net.forward(x, Mode.INFERENCE);
            if (probabilities != null) {
                backend.download(out, logits);
                SoftmaxCrossEntropy.probabilities(logits, n, CLASSES, logits);
                System.arraycopy(logits, 0, probabilities, first * CLASSES, n * CLASSES);
            }
            if (features != null) {
                backend.download(net.featureOutput(), feats);
                System.arraycopy(feats, 0, features, first * FEATURES, n * FEATURES);
            }
        }
    }

    /**
     * The penultimate-layer features of images.
     *
     * @param images {@code count × 784} values in [−1, 1]
     * @param count  images, at least 1
     * @return {@code count × 128} values
     */
    public float[] features(float[] images, int count) {
        float[] out = new float[count * FEATURES];
        predict(images, count, out, null);
        return out;
    }

    /**
     * The class probabilities p(y|x) of images.
     *
     * @param images {@code count × 784} values in [−1, 1]
     * @param count  images, at least 1
     * @return {@code count × 10} values, each row summing to 1
     */
    public float[] probabilities(float[] images, int count) {
        float[] out = new float[count * CLASSES];
        predict(images, count, null, out);
        return out;
    }

    /**
     * The fraction of images whose most probable class is their label.
     *
     * @param images {@code count × 784} values in [−1, 1]
     * @param labels {@code count} digits
     * @param count  images, at least 1
     * @return a value in [0, 1]
     */
    public double accuracy(float[] images, int[] labels, int count) {
        float[] p = probabilities(images, count);
        int correct = 0;
        for (int i = 0; i < count; i++) {
            correct += ClassScores.predictedClass(p, i, CLASSES) == labels[i] ? 1 : 0;
        }
        return (double) correct / count;
    }

    /** {@return the accuracy on the test split measured after training} */
    public double testAccuracy() {
        return testAccuracy;
    }

    /** {@return the options it was trained with} */
    public ClassifierOptions options() {
        return options;
    }

    /** {@return the SHA-256 (hex) of the training images file it learned from} */
    public String dataSha256() {
        return dataSha256;
    }

    /** {@return where it runs} */
    public Device device() {
        return device;
    }

    /** Releases the device memory and threads. */
    @Override
    public void close() {
        backend.close();
    }
}
