package io.dcgan4j.kernels.cpu;

import java.util.Objects;

/**
 * The argument checks of this package, in one place so that a fast kernel and its reference reject the same calls
 * with the same messages. Each throws {@link IllegalArgumentException} naming the argument; none allocates unless it
 * throws.
 *
 * <p>Two length contracts: a {@link ConvKernel} takes dense arrays of exactly its shape's sizes
 * ({@link #requireLength}); the element-wise, batch-norm and Adam kernels read the leading elements of arrays that may
 * be longer ({@link #requireAtLeast(float[], int, String)}).
 */
final class Checks {

    private Checks() {
    }

    /** {@code array} is non-null and holds exactly {@code length} floats. */
    static void requireLength(float[] array, int length, String name) {
        if (array == null || array.length != length) {
            throw new IllegalArgumentException(name + " must hold " + length + " floats, got "
                    + (array == null ? "null" : array.length));
        }
    }

    /** {@code array} is non-null and holds exactly {@code length} doubles. */
    static void requireLength(double[] array, int length, String name) {
        if (array == null || array.length != length) {
            throw new IllegalArgumentException(name + " must hold " + length + " doubles, got "
                    + (array == null ? "null" : array.length));
        }
    }

    /** {@code array} holds at least {@code needed} floats. */
    static void requireAtLeast(float[] array, int needed, String name) {
        if (array.length < needed) {
            throw new IllegalArgumentException(name + " has length " + array.length + ", needs at least " + needed);
        }
    }

    /** {@code value >= min}. */
    static void requireAtLeast(long value, long min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }

