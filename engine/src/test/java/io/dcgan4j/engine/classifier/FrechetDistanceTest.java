package io.dcgan4j.engine.classifier;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FrechetDistance}: the statistics against plain loops, the distance against closed forms. */
class FrechetDistanceTest {

    private static float[] gaussianFeatures(SplittableRandom rnd, int count, int dim, double shift) {
        float[] f = new float[count * dim];
        for (int i = 0; i < count; i++) {
            double common = rnd.nextGaussian();
            for (int j = 0; j < dim; j++) {
                f[i * dim + j] = (float) (shift + (j + 1) * 0.3 * rnd.nextGaussian() + 0.5 * common);
            }
        }
        return f;
    }

    @Test
    void statisticsMatchPlainLoops() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 57, dim = 6;
        float[] f = gaussianFeatures(rnd, n, dim, 1.5);
        FrechetDistance.Statistics s = FrechetDistance.statistics(f, n, dim);
        for (int a = 0; a < dim; a++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += f[i * dim + a];
            }
            mean /= n;
            assertEquals(mean, s.mean()[a], 1e-12);
            for (int b = 0; b < dim; b++) {
                double meanB = 0, cov = 0;
                for (int i = 0; i < n; i++) {
                    meanB += f[i * dim + b];
                }
                meanB /= n;
                for (int i = 0; i < n; i++) {
                    cov += (f[i * dim + a] - mean) * (f[i * dim + b] - meanB);
                }
                assertEquals(cov / (n - 1), s.covariance().get(a, b), 1e-12, "covariance " + a + "," + b);
            }
        }
    }

    @Test
    void aSetIsAtDistanceZeroFromItself() {
        float[] f = gaussianFeatures(new SplittableRandom(5), 400, 32, 0);
        FrechetDistance.Statistics s = FrechetDistance.statistics(f, 400, 32);
        assertEquals(0, FrechetDistance.distance(s, s), 1e-9);
    }

    /** Diagonal covariances: {@code |Δμ|² + Σ (σa − σb)²}; then both rotated alike, which changes nothing. */
    @Test
    void matchesTheClosedFormAndIgnoresACommonRotation() {
        int dim = 12;
        SplittableRandom rnd = new SplittableRandom(8);
        double[] ma = new double[dim], mb = new double[dim];
        DMatrixRMaj ca = new DMatrixRMaj(dim, dim), cb = new DMatrixRMaj(dim, dim);
        double expected = 0;
        for (int j = 0; j < dim; j++) {
            ma[j] = rnd.nextGaussian();
            mb[j] = rnd.nextGaussian();
            double sa = 0.1 + rnd.nextDouble(), sb = 0.1 + rnd.nextDouble();
            ca.set(j, j, sa * sa);
            cb.set(j, j, sb * sb);
            expected += (ma[j] - mb[j]) * (ma[j] - mb[j]) + (sa - sb) * (sa - sb);
        }
        double direct = FrechetDistance.distance(new FrechetDistance.Statistics(ma, ca, 2),
                new FrechetDistance.Statistics(mb, cb, 2));
        assertEquals(expected, direct, 1e-9 * expected);

        DMatrixRMaj q = randomRotation(rnd, dim);
        double rotated = FrechetDistance.distance(new FrechetDistance.Statistics(rotate(q, ma), conjugate(q, ca), 2),
                new FrechetDistance.Statistics(rotate(q, mb), conjugate(q, cb), 2));
        assertEquals(expected, rotated, 1e-9 * expected);
    }

    @Test
    void growsWithTheShiftOfTheMean() {
        SplittableRandom rnd = new SplittableRandom(11);
        FrechetDistance.Statistics base = FrechetDistance.statistics(gaussianFeatures(rnd, 2000, 8, 0), 2000, 8);
        double previous = -1;
        for (double shift : new double[] {0.1, 0.5, 2}) {
            double d = FrechetDistance.distance(base,
                    FrechetDistance.statistics(gaussianFeatures(rnd, 2000, 8, shift), 2000, 8));
            assertTrue(d > previous, "shift " + shift + ": " + d + " after " + previous);
            assertEquals(8 * shift * shift, d, 0.05 + 0.1 * 8 * shift * shift, "mostly the mean term");
            previous = d;
        }
    }

    @Test
    void rejectsTooFewSamplesAndOtherLengths() {
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.statistics(new float[4], 1, 4));
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.statistics(new float[7], 2, 4));
        FrechetDistance.Statistics a = FrechetDistance.statistics(new float[] {1, 2, 3, 5}, 2, 2);
        FrechetDistance.Statistics b = FrechetDistance.statistics(new float[] {1, 2, 3, 5, 8, 13}, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.distance(a, b));
    }

    private static DMatrixRMaj randomRotation(SplittableRandom rnd, int dim) {
        DMatrixRMaj m = new DMatrixRMaj(dim, dim);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rnd.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(dim, dim);
        qr.decompose(m);
        return qr.getQ(null, false);
    }

    private static double[] rotate(DMatrixRMaj q, double[] v) {
        DMatrixRMaj out = new DMatrixRMaj(v.length, 1);
        CommonOps_DDRM.mult(q, DMatrixRMaj.wrap(v.length, 1, v.clone()), out);
        return out.data;
    }

    private static DMatrixRMaj conjugate(DMatrixRMaj q, DMatrixRMaj c) {
        DMatrixRMaj tmp = new DMatrixRMaj(c.numRows, c.numCols), out = new DMatrixRMaj(c.numRows, c.numCols);
        CommonOps_DDRM.mult(q, c, tmp);
        CommonOps_DDRM.multTransB(tmp, q, out);
        return out;
    }
}
