package io.dcgan4j.kernels.cpu;

/**
 * Single-precision matrix multiply on row-major buffers: {@code C[m,n] (+)= op(A)[m,k] · op(B)[k,n]}.
 *
 * <p>{@code op(A)} is {@code A} stored {@code [m,k]} with row stride {@code lda}, or, when {@code transA}, the
 * transpose of {@code A} stored {@code [k,m]}. Likewise {@code op(B)} is {@code B} stored {@code [k,n]} or, when
 * {@code transB}, stored {@code [n,k]}. With {@code accumulate} the product is added to {@code C}, otherwise it
 * replaces it. {@code C} must not overlap {@code A} or {@code B}.
 */
public interface Gemm {

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc,
              boolean accumulate);

    /**
     * op(B) {@code [k,n]} prepared once for several products that share it: a layer's weights across the sample
     * chunks of a batch, which would otherwise be packed again for every chunk. Made by {@link #newPackedB} for one
     * shape, filled by {@link #packB}, used by {@link #gemm(boolean, int, float[], int, int, PackedB, float[], int,
     * int, boolean)}.
     */
    interface PackedB {
        /** Rows of op(B): the depth of the products. */
        int k();

        /** Columns of op(B). */
        int n();
    }

    /** Scratch for a packed op(B) of {@code [k,n]}; allocates, so plans call it once. */
    PackedB newPackedB(int k, int n);

    /** Packs op(B) (B stored {@code [n,k]} when {@code transB}, else {@code [k,n]}, row stride {@code ldb}). */
    void packB(boolean transB, float[] b, int bOff, int ldb, PackedB dst);

    /** {@code C[m,n] (+)= op(A)[m,k] · op(B)}, op(B) and its {@code k, n} from {@code b}; as the plain form. */
    void gemm(boolean transA, int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc,
              boolean accumulate);

    /**
     * The packed form, computed entirely by the calling thread, which must be running a task of the pool this GEMM
     * was made for, as {@code worker} (a thread-count-free implementation ignores it): for kernels that share out
     * whole samples rather than one product's tiles. Its summation order may differ from the pooled form's for the
     * same shape (that one may sum a long depth in groups), but depends on the shape alone.
     */
    void gemmOnWorker(int worker, boolean transA, int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff,
                      int ldc, boolean accumulate);

    /**
     * {@code C[m,n] (+)= Aᵀ · B}, B stored {@code [k,n]} with row stride {@code ldb}, where A {@code [k,m]} is not
     * stored but gathered from {@code data}: its element {@code (p, i)} is {@code data[rowStarts[rowsOff + p] +
     * columnOffsets[i]]}. A convolution's patch matrix is such a matrix over its image (a row per patch: where the
     * patch starts; a column per element of a patch: its offset from there), so a weight gradient can read the
     * patches where they lie instead of copying them out first. The same sums, in the same order, as the plain form
     * with that A stored.
     *
     * @throws IllegalArgumentException naming the argument, if an array is null, a size is negative, {@code m} is
     *                                  more than {@code columnOffsets} holds, {@code rowStarts} holds fewer than
     *                                  {@code k} rows from {@code rowsOff}, an element of A lies outside
     *                                  {@code data}, or B or C does not fit in its array
     */
    void gemmGatheredT(int m, int n, int k, float[] data, int[] rowStarts, int rowsOff, int[] columnOffsets,
                       float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate);
}
