package io.dcgan4j.engine.api;

import io.dcgan4j.engine.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SampleQuality} with a classifier trained briefly on real MNIST: a set against itself scores about 0, and
 * the distance grows with blur and with noise; a generator's samples are scored end to end.
 */
class SampleQualityTest {

    private static final int COUNT = 1000;
    private static MnistClassifier classifier;
    private static MnistDataset test;
    private static SampleQuality quality;

    @BeforeAll
    static void classifier() throws IOException {
        var mnist = Golden.sharedDir().resolve("data/mnist");
        classifier = MnistClassifier.train(mnist, new ClassifierOptions(1, 64, 1e-3f, 2000, 1), Device.cpu(2),
                MnistClassifier.Progress.NONE);
        test = MnistDataset.loadLabelled(mnist, MnistDataset.Split.TEST, COUNT);
        quality = SampleQuality.against(classifier, test.images(), COUNT);
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void theReferenceSetScoresZeroAgainstItself() {
        SampleQuality.Scores s = quality.score(test.images(), COUNT);
        assertEquals(0, s.fcd(), 1e-6);
        assertEquals(COUNT, s.samples());
        assertTrue(s.classEntropy() > 2.0, "the test digits are balanced: " + s);
        assertTrue(s.classifierScore() > 3, "a trained classifier is confident on real digits: " + s);
    }

    @Test
    void blurAndNoiseRaiseTheDistance() {
        double previous = quality.score(test.images(), COUNT).fcd();
        for (int radius = 1; radius <= 3; radius++) {
            double fcd = quality.score(blur(test.images(), radius), COUNT).fcd();
            assertTrue(fcd > previous + 0.1, "blur radius " + radius + ": " + fcd + " after " + previous);
            previous = fcd;
        }
        previous = quality.score(test.images(), COUNT).fcd();
        for (double sigma : new double[] {0.2, 0.5, 1.0}) {
            double fcd = quality.score(noisy(test.images(), sigma), COUNT).fcd();
            assertTrue(fcd > previous + 0.01, "noise σ " + sigma + ": " + fcd + " after " + previous);
            previous = fcd;
        }
    }

    @Test
    void scoresAGeneratorEndToEndAndRepeatably() {
        try (Gan gan = Gan.create(DcganConfig.seedDefaults(), Device.cpu(2), 4)) {
            SampleQuality.Scores a = quality.score(gan, 300, 7);
            SampleQuality.Scores b = quality.score(gan, 300, 7);
            assertEquals(a, b);
            assertEquals(300, a.samples());
            assertEquals(300, java.util.Arrays.stream(a.classHistogram()).sum());
            assertTrue(a.fcd() > quality.score(test.images(), 300).fcd(), "an untrained generator is far: " + a);
        }
    }

    /** A box blur of the given radius, image by image, edges clamped. */
    private static float[] blur(float[] images, int radius) {
        float[] out = new float[images.length];
        for (int n = 0; n < images.length / 784; n++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double sum = 0;
                    int count = 0;
                    for (int dy = -radius; dy <= radius; dy++) {
                        for (int dx = -radius; dx <= radius; dx++) {
                            int yy = Math.clamp(y + dy, 0, 27), xx = Math.clamp(x + dx, 0, 27);
                            sum += images[n * 784 + yy * 28 + xx];
                            count++;
                        }
                    }
                    out[n * 784 + y * 28 + x] = (float) (sum / count);
                }
            }
        }
        return out;
    }

    private static float[] noisy(float[] images, double sigma) {
        SplittableRandom rnd = new SplittableRandom(2);
        float[] out = new float[images.length];
        for (int i = 0; i < images.length; i++) {
            out[i] = (float) Math.clamp(images[i] + sigma * rnd.nextGaussian(), -1, 1);
        }
        return out;
    }
}
