package io.dcgan4j.engine.classifier;

/**
 * What the classifier's predictions say about a set of images: the classifier score (the Inception score's analogue,
 * {@code exp(E_x KL(p(y|x) ‖ p(y)))}, from 1 for one class or uniform predictions up to 10 for confident, balanced
 * ones), the histogram of predicted classes, and that histogram's entropy in nats (ln 10 ≈ 2.303 when balanced; a
 * collapsed generator shows up as a low value).
 *
 * @param classifierScore  the classifier score
 * @param histogram        images per predicted class (arg max of p(y|x))
 * @param entropy          entropy of the normalised histogram, in nats
 */
public record ClassScores(double classifierScore, int[] histogram, double entropy) {

    /** The most probable class of row {@code row} of {@code probabilities [*, classes]}; the first on a tie. */
    public static int predictedClass(float[] probabilities, int row, int classes) {
        int best = 0;
        for (int j = 1; j < classes; j++) {
            if (probabilities[row * classes + j] > probabilities[row * classes + best]) {
                best = j;
            }
        }
        return best;
    }

    /** From class probabilities {@code [count, classes]}, one row per image; sums in double. */
    public static ClassScores of(float[] probabilities, int count, int classes) {
        if (count < 1 || probabilities.length < (long) count * classes) {
            throw new IllegalArgumentException("need " + count + "×" + classes + " probabilities, got "
                    + probabilities.length);
        }
        double[] marginal = new double[classes];
        int[] histogram = new int[classes];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < classes; j++) {
                marginal[j] += probabilities[i * classes + j];
            }
            histogram[predictedClass(probabilities, i, classes)]++;
        }
        for (int j = 0; j < classes; j++) {
            marginal[j] /= count;
        }
        double kl = 0;
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < classes; j++) {
                double p = probabilities[i * classes + j];
                if (p > 0) {
                    kl += p * (Math.log(p) - Math.log(marginal[j]));
                }
            }
        }
        double entropy = 0;
        for (int c : histogram) {
            if (c > 0) {
                double q = (double) c / count;
                entropy -= q * Math.log(q);
            }
        }
        return new ClassScores(Math.exp(kl / count), histogram, entropy);
    }
}