    /** {@code value >= 0}. */
    static void requireNonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }

    /** A row-major {@code [rows, cols]} matrix at {@code off} with row stride {@code ld} lies inside {@code x}. */
    static void requireMatrix(float[] x, String name, int off, String offName, int ld, String ldName, int rows,
                              int cols) {
        if (x == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        requireNonNegative(off, offName);
        requireAtLeast(ld, cols, ldName);
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (end > x.length) {
            throw new IllegalArgumentException(name + " has length " + x.length + ", needs at least " + end
                    + " for " + rows + "x" + cols + " at offset " + off + " with row stride " + ld);
        }
    }

    /**
     * The operands of {@link Gemm#gemmGatheredT}: sizes not negative; the gathered A {@code [k,m]} has {@code m}
     * columns and {@code k} rows from {@code rowsOff}, and every element
     * {@code data[rowStarts[rowsOff + p] + columnOffsets[i]]} lies in {@code data} (the rows and columns are scanned
     * once); B {@code [k,n]} and C {@code [m,n]} fit in their arrays.
     */
    static void requireGatheredProduct(int m, int n, int k, float[] data, int[] rowStarts, int rowsOff,
                                       int[] columnOffsets, float[] b, int bOff, int ldb, float[] c, int cOff,
                                       int ldc) {
        requireNonNegative(n, "n");
        requireNonNegative(k, "k");
        requireGathered(m, k, data, rowStarts, rowsOff, columnOffsets);
        requireMatrix(b, "b", bOff, "bOff", ldb, "ldb", k, n);
        requireMatrix(c, "c", cOff, "cOff", ldc, "ldc", m, n);
    }

    private static void requireGathered(int m, int k, float[] data, int[] rowStarts, int rowsOff,
                                        int[] columnOffsets) {
        if (data == null || rowStarts == null || columnOffsets == null) {
            throw new IllegalArgumentException((data == null ? "data" : rowStarts == null ? "rowStarts"
                    : "columnOffsets") + " must not be null");
        }
        requireNonNegative(m, "m");
        requireNonNegative(rowsOff, "rowsOff");
        if (m > columnOffsets.length) {
            throw new IllegalArgumentException("columnOffsets holds " + columnOffsets.length + " columns, needs " + m);
        }
        if ((long) rowsOff + k > rowStarts.length) {
            throw new IllegalArgumentException("rowStarts holds " + rowStarts.length + " rows, needs " + k
                    + " from rowsOff " + rowsOff);
        }
        if (m == 0 || k == 0) {
            return;
        }
        long minRow = Long.MAX_VALUE;
        long maxRow = Long.MIN_VALUE;
        for (int p = rowsOff; p < rowsOff + k; p++) {
            minRow = Math.min(minRow, rowStarts[p]);
            maxRow = Math.max(maxRow, rowStarts[p]);
        }
        long minCol = Long.MAX_VALUE;
        long maxCol = Long.MIN_VALUE;
        for (int i = 0; i < m; i++) {
            minCol = Math.min(minCol, columnOffsets[i]);
            maxCol = Math.max(maxCol, columnOffsets[i]);
        }
        if (minRow + minCol < 0 || maxRow + maxCol >= data.length) {
            throw new IllegalArgumentException("data holds " + data.length + " floats, but the gathered elements span ["
                    + (minRow + minCol) + ", " + (maxRow + maxCol) + "]");
        }
    }

    /** {@code n >= 0}, and the two arrays of an element-wise op hold at least {@code n} floats. */
    static void requireElementwise(int n, float[] a, String aName, float[] b, String bName) {
        requireNonNegative(n, "n");
        requireAtLeast(a, n, aName);
        requireAtLeast(b, n, bName);
    }

    /** {@code n >= 0}, and the three arrays of an element-wise op hold at least {@code n} floats. */
    static void requireElementwise(int n, float[] a, String aName, float[] b, String bName, float[] c,
                                   String cName) {
        requireElementwise(n, a, aName, b, bName);
        requireAtLeast(c, n, cName);
    }

    /** {@code value > 0} and finite (NaN fails). */
    static void requirePositiveFinite(float value, String name) {
        if (!(value > 0f) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }

    /**
     * {@code shape} is non-null and a Conv2DTranspose if {@code transposed}, else a Conv2D; {@code owner} names the
     * class that needs it.
     */
    static ConvShape requireConvShape(ConvShape shape, boolean transposed, String owner) {
        Objects.requireNonNull(shape, "shape");
        if (shape.transposed() != transposed) {
            throw new IllegalArgumentException(owner + " needs a " + convKind(transposed) + " shape, got a "
                    + convKind(!transposed) + ": " + shape);
        }
        return shape;
    }

    private static String convKind(boolean transposed) {
        return transposed ? "Conv2DTranspose" : "Conv2D";
    }

    /** The arguments of {@link ConvKernel#forward}: {@code x [in], w [kernel], bias [outC], y [out]} of {@code s}. */
    static void requireConvForward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        requireLength(x, s.inputSize(), "x");
        requireLength(w, s.kernelSize(), "w");
        requireLength(bias, s.outC(), "bias");
        requireLength(y, s.outputSize(), "y");
    }

    /** {@link #requireConvForward(ConvShape, float[], float[], float[], float[])} for a double core. */
    static void requireConvForward(ConvShape s, double[] x, double[] w, double[] bias, double[] y) {
        requireLength(x, s.inputSize(), "x");
        requireLength(w, s.kernelSize(), "w");
        requireLength(bias, s.outC(), "bias");
        requireLength(y, s.outputSize(), "y");
    }

    /** The arguments of {@link ConvKernel#backwardInput}: {@code dy [out], w [kernel], dx [in]} of {@code s}. */
    static void requireConvBackwardInput(ConvShape s, float[] dy, float[] w, float[] dx) {
        requireLength(dy, s.outputSize(), "dy");
        requireLength(w, s.kernelSize(), "w");
        requireLength(dx, s.inputSize(), "dx");
    }

    /** {@link #requireConvBackwardInput(ConvShape, float[], float[], float[])} for a double core. */
    static void requireConvBackwardInput(ConvShape s, double[] dy, double[] w, double[] dx) {
        requireLength(dy, s.outputSize(), "dy");
        requireLength(w, s.kernelSize(), "w");
        requireLength(dx, s.inputSize(), "dx");
    }

    /**
     * The arguments of {@link ConvKernel#backwardWeight}: {@code x [in], dy [out], dw [kernel], dBias [outC]} of
     * {@code s}.
     */
    static void requireConvBackwardWeight(ConvShape s, float[] x, float[] dy, float[] dw, float[] dBias) {
        requireLength(x, s.inputSize(), "x");
        requireLength(dy, s.outputSize(), "dy");
        requireLength(dw, s.kernelSize(), "dw");
        requireLength(dBias, s.outC(), "dBias");
    }

    /** {@link #requireConvBackwardWeight(ConvShape, float[], float[], float[], float[])} for a double core. */
    static void requireConvBackwardWeight(ConvShape s, double[] x, double[] dy, double[] dw, double[] dBias) {
        requireLength(x, s.inputSize(), "x");
        requireLength(dy, s.outputSize(), "dy");
        requireLength(dw, s.kernelSize(), "dw");
        requireLength(dBias, s.outC(), "dBias");
    }

    /** The sizes of a {@link BatchNormKernel}: {@code rows >= 1}, {@code channels >= 1}. */
    static void requireBatchNormSize(int rows, int channels) {
        requireAtLeast(rows, 1, "rows");
        requireAtLeast(channels, 1, "channels");
    }

    /** The arguments of {@link BatchNormKernel#forwardTraining} for {@code [rows, channels]}. */
    static void requireBatchNormTraining(int rows, int channels, float[] x, float[] gamma, float[] beta,
                                         float epsilon, float[] y, float[] batchMean, float[] batchVariance,
                                         float[] batchInvStd) {
        requirePositiveFinite(epsilon, "epsilon");
        requireAtLeast(x, rows * channels, "x");
        requireAtLeast(gamma, channels, "gamma");
        requireAtLeast(beta, channels, "beta");
        requireAtLeast(y, rows * channels, "y");
        requireAtLeast(batchMean, channels, "batchMean");
        requireAtLeast(batchVariance, channels, "batchVariance");
        requireAtLeast(batchInvStd, channels, "batchInvStd");
    }

    /** The arguments of {@link BatchNormKernel#forwardInference} for {@code [rows, channels]}. */
    static void requireBatchNormInference(int rows, int channels, float[] x, float[] gamma, float[] beta,
                                          float[] movingMean, float[] movingVariance, float epsilon, float[] y) {
        requirePositiveFinite(epsilon, "epsilon");
        requireAtLeast(x, rows * channels, "x");
        requireAtLeast(gamma, channels, "gamma");
        requireAtLeast(beta, channels, "beta");
        requireAtLeast(movingMean, channels, "movingMean");
        requireAtLeast(movingVariance, channels, "movingVariance");
        requireAtLeast(y, rows * channels, "y");
    }

    /** The arguments of {@link BatchNormKernel#backward} for {@code [rows, channels]}. */
    static void requireBatchNormBackward(int rows, int channels, float[] x, float[] dy, float[] gamma,
                                         float[] batchMean, float[] batchInvStd, float[] dx, float[] dGamma,
                                         float[] dBeta) {
        requireAtLeast(x, rows * channels, "x");
        requireAtLeast(dy, rows * channels, "dy");
        requireAtLeast(gamma, channels, "gamma");
        requireAtLeast(batchMean, channels, "batchMean");
        requireAtLeast(batchInvStd, channels, "batchInvStd");
        requireAtLeast(dx, rows * channels, "dx");
        requireAtLeast(dGamma, channels, "dGamma");
        requireAtLeast(dBeta, channels, "dBeta");
    }

    /** The arguments of {@link AdamKernel#update}: {@code n >= 0}, {@code step >= 1}, four arrays of {@code >= n}. */
    static void requireAdamUpdate(float[] param, float[] grad, float[] m, float[] v, int n, long step) {
        requireNonNegative(n, "n");
        requireAtLeast(step, 1, "step");
        requireAtLeast(param, n, "param");
        requireAtLeast(grad, n, "grad");
        requireAtLeast(m, n, "m");
        requireAtLeast(v, n, "v");
    }
}
