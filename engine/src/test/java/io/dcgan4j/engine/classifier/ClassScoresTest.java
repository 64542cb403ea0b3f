package io.dcgan4j.engine.classifier;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ClassScores} at its known extremes and on a hand-computed case. */
class ClassScoresTest {

    @Test
    void confidentBalancedPredictionsScoreTheClassCount() {
        int n = 30, c = 10;
        float[] p = new float[n * c];
        for (int i = 0; i < n; i++) {
            p[i * c + i % c] = 1f;
        }
        ClassScores s = ClassScores.of(p, n, c);
        assertEquals(10, s.classifierScore(), 1e-9);
        assertEquals(Math.log(10), s.entropy(), 1e-12);
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, s.histogram());
    }

    @Test
    void oneClassOrUniformPredictionsScoreOne() {
        int n = 8, c = 10;
        float[] collapsed = new float[n * c];
        float[] unsure = new float[n * c];
        for (int i = 0; i < n; i++) {
            collapsed[i * c + 7] = 1f;
            for (int j = 0; j < c; j++) {
                unsure[i * c + j] = 0.1f;
            }
        }
        ClassScores s = ClassScores.of(collapsed, n, c);
        assertEquals(1, s.classifierScore(), 1e-9);
        assertEquals(0, s.entropy(), 0);
        assertEquals(8, s.histogram()[7]);
        assertEquals(1, ClassScores.of(unsure, n, c).classifierScore(), 1e-6);
    }

    /** Two images, two classes: p = (0.9, 0.1) and (0.3, 0.7); marginal (0.6, 0.4). */
    @Test
    void matchesAHandComputedCase() {
        float[] p = {0.9f, 0.1f, 0.3f, 0.7f};
        double kl1 = 0.9 * Math.log(0.9 / 0.6) + 0.1 * Math.log(0.1 / 0.4);
        double kl2 = 0.3 * Math.log(0.3 / 0.6) + 0.7 * Math.log(0.7 / 0.4);
        ClassScores s = ClassScores.of(p, 2, 2);
        assertEquals(Math.exp((kl1 + kl2) / 2), s.classifierScore(), 1e-6);
        assertArrayEquals(new int[] {1, 1}, s.histogram());
        assertEquals(Math.log(2), s.entropy(), 1e-12);
    }
}
