package io.dcgan4j.kernels.cpu;

/** The specification of {@link Gemm}: a plain triple loop accumulating in double. Tests and benchmarks only. */
public final class GemmReference implements Gemm {

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c[cOff + i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += (double) av * bv;
                }
                c[cOff + i * ldc + j] = (float) sum;
            }
        }
    }

    /** The reference keeps op(B) as a plain row-major {@code [k,n]} copy. */
    private record Copy(int k, int n, float[] values) implements PackedB {
    }

    @Override
    public PackedB newPackedB(int k, int n) {
        return new Copy(k, n, new float[k * n]);
    }

    @Override
    public void packB(boolean transB, float[] b, int bOff, int ldb, PackedB dst) {
        Copy copy = (Copy) dst;
        for (int p = 0; p < copy.k(); p++) {
            for (int j = 0; j < copy.n(); j++) {
                copy.values()[p * copy.n() + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
    }

    @Override
    public void gemm(boolean transA, int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc,
                     boolean accumulate) {
        Copy copy = (Copy) b;
        gemm(transA, false, m, copy.n(), copy.k(), a, aOff, lda, copy.values(), 0, copy.n(), c, cOff, ldc,
                accumulate);
    }

    @Override
    public void gemmOnWorker(int worker, boolean transA, int m, float[] a, int aOff, int lda, PackedB b, float[] c,
                             int cOff, int ldc, boolean accumulate) {
        gemm(transA, m, a, aOff, lda, b, c, cOff, ldc, accumulate);
    }

    @Override
    public void gemmGatheredT(int m, int n, int k, float[] data, int[] rowStarts, int rowsOff, int[] columnOffsets,
                              float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        Checks.requireGatheredProduct(m, n, k, data, rowStarts, rowsOff, columnOffsets, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c[cOff + i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++) {
                    sum += (double) data[rowStarts[rowsOff + p] + columnOffsets[i]] * b[bOff + p * ldb + j];
                }
                c[cOff + i * ldc + j] = (float) sum;
            }
        }
    }
}
