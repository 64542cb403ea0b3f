package io.dcgan4j.kernels.cuda;

import io.dcgan4j.kernels.cpu.AdamKernel;
import io.dcgan4j.kernels.cpu.ConvShape;

/**
 * One thin checked launcher per kernel (see {@code kernels/src/main/cuda/} for what each computes): the grid comes
 * from the sizes by ceiling division, and every choice that changes a sum's order (split of a reduction into
 * chunks) depends on the sizes alone, so a run repeats bit for bit. Buffers are row-major float32 as the backends
 * lay them out.
 */
public final class CudaOps {

    /** Rows and columns of a GEMM output tile; the CUDA sources' {@code TILE}. */
    static final int TILE = 64;
    /** Depth of one staged panel; the CUDA sources' {@code TILE_K}. */
    static final int TILE_K = 16;
    /** Threads per block of the tiled products and of the reductions. */
    static final int THREADS = 256;
    /** Enough blocks to fill a large GPU about twice: the split of a weight gradient aims at this many. */
    static final int TARGET_BLOCKS = 256;
    /** Most blocks an element-wise grid-stride launch uses. */
    static final int MAX_ELEMENTWISE_BLOCKS = 4096;
    /** Most chunks a column reduction is cut into. */
    static final int MAX_ROW_CHUNKS = 128;
    /** Fewest rows per chunk of a column reduction. */
    static final int MIN_ROWS_PER_CHUNK = 64;

    private final CudaContext context;
    private final DeviceBuffer loss;

    public CudaOps(CudaContext context) {
        this.context = context;
        this.loss = context.allocateFloats(1);
    }

    public CudaContext context() {
        return context;
    }

