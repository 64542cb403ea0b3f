package io.dcgan4j.engine.api;

import io.dcgan4j.engine.classifier.ClassScores;
import io.dcgan4j.engine.classifier.FrechetDistance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Measures sets of images with an {@link MnistClassifier}, against a reference set (normally the MNIST test
 * images):
 * <ul>
 *   <li><b>FCD (MNIST classifier)</b>: the Fréchet distance between Gaussians fitted to the classifier's 128
 *       penultimate features of the images and of the reference set. It is FID's formula over a digit classifier's
 *       features, not FID: its values are not comparable with FID's. 0 for identical statistics, lower is better.</li>
 *   <li><b>classifier score</b>: {@code exp(E_x KL(p(y|x) ‖ p(y)))}, 1 to 10, higher is better.</li>
 *   <li>the histogram of predicted classes and its <b>entropy</b> in nats, at most ln 10 ≈ 2.303; a generator that
 *       has collapsed onto a few digits shows a low entropy.</li>
 * </ul>
 * The reference statistics are computed once, when the object is made.
 */
public final class SampleQuality {

    /** What the name of the distance says on every report. */
    public static final String FCD_NAME = "FCD (MNIST classifier)";

    private final MnistClassifier classifier;
    private final FrechetDistance.Statistics reference;
    private final int referenceCount;

    /**
     * The scores of one set of images.
     *
     * @param samples         images measured
     * @param fcd             FCD (MNIST classifier) against the reference set
     * @param classifierScore the classifier score
     * @param classHistogram  images per predicted digit, 10 counts
     * @param classEntropy    entropy of the predicted-class histogram, in nats
     */
    public record Scores(int samples, double fcd, double classifierScore, int[] classHistogram, double classEntropy) {

        /** The largest possible {@link #classEntropy}: ln 10, every digit equally often. */
        public static final double MAX_CLASS_ENTROPY = Math.log(MnistClassifier.CLASSES);

        /** Copies the histogram. */
        public Scores {
            classHistogram = classHistogram.clone();
        }

        /** {@return a copy of the histogram} */
        @Override
        public int[] classHistogram() {
            return classHistogram.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Scores s && samples == s.samples && Double.compare(fcd, s.fcd) == 0
                    && Double.compare(classifierScore, s.classifierScore) == 0
                    && Arrays.equals(classHistogram, s.classHistogram)
                    && Double.compare(classEntropy, s.classEntropy) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(classHistogram) + Double.hashCode(fcd);
        }

        @Override
        public String toString() {
            return String.format("%s %.3f, classifier score %.3f, class entropy %.3f nats, histogram %s (%d samples)",
                    FCD_NAME, fcd, classifierScore, classEntropy, Arrays.toString(classHistogram), samples);
        }
    }

    private SampleQuality(MnistClassifier classifier, FrechetDistance.Statistics reference, int referenceCount) {
        this.classifier = classifier;
        this.reference = reference;
        this.referenceCount = referenceCount;
    }

    /**
     * Measures against the given reference images.
     *
     * @param classifier the classifier; it stays owned by the caller
     * @param images     {@code count × 784} values in [−1, 1]
     * @param count      reference images, at least 2
     * @return the measure
     */
    public static SampleQuality against(MnistClassifier classifier, float[] images, int count) {
        return new SampleQuality(classifier, FrechetDistance.statistics(classifier.features(images, count), count,
                MnistClassifier.FEATURES), count);
    }

    /**
     * Measures against the first {@code samples} test images of {@code dataDir}, or all of them if there are fewer.
     *
     * @param classifier the classifier; it stays owned by the caller
     * @param dataDir    an MNIST folder
     * @param samples    leading test images, at least 2
     * @return the measure
     * @throws IOException the test images are missing or not valid
     */
    public static SampleQuality againstTestSet(MnistClassifier classifier, Path dataDir, int samples)
            throws IOException {
        MnistDataset test = MnistDataset.loadLabelled(dataDir, MnistDataset.Split.TEST, MnistDataset.ALL);
        return against(classifier, test.images(), Math.min(samples, test.count()));
    }

    /** {@return how many reference images the statistics were fitted to} */
    public int referenceCount() {
        return referenceCount;
    }

    /**
     * Scores a set of images.
     *
     * @param images {@code count × 784} values in [−1, 1]
     * @param count  images, at least 2
     * @return the scores
     */
    public Scores score(float[] images, int count) {
        float[] features = new float[count * MnistClassifier.FEATURES];
        float[] probabilities = new float[count * MnistClassifier.CLASSES];
        classifier.predict(images, count, features, probabilities);
        double fcd = FrechetDistance.distance(FrechetDistance.statistics(features, count, MnistClassifier.FEATURES),
                reference);
        ClassScores c = ClassScores.of(probabilities, count, MnistClassifier.CLASSES);
        return new Scores(count, fcd, c.classifierScore(), c.histogram(), c.entropy());
    }

    /**
     * Scores {@code samples} images of a generator, made in inference mode from noise drawn from {@code seed}.
     *
     * @param gan     the generator
     * @param samples images, at least 2
     * @param seed    seed of the noise
     * @return the scores
     */
    public Scores score(Gan gan, int samples, long seed) {
        if (samples < 2) {
            throw new IllegalArgumentException("scoring needs at least 2 samples, got " + samples);
        }
        return score(gan.sample(samples, seed), samples);
    }
}
