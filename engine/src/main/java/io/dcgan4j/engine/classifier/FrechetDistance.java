package io.dcgan4j.engine.classifier;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (the formula of FID, here over the MNIST
 * classifier's features): {@code |μa − μb|² + tr(Σa + Σb − 2·(Σa·Σb)^½)}.
 *
 * <p>{@code tr((Σa·Σb)^½)} is computed as {@code tr((A·Σb·A)^½)} with {@code A = Σa^½}: the two matrices are
 * similar, and the second is symmetric positive semi-definite, so both square roots come from symmetric eigen
 * decompositions (EJML) with tiny negative eigenvalues of rounding clamped to 0, not from a general matrix square
 * root that can turn complex.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** Mean and covariance (normalised by N − 1, as numpy's {@code cov}) of N feature vectors. */
    public record Statistics(double[] mean, DMatrixRMaj covariance, int count) {
    }

    /**
     * Fits a Gaussian to {@code count} vectors of length {@code dim} stored one after another, summing in double.
     *
     * @throws IllegalArgumentException fewer than 2 vectors, or {@code features} too short
     */
    public static Statistics statistics(float[] features, int count, int dim) {
        if (count < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 samples, got " + count);
        }
        if (features.length < (long) count * dim) {
            throw new IllegalArgumentException("features has length " + features.length + ", needs " + count * dim);
        }
        double[] mean = new double[dim];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += features[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= count;
        }
        double[] centred = new double[dim];
        DMatrixRMaj cov = new DMatrixRMaj(dim, dim);
        double[] c = cov.data;
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dim; j++) {
                centred[j] = features[i * dim + j] - mean[j];
            }
            for (int r = 0; r < dim; r++) {
                double cr = centred[r];
                for (int k = r; k < dim; k++) {
                    c[r * dim + k] += cr * centred[k];
                }
            }
        }
        for (int r = 0; r < dim; r++) {
            for (int k = r; k < dim; k++) {
                c[r * dim + k] /= count - 1;
                c[k * dim + r] = c[r * dim + k];
            }
        }
        return new Statistics(mean, cov, count);
    }

    /** The Fréchet distance between the Gaussians {@code a} and {@code b}, never below 0. */
    public static double distance(Statistics a, Statistics b) {
        int dim = a.mean().length;
        if (b.mean().length != dim) {
            throw new IllegalArgumentException("feature lengths differ: " + dim + " and " + b.mean().length);
        }
        double meanTerm = 0;
        for (int j = 0; j < dim; j++) {
            double d = a.mean()[j] - b.mean()[j];
            meanTerm += d * d;
        }
        DMatrixRMaj rootA = symmetricRoot(a.covariance());
        DMatrixRMaj tmp = new DMatrixRMaj(dim, dim);
        DMatrixRMaj product = new DMatrixRMaj(dim, dim);
        CommonOps_DDRM.mult(rootA, b.covariance(), tmp);
        CommonOps_DDRM.mult(tmp, rootA, product);
        symmetrize(product);
        double traceRoot = 0;
        for (double lambda : eigenvalues(product)) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        double value = meanTerm + CommonOps_DDRM.trace(a.covariance()) + CommonOps_DDRM.trace(b.covariance())
                - 2 * traceRoot;
        return Math.max(value, 0);
    }

    /** {@code V·diag(√max(λ, 0))·Vᵀ} of a symmetric matrix. */
    static DMatrixRMaj symmetricRoot(DMatrixRMaj s) {
        int n = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(s, true);
        DMatrixRMaj root = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            double w = Math.sqrt(Math.max(eig.getEigenvalue(i).getReal(), 0));
            DMatrixRMaj v = eig.getEigenVector(i);
            for (int r = 0; r < n; r++) {
                double vr = w * v.data[r];
                for (int k = 0; k < n; k++) {
                    root.data[r * n + k] += vr * v.data[k];
                }
            }
        }
        return root;
    }

    private static double[] eigenvalues(DMatrixRMaj s) {
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(s, false);
        double[] values = new double[s.numRows];
        for (int i = 0; i < values.length; i++) {
            values[i] = eig.getEigenvalue(i).getReal();
        }
        return values;
    }

    private static EigenDecomposition_F64<DMatrixRMaj> decompose(DMatrixRMaj s, boolean vectors) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s.numRows, vectors, true);
        if (!eig.decompose(s.copy())) {
            throw new ArithmeticException("the eigen-decomposition of a " + s.numRows + "×" + s.numRows
                    + " covariance did not converge (NaN or infinite features?)");
        }
        return eig;
    }

    private static void symmetrize(DMatrixRMaj m) {
        int n = m.numRows;
        for (int r = 0; r < n; r++) {
            for (int k = r + 1; k < n; k++) {
                double avg = (m.data[r * n + k] + m.data[k * n + r]) / 2;
                m.data[r * n + k] = avg;
                m.data[k * n + r] = avg;
            }
        }
    }
}