    /** {@code y[n, out] = x[n, in] · w[in, out] (+ bias[out]; bias may be null)}. */
    public void denseForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer y, int n, int in,
                             int out) {
        requireFloats(x, (long) n * in, "x");
        requireFloats(w, (long) in * out, "w");
        requireFloats(y, (long) n * out, "y");
        if (bias != null) {
            requireFloats(bias, out, "bias");
        }
        context.launch(CudaKernel.DENSE_FORWARD, ceilDiv(n, TILE), ceilDiv(out, TILE), 1, THREADS, 1,
                x, w, bias, y, n, in, out);
    }

    /** {@code dx[n, in] = dy[n, out] · wᵀ}. */
    public void denseBackwardInput(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, int n, int in, int out) {
        requireFloats(dy, (long) n * out, "dy");
        requireFloats(w, (long) in * out, "w");
        requireFloats(dx, (long) n * in, "dx");
        context.launch(CudaKernel.DENSE_BACKWARD_INPUT, ceilDiv(n, TILE), ceilDiv(in, TILE), 1, THREADS, 1,
                dy, w, dx, n, in, out);
    }

    /** {@code dw[in, out] += xᵀ · dy}. */
    public void denseBackwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, int n, int in, int out) {
        requireFloats(x, (long) n * in, "x");
        requireFloats(dy, (long) n * out, "dy");
        requireFloats(dw, (long) in * out, "dw");
        context.launch(CudaKernel.DENSE_BACKWARD_WEIGHT, ceilDiv(in, TILE), ceilDiv(out, TILE), 1, THREADS, 1,
                x, dy, dw, n, in, out);
    }

    public void leakyReluForward(DeviceBuffer x, DeviceBuffer y, int n, float alpha) {
        requireFloats(x, n, "x");
        requireFloats(y, n, "y");
        context.launch(CudaKernel.LEAKY_RELU_FORWARD, elementwiseBlocks(n), 1, 1, THREADS, 1, x, y, n, alpha);
    }

    public void leakyReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int n, float alpha) {
        requireFloats(x, n, "x");
        requireFloats(dy, n, "dy");
        requireFloats(dx, n, "dx");
        context.launch(CudaKernel.LEAKY_RELU_BACKWARD, elementwiseBlocks(n), 1, 1, THREADS, 1, x, dy, dx, n, alpha);
    }

    public void tanhForward(DeviceBuffer x, DeviceBuffer y, int n) {
        requireFloats(x, n, "x");
        requireFloats(y, n, "y");
        context.launch(CudaKernel.TANH_FORWARD, elementwiseBlocks(n), 1, 1, THREADS, 1, x, y, n);
    }

    public void tanhBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int n) {
        requireFloats(y, n, "y");
        requireFloats(dy, n, "dy");
        requireFloats(dx, n, "dx");
        context.launch(CudaKernel.TANH_BACKWARD, elementwiseBlocks(n), 1, 1, THREADS, 1, y, dy, dx, n);
    }

    /**
     * The mean binary cross-entropy of {@code logits[n]} against {@code label}; writes the gradient into
     * {@code dLogits} unless it is null. Waits for the device (the loss comes back to the host).
     */
    public float binaryCrossEntropy(DeviceBuffer logits, int n, float label, DeviceBuffer dLogits) {
        requireFloats(logits, n, "logits");
        if (dLogits != null) {
            requireFloats(dLogits, n, "dLogits");
        }
        context.launch(CudaKernel.BINARY_CROSS_ENTROPY, 1, 1, 1, THREADS, 1, logits, n, label, dLogits, loss);
        float[] value = new float[1];
        context.download(loss, value, 1);
        return value[0];
    }

    /** One Keras-form Adam step at step {@code t ≥ 1}, with the CPU kernels' step size and constants. */
    public void adamUpdate(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, int n,
                           float learningRate, float beta1, float beta2, float epsilon, long t) {
        if (t < 1) {
            throw new IllegalArgumentException("Adam step must be >= 1, got " + t);
        }
        requireFloats(param, n, "param");
        requireFloats(grad, n, "grad");
        requireFloats(m, n, "m");
        requireFloats(v, n, "v");
        float alpha = AdamKernel.stepSize(learningRate, beta1, beta2, t);
        context.launch(CudaKernel.ADAM_UPDATE, elementwiseBlocks(n), 1, 1, THREADS, 1, param, grad, m, v, n, alpha,
                1f - beta1, 1f - beta2, epsilon);
    }

    /** A reduction over the rows of {@code [rows, cols]} matrices, with its partial sums allocated once. */
    public ColumnSums columnSums(int rows, int cols) {
        return new ColumnSums(rows, cols);
    }

    /** A convolution planned for {@code shape}, with its scratch allocated once. */
    public CudaConv conv(ConvShape shape) {
        return new CudaConv(this, shape);
    }

    /** Batch normalisation planned for {@code [rows, channels]}, with its scratch allocated once. */
    public CudaBatchNorm batchNorm(int rows, int channels) {
        if (rows < 1 || channels < 1) {
            throw new IllegalArgumentException("batch norm needs rows and channels, got " + rows + " x " + channels);
        }
        return new CudaBatchNorm(this, rows, channels);
    }

    /**
     * Per-column sums of {@code [rows, cols]} row-major matrices: fixed chunks of rows summed in double by
     * {@code column_partial_sums}, the chunk partials then added in chunk order.
     */
    public final class ColumnSums {

        /** The terms {@code column_partial_sums} can sum; the CUDA source's {@code ColumnTerm}. */
        enum Term { VALUE, CENTRED_SQUARE, DY_XHAT }

        private final int rows;
        private final int cols;
        private final int rowsPerChunk;
        private final int chunks;
        private final int blockCols;
        private final DeviceBuffer partial;

        ColumnSums(int rows, int cols) {
            if (rows < 1 || cols < 1) {
                throw new IllegalArgumentException("a column reduction needs rows and columns, got " + rows + " x "
                        + cols);
            }
            this.rows = rows;
            this.cols = cols;
            this.rowsPerChunk = Math.max(MIN_ROWS_PER_CHUNK, ceilDiv(rows, MAX_ROW_CHUNKS));
            this.chunks = ceilDiv(rows, rowsPerChunk);
            // Lanes across channels: the next power of two ≥ cols, at most a warp; the rest of the block runs down rows.
            this.blockCols = Math.min(32, Integer.highestOneBit(2 * cols - 1));
            this.partial = context.allocateDoubles((long) chunks * cols);
        }

        int rows() {
            return rows;
        }

        int cols() {
            return cols;
        }

        int chunks() {
            return chunks;
        }

        DeviceBuffer partial() {
            return partial;
        }

        /** {@code dst[c] += Σ_r source[r, c]}. */
        public void addInto(DeviceBuffer source, DeviceBuffer dst) {
            requireFloats(source, (long) rows * cols, "source");
            requireFloats(dst, cols, "dst");
            partialSums(Term.VALUE, source, null, null, null, null, partial);
            context.launch(CudaKernel.COLUMN_SUMS_ADD, ceilDiv(cols, THREADS), 1, 1, THREADS, 1, partial, chunks,
                    cols, dst);
        }

        /** {@code into[chunk, c]} = the chunk's sum of the term; see {@code column_partial_sums}. */
        void partialSums(Term term, DeviceBuffer a, DeviceBuffer b, DeviceBuffer centre, DeviceBuffer mean,
                         DeviceBuffer invStd, DeviceBuffer into) {
            context.launch(CudaKernel.COLUMN_PARTIAL_SUMS, ceilDiv(cols, blockCols), chunks, 1, blockCols,
                    THREADS / blockCols, a, b, centre, mean, invStd, term.ordinal(), rows, cols, rowsPerChunk, into);
        }
    }

    /** Blocks of a grid-stride launch over {@code n} elements. */
    static int elementwiseBlocks(long n) {
        return (int) Math.max(1, Math.min(MAX_ELEMENTWISE_BLOCKS, ceilDiv(n, THREADS)));
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static void requireFloats(DeviceBuffer b, long count, String name) {
        if (b == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (b.elementBytes() != Float.BYTES || b.elements() < count) {
            throw new IllegalArgumentException(name + " holds " + b.elements() + " elements of " + b.elementBytes()
                    + " bytes, needs " + count + " floats");
        }
    }
}
