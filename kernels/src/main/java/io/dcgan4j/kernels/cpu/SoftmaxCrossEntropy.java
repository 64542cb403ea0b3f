package io.dcgan4j.kernels.cpu;

/**
 * Softmax cross-entropy on logits against integer class labels, averaged over the batch: Keras
 * {@code SparseCategoricalCrossentropy(from_logits=True)} with its default reduction. Per sample, with logits
 * {@code x[0..c)} and label {@code y}: {@code l = logsumexp(x) − x[y]}, and {@code dl/dx[j] = softmax(x)[j] − [j = y]}.
 *
 * <p>Legend: {@code logits, dLogits, probabilities [n, c]} row-major, n = batch size, c = classes (10 for MNIST).
 *
 * <p>Like {@link BinaryCrossEntropy} this class is its own specification: the work is n·c exponentials, so it is
 * plain scalar code evaluated in double with the row maximum subtracted (no overflow for any finite logit), each
 * result rounded to float once.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /**
     * The mean loss {@code (1/n)·Σ (logsumexp(x_i) − x_i[labels[i]])}, summed in double.
     *
     * @param logits  {@code [n, classes]}
     * @param n       number of samples, {@code >= 1}
     * @param classes number of classes, {@code >= 1}
     * @param labels  {@code [n]}, each in {@code [0, classes)}
     * @return the mean loss
     */
    public static float meanLoss(float[] logits, int n, int classes, int[] labels) {
        check(logits, n, classes, labels);
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            sum += logSumExp(logits, row, classes) - logits[row + labels[i]];
        }
        return (float) (sum / n);
    }

    /**
     * The gradient of {@link #meanLoss} with respect to each logit, {@code (softmax(x_i)[j] − [j = labels[i]])/n};
     * overwrites {@code dLogits}.
     *
     * @param logits  {@code [n, classes]}
     * @param n       number of samples, {@code >= 1}
     * @param classes number of classes, {@code >= 1}
     * @param labels  {@code [n]}, each in {@code [0, classes)}
     * @param dLogits output {@code [n, classes]}, overwritten; may be {@code logits}
     */
    public static void gradient(float[] logits, int n, int classes, int[] labels, float[] dLogits) {
        check(logits, n, classes, labels);
        Checks.requireAtLeast(dLogits, n * classes, "dLogits");
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double lse = logSumExp(logits, row, classes);
            for (int j = 0; j < classes; j++) {
                double p = Math.exp(logits[row + j] - lse);
                dLogits[row + j] = (float) ((j == labels[i] ? p - 1.0 : p) / n);
            }
        }
    }

    /**
     * Each row's softmax, {@code exp(x[j] − logsumexp(x))}; overwrites {@code probabilities}.
     *
     * @param logits        {@code [n, classes]}
     * @param n             number of samples, {@code >= 1}
     * @param classes       number of classes, {@code >= 1}
     * @param probabilities output {@code [n, classes]}, overwritten; may be {@code logits}
     */
    public static void probabilities(float[] logits, int n, int classes, float[] probabilities) {
        Checks.requireAtLeast(n, 1, "n");
        Checks.requireAtLeast(classes, 1, "classes");
        Checks.requireAtLeast(logits, n * classes, "logits");
        Checks.requireAtLeast(probabilities, n * classes, "probabilities");
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double lse = logSumExp(logits, row, classes);
            for (int j = 0; j < classes; j++) {
                probabilities[row + j] = (float) Math.exp(logits[row + j] - lse);
            }
        }
    }

    /** {@code log Σ_j exp(x[row + j])}, shifted by the row's maximum. */
    static double logSumExp(float[] x, int row, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, x[row + j]);
        }
        double sum = 0.0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(x[row + j] - max);
        }
        return max + Math.log(sum);
    }

    private static void check(float[] logits, int n, int classes, int[] labels) {
        Checks.requireAtLeast(n, 1, "n");
        Checks.requireAtLeast(classes, 1, "classes");
        Checks.requireAtLeast(logits, n * classes, "logits");
        if (labels.length < n) {
            throw new IllegalArgumentException("labels holds " + labels.length + " values, need " + n);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is outside [0, "
                        + classes + ")");
            }
        }
    }
}
