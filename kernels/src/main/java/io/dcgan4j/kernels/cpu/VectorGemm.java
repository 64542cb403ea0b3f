package io.dcgan4j.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast {@link Gemm}: packed panels and a register-blocked micro-kernel on the Vector API (GotoBLAS/BLIS shape).
 *
 * <pre>
 * C [m,n] (row stride ldc) (+)= op(A) [m,k] · op(B) [k,n]      (see {@link Gemm} for how A and B are stored)
 * L         lanes of SPECIES (16 for AVX-512, 8 for AVX2)
 * MR×NR     micro-tile of C held in registers: MR rows × NR = NRV·L columns (MR × L for a last panel of at most L)
 * KC        largest depth of a K block; K is cut into ceil(k/KC) blocks of near-equal depth kc
 * MC, NC    rows of a packed A block, columns of a packed B block
 * A panels  MR rows of op(A); element (r, p) of a panel at r·rs + p·ds. A stored [m,k] is read where it lies
 *           (rs = lda, ds = 1), only a last panel of fewer than MR rows copied, zero rows past m, into [MR][kc];
 *           A stored [k,m] or gathered is packed [kc][MR] (rs = 1, ds = MR), copying contiguous runs of A
 * packed B  panels [kc][NR] of NR columns of op(B), zero columns past n, off the heap and aligned to the vector size
 * </pre>
 *
 * <p>The output is cut into tiles, a few per thread; each tile is one task that packs its own A and B blocks into
 * per-thread buffers and walks K in blocks of at most {@code KC}, which depend only on {@code k}. Every element of C
 * is therefore computed by the same sequence of float operations whatever the thread count: one fused multiply-add
 * chain per K block, added to C in block order. A small C over a long depth is cut along the depth instead (see
 * {@link #splitDepth}): groups of K blocks, fixed by the shape, each summed as above into its own partial, added in
 * group order. Transposes are absorbed by the packing routines; the micro-kernel reads packed panels or A in place.
 * A product with a single output row or column is a matrix-vector product and takes a plain dot or axpy path.
 *
 * <p>One pooled call at a time (like the {@link Parallel} pool it runs on), or one {@link #gemmOnWorker} per thread
 * from inside the pool's tasks; all scratch is allocated by the constructor.
 */
public final class VectorGemm implements Gemm {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    /**
     * Alignment of packed B, in bytes. The micro-kernel loads two vectors of B per depth step; on a heap array they
     * start wherever the allocator put it, and a vector that straddles two cache lines costs two loads. With
     * g_convT2's forward pass on one thread the same build ran in 191 ms or 267 ms from one JVM to the next, by where
     * the buffers landed; native memory aligned to the vector fixes it at the fast end.
     */
    private static final long B_ALIGN = Math.max(64, SPECIES.vectorByteSize());

    /**
     * Rows of the micro-tile, of NRV = 2 vectors each. Below 16 lanes, 6 rows: 12 accumulators, 2 B vectors and a
     * broadcast fit AVX2's 16 registers (measured at 96-98 % of the FMA peak with operands in L1). With 16 lanes and
     * AVX-512's 32 registers, 12 rows (27 registers) halve the B loads per multiply-add and the passes over each B
     * panel: in alternating runs on 2 threads g_convT2's forward pass took 0-6 % less time, its input gradient 1-33 %
     * and its weight gradient 5-18 %. Each row count has its micro-kernel written out; the transposed A packing
     * copies one vector per row block when L ≥ MR.
     */
    private static final int MR = L >= 16 ? 12 : 6;
    /** Vectors per row of the micro-tile. */
    private static final int NRV = 2;
    /** Columns of the micro-tile. */
    private static final int NR = NRV * L;
    /**
     * Largest depth of a K block. Each K block loads and stores every micro-tile of C once more; at 512 (a B
     * micro-panel of 64 KB on AVX-512, fed from L2) the big layers' input and weight gradients took 4-15 % less time
     * than at 256 in alternating runs, the train step no different beyond its spread (bench/README.md, fifth session).
     */
    private static final int KC = 512;
    /** Rows of a packed A block (MC·KC floats, 480 KB on AVX-512: half of a 1 MB L2); a multiple of MR. */
    private static final int MC = 20 * MR;
    /** Columns of a packed B block (KC·NC floats, 4 MB per thread, in L3); also the widest task tile. */
    private static final int NC = 2048 / NR * NR;
    /**
     * Largest MC-row block of C, in floats, that {@link #computeTile} keeps in L2 through all the K blocks of a span
     * (256 KB: a quarter of a 1 MB L2, beside the packed A block).
     */
    private static final int ROW_BLOCK_OUTER_MAX_C = 1 << 16;

    /**
     * Tasks per thread the tiling aims for: enough to balance the threads, few enough to amortise packing. At 2 threads
     * more (16 tiles per call) measured no better; with a fixed 8 tiles, 16 threads left half the pool waiting.
     */
    private static final int TASKS_PER_THREAD = 4;
    /** Fewest tasks the tiling aims for, whatever the thread count. */
    private static final int MIN_TASKS = 8;
    /** Most groups of a depth split; a function of the shape, never of the threads, since it sets the summation. */
    private static final int DEPTH_GROUPS = 8;
    /** Multiply-adds below which a tile is not split further (the pool's wake-up costs a few microseconds). */
    private static final long MIN_TASK_MACS = 1L << 21;
    /** Multiply-adds per matrix-vector task. */
    private static final long GEMV_TASK_MACS = 1L << 18;
    /** Largest C (m·n) a depth split takes: its partials, one C per group, are scratch of the GEMM. */
    private static final int DEPTH_SPLIT_MAX_OUTPUTS = 1 << 17;
    /** Outputs per task of a depth split's final sum. */
    private static final int REDUCE_TASK_OUTPUTS = 1 << 14;
    /** Outputs of one axpy block: its accumulators stay in registers while the whole depth streams past. */
    private static final int AXPY_BLOCK = 4 * L;

    private final Parallel pool;
    /** Per thread: a packed A block, plus one vector of slack for the overlapping copies of packATransposed. */
    private final float[][] packA;
    /** Per thread: a packed B block. */
    private final MemorySegment[] packB;
    /**
     * Per thread: a micro-tile of results [MR][NR] that C cannot hold whole (rows past m, columns past n), whose
     * valid part {@link #storeTile} then copies; the dot path adds up its lanes here.
     */
    private final float[][] tile;
    /** [groups][m][n]: the partial products of a depth split. */
    private final float[] depthPartials;

    private final Parallel.Task tileTask = this::tileTask;
    private final Parallel.Task depthGroupTask = this::depthGroupTask;
    private final Parallel.Task reduceTask = this::reduceDepthGroups;
    private final Parallel.Task packPanelTask = this::packPanelTask;
    private final Parallel.Task dotTask = this::dotTask;
    private final Parallel.Task axpyTask = this::axpyTask;

    /** The operands of the pool's call in progress, read by its tasks. */
    private final Operands call = new Operands();
    /** Per thread: the operands of its own product ({@link #gemmOnWorker}). */
    private final Operands[] own;
    // The rest of the pool's call, read by its tasks (set before each pool run, never captured in lambdas).
    private int m;
    private int n;
    private float[] c;
    private int cOff;
    private int ldc;
    private boolean accumulate;
    /** The output tiles: C's MR-row blocks and NR-column panels shared out in near-equal runs. */
    private int rowBlocks;
    private int panels;
    private int tilesM;
    private int tilesN;
    /** A depth split's K blocks per group, its group count, and the row tiles each group's task is cut into. */
    private int groupBlocks;
    private int groups;
    private int groupTiles;
    /** Tasks the tiling aims for: {@link #TASKS_PER_THREAD} per thread, at least {@link #MIN_TASKS}. */
    private final int targetTasks;
    /** The destination of the {@link #packB} in progress. */
    private Packed packing;

    // Matrix-vector form: out[i] (+)= sum_p x[i,p]·v[p] (dot) or sum_p v[p]·x[p,i] (axpy), i < count.
    private float[] gx;
    private int gxOff;
    private int gldx;
    private float[] gv;
    private int gvOff;
    private int gvStride;
    private int gOutStride;
    private int gCount;
    private int gChunk;

    /** A GEMM running on {@code pool}, with packing buffers for each of its threads. */
    public VectorGemm(Parallel pool) {
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        this.pool = pool;
        int threads = pool.threads();
        packA = new float[threads][MC * KC + L];
        packB = new MemorySegment[threads];
        for (int t = 0; t < threads; t++) {
            packB[t] = alignedFloats((long) KC * NC);
        }
        tile = new float[threads][MR * NR];
        own = new Operands[threads];
        for (int t = 0; t < threads; t++) {
            own[t] = new Operands();
        }
        depthPartials = new float[DEPTH_GROUPS * DEPTH_SPLIT_MAX_OUTPUTS];
        targetTasks = Math.max(MIN_TASKS, TASKS_PER_THREAD * threads);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the argument, if a size or an offset is negative, an array is null, a
     *                                  leading dimension is shorter than its row, or an array is too short for its
     *                                  matrix
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     boolean accumulate) {
        Checks.requireNonNegative(m, "m");
        Checks.requireNonNegative(n, "n");
        Checks.requireNonNegative(k, "k");
        Checks.requireMatrix(a, "a", aOff, "aOff", lda, "lda", transA ? k : m, transA ? m : k);
        Checks.requireMatrix(b, "b", bOff, "bOff", ldb, "ldb", transB ? n : k, transB ? k : n);
        Checks.requireMatrix(c, "c", cOff, "cOff", ldc, "ldc", m, n);
        if (emptyProduct(m, n, k, c, cOff, ldc, accumulate)) {
            return;
        }
        call.setB(transB, b, bOff, ldb);
        multiply(transA, m, n, k, a, aOff, lda, c, cOff, ldc, accumulate, null);
    }

    /** With m or n zero there is nothing to do; with k zero C is cleared unless accumulating. True in both cases. */
    private static boolean emptyProduct(int m, int n, int k, float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return true;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The product of checked, non-empty operands (B already set, or {@code pre} packed): a matrix-vector pass, a
     * depth split or output tiles.
     */
    private void multiply(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, float[] c, int cOff,
                          int ldc, boolean accumulate, Packed pre) {
        call.transA = transA;
        this.m = m;
        this.n = n;
        call.k = k;
        call.a = a;
        call.aOff = aOff;
        call.lda = lda;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.accumulate = accumulate;
        call.packed = pre;
        try {
            if ((pre != null || !matrixVector()) && !splitDepth()) {
                planTiles();
                pool.run(tilesM * tilesN, tileTask);
            }
        } finally {
            call.clear();
            this.c = null;
            this.gx = null;
            this.gv = null;
        }
    }

    /**
     * The operands of one product, which the tile loop and the packing routines read: the pool's call, shared by its
     * tasks, or one thread's own product.
     */
    private static final class Operands {
        boolean transA;
        int k;
        float[] a;
        int aOff;
        int lda;
        boolean transB;
        float[] b;
        int bOff;
        int ldb;
        /** Pre-packed op(B), or null when the tiles pack B themselves. */
        Packed packed;
        /**
         * A gathered ({@link #gemmGatheredT}): element (p, i) of A stored [k,m] is
         * {@code a[rowStarts[rowsOff + p] + columnOffsets[i]]}; null when A is stored.
         */
        int[] rowStarts;
        int rowsOff;
        int[] columnOffsets;

        /** Sets op(B): B stored [n,k] when {@code transB}, else [k,n], row stride {@code ldb}. */
        void setB(boolean transB, float[] b, int bOff, int ldb) {
            this.transB = transB;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
        }

        /** Drops the references to the caller's arrays once the product is done. */
        void clear() {
            a = null;
            b = null;
            packed = null;
            rowStarts = null;
            columnOffsets = null;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the whole of C as one tile, with the thread's own packing buffers, K blocks as in every other product.
     */
    @Override
    public void gemmOnWorker(int worker, boolean transA, int m, float[] a, int aOff, int lda, PackedB b, float[] c,
                             int cOff, int ldc, boolean accumulate) {
        Packed p = (Packed) b;
        Checks.requireNonNegative(m, "m");
        Checks.requireMatrix(a, "a", aOff, "aOff", lda, "lda", transA ? p.k() : m, transA ? m : p.k());
        Checks.requireMatrix(c, "c", cOff, "cOff", ldc, "ldc", m, p.n());
        if (worker < 0 || worker >= own.length) {
            throw new IllegalArgumentException("worker must be in [0, " + own.length + "), got " + worker);
        }
        if (emptyProduct(m, p.n(), p.k(), c, cOff, ldc, accumulate)) {
            return;
        }
        Operands ops = own[worker];
        ops.transA = transA;
        ops.k = p.k();
        ops.a = a;
        ops.aOff = aOff;
        ops.lda = lda;
        ops.packed = p;
        try {
            computeTile(ops, 0, m, 0, p.n(), 0, p.k(), c, cOff, ldc, accumulate, worker);
        } finally {
            ops.clear();
        }
    }

    /**
     * op(B) packed for every K block at once, each block laid out as {@link #tileTask} packs a tile's B block:
     * block {@code pc} starts at {@code pc · nPad}, its panel of columns {@code q·NR ..} at {@code q · kc · NR}.
     */
    private record Packed(int k, int n, int nPad, MemorySegment data) implements PackedB {
    }

    /** Zeroed native memory for {@code count} floats, aligned for B's vector loads and freed when unreachable. */
    private static MemorySegment alignedFloats(long count) {
        return Arena.ofAuto().allocate(count * Float.BYTES, B_ALIGN);
    }

    @Override
    public PackedB newPackedB(int k, int n) {
        Checks.requireNonNegative(k, "k");
        Checks.requireNonNegative(n, "n");
        int nPad = roundUp(n, NR);
        return new Packed(k, n, nPad, alignedFloats(Math.multiplyExact(k, nPad)));
    }

    @Override
    public void packB(boolean transB, float[] b, int bOff, int ldb, PackedB dst) {
        Packed p = (Packed) dst;
        Checks.requireMatrix(b, "b", bOff, "bOff", ldb, "ldb", transB ? p.n() : p.k(), transB ? p.k() : p.n());
        call.setB(transB, b, bOff, ldb);
        this.packing = p;
        try {
            pool.run(p.nPad() / NR, packPanelTask);
        } finally {
            call.b = null;
            this.packing = null;
        }
    }

    /** Task q of {@link #packB}: the panel of columns {@code q·NR ..} through every K block. */
    private void packPanelTask(int q, int worker) {
        Packed p = packing;
        int j0 = q * NR;
        int cols = Math.min(NR, p.n() - j0);
        int depth = blockDepth(p.k());
        for (int pc = 0; pc < p.k(); pc += depth) {
            int kc = Math.min(depth, p.k() - pc);
            int dstOff = pc * p.nPad() + q * kc * NR;
            if (call.transB) {
                packBTransposed(call, pc, kc, j0, cols, p.data(), dstOff);
            } else {
                packBRows(call, pc, kc, j0, cols, p.data(), dstOff);
            }
        }
    }

    @Override
    public void gemm(boolean transA, int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc,
                     boolean accumulate) {
        Packed p = (Packed) b;
        Checks.requireNonNegative(m, "m");
        Checks.requireMatrix(a, "a", aOff, "aOff", lda, "lda", transA ? p.k() : m, transA ? m : p.k());
        Checks.requireMatrix(c, "c", cOff, "cOff", ldc, "ldc", m, p.n());
        if (!emptyProduct(m, p.n(), p.k(), c, cOff, ldc, accumulate)) {
            multiply(transA, m, p.n(), p.k(), a, aOff, lda, c, cOff, ldc, accumulate, p);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the plain form, whose A packing reads each panel's rows from {@code data} directly; a panel whose
     * columns are one contiguous run (all but those that straddle two patch rows) moves a vector per row.
     */
    @Override
    public void gemmGatheredT(int m, int n, int k, float[] data, int[] rowStarts, int rowsOff, int[] columnOffsets,
                              float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        Checks.requireGatheredProduct(m, n, k, data, rowStarts, rowsOff, columnOffsets, b, bOff, ldb, c, cOff, ldc);
        if (emptyProduct(m, n, k, c, cOff, ldc, accumulate)) {
            return;
        }
        call.setB(false, b, bOff, ldb);
        call.rowStarts = rowStarts;
        call.rowsOff = rowsOff;
        call.columnOffsets = columnOffsets;
        // offset and row stride are not read: the packing takes A's places from rowStarts and columnOffsets
        multiply(true, m, n, k, data, 0, m, c, cOff, ldc, accumulate, null);
    }

    /** Depth of each K block: near-equal blocks of at most KC (576 deep is 2 × 288, not 512 + 64). */
    private static int blockDepth(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }

    // ---- matrix-vector products (m == 1 or n == 1) ----

    /** Runs a single-row or single-column product as a dot or axpy pass when its operands allow; else false. */
    private boolean matrixVector() {
        if (call.columnOffsets != null) {
            // a gathered A has no stored rows or columns to stream
            return false;
        }
        if (n == 1 && !call.transA && (call.transB || call.ldb == 1)) {
            // out[i] = A[i,:] · b[:,0], b's column contiguous
            startDot(call.a, call.aOff, call.lda, call.b, call.bOff, m, ldc);
        } else if (m == 1 && call.transB && (!call.transA || call.lda == 1)) {
            // out[j] = B[j,:] · a[0,:], a's row contiguous
            startDot(call.b, call.bOff, call.ldb, call.a, call.aOff, n, 1);
        } else if (n == 1 && call.transA && ldc == 1) {
            // out[i] = sum_p b[p,0] · A[p,i]
            startAxpy(call.a, call.aOff, call.lda, call.b, call.bOff, call.transB ? 1 : call.ldb, m);
        } else if (m == 1 && !call.transB) {
            // out[j] = sum_p a[0,p] · B[p,j]
            startAxpy(call.b, call.bOff, call.ldb, call.a, call.aOff, call.transA ? call.lda : 1, n);
        } else {
            return false;
        }
        return true;
    }

    private void startDot(float[] x, int xOff, int ldx, float[] v, int vOff, int count, int outStride) {
        gx = x;
        gxOff = xOff;
        gldx = ldx;
        gv = v;
        gvOff = vOff;
        gCount = count;
        gOutStride = outStride;
        gChunk = (int) Math.max(1, Math.min(count, GEMV_TASK_MACS / call.k));
        pool.run((count + gChunk - 1) / gChunk, dotTask);
    }

    private void startAxpy(float[] x, int xOff, int ldx, float[] v, int vOff, int vStride, int count) {
        gx = x;
        gxOff = xOff;
        gldx = ldx;
        gv = v;
        gvOff = vOff;
        gvStride = vStride;
        gCount = count;
        long blocks = Math.max(1, GEMV_TASK_MACS / ((long) call.k * AXPY_BLOCK));
        gChunk = (int) Math.min(roundUp(count, AXPY_BLOCK), blocks * AXPY_BLOCK);
        pool.run((count + gChunk - 1) / gChunk, axpyTask);
    }

    private void dotTask(int index, int worker) {
        int end = Math.min(gCount, (index + 1) * gChunk);
        int bound = SPECIES.loopBound(call.k);
        float[] lanes = tile[worker];
        for (int i = index * gChunk; i < end; i++) {
            int x0 = gxOff + i * gldx;
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            int p = 0;
            for (; p <= bound - 4 * L; p += 4 * L) {
                s0 = FloatVector.fromArray(SPECIES, gx, x0 + p).fma(FloatVector.fromArray(SPECIES, gv, gvOff + p), s0);
                s1 = FloatVector.fromArray(SPECIES, gx, x0 + p + L)
                        .fma(FloatVector.fromArray(SPECIES, gv, gvOff + p + L), s1);
                s2 = FloatVector.fromArray(SPECIES, gx, x0 + p + 2 * L)
                        .fma(FloatVector.fromArray(SPECIES, gv, gvOff + p + 2 * L), s2);
                s3 = FloatVector.fromArray(SPECIES, gx, x0 + p + 3 * L)
                        .fma(FloatVector.fromArray(SPECIES, gv, gvOff + p + 3 * L), s3);
            }
            for (; p < bound; p += L) {
                s0 = FloatVector.fromArray(SPECIES, gx, x0 + p).fma(FloatVector.fromArray(SPECIES, gv, gvOff + p), s0);
            }
            // reduceLanes(ADD) leaves its order open (it differs between interpreter and JIT): sum lanes in order
            s0.add(s1).add(s2.add(s3)).intoArray(lanes, 0);
            float sum = 0f;
            for (int l = 0; l < L; l++) {
                sum += lanes[l];
            }
            for (; p < call.k; p++) {
                sum = Math.fma(gx[x0 + p], gv[gvOff + p], sum);
            }
            int o = cOff + i * gOutStride;
            c[o] = accumulate ? c[o] + sum : sum;
        }
    }

    private void axpyTask(int index, int worker) {
        int end = Math.min(gCount, (index + 1) * gChunk);
        int j = index * gChunk;
        for (; j <= end - AXPY_BLOCK; j += AXPY_BLOCK) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int p = 0; p < call.k; p++) {
                int x0 = gxOff + p * gldx + j;
                FloatVector vp = FloatVector.broadcast(SPECIES, gv[gvOff + p * gvStride]);
                s0 = FloatVector.fromArray(SPECIES, gx, x0).fma(vp, s0);
                s1 = FloatVector.fromArray(SPECIES, gx, x0 + L).fma(vp, s1);
                s2 = FloatVector.fromArray(SPECIES, gx, x0 + 2 * L).fma(vp, s2);
                s3 = FloatVector.fromArray(SPECIES, gx, x0 + 3 * L).fma(vp, s3);
            }
            storeAxpy(s0, j);
            storeAxpy(s1, j + L);
            storeAxpy(s2, j + 2 * L);
            storeAxpy(s3, j + 3 * L);
        }
        for (; j <= end - L; j += L) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            for (int p = 0; p < call.k; p++) {
                FloatVector vp = FloatVector.broadcast(SPECIES, gv[gvOff + p * gvStride]);
                s0 = FloatVector.fromArray(SPECIES, gx, gxOff + p * gldx + j).fma(vp, s0);
            }
            storeAxpy(s0, j);
        }
        for (; j < end; j++) {
            float sum = 0f;
            for (int p = 0; p < call.k; p++) {
                sum = Math.fma(gv[gvOff + p * gvStride], gx[gxOff + p * gldx + j], sum);
            }
            int o = cOff + j;
            c[o] = accumulate ? c[o] + sum : sum;
        }
    }

    private void storeAxpy(FloatVector sum, int j) {
        int o = cOff + j;
        (accumulate ? FloatVector.fromArray(SPECIES, c, o).add(sum) : sum).intoArray(c, o);
    }

    // ---- depth split: few outputs, long depth ----

    /**
     * A product whose C is small but whose depth is long (a weight gradient summed over many pixels) has too few
     * output tiles to share out, and cutting C finer makes every tile pack the long operands again. Instead the
     * depth's K blocks are cut into consecutive groups, each summed over all of C into its own partial, and the
     * partials are added in group order. Groups depend on the shape only, so the result does not depend on threads.
     * Each group's C is cut into row tiles, as many as keep every thread busy (7 groups alone leave one of 2 threads
     * idle an eighth of the time); row tiles change no element's summation.
     */
    private boolean splitDepth() {
        int blocks = (call.k + KC - 1) / KC;
        if (blocks < 2 || n > NC || (long) m * n > DEPTH_SPLIT_MAX_OUTPUTS) {
            return false;
        }
        groupBlocks = (blocks + DEPTH_GROUPS - 1) / DEPTH_GROUPS;
        groups = (blocks + groupBlocks - 1) / groupBlocks;
        rowBlocks = (m + MR - 1) / MR;
        long groupMacs = (long) m * n * groupBlocks * blockDepth(call.k);
        int worthwhile = (int) Math.max(1, Math.min(rowBlocks, groupMacs / MIN_TASK_MACS));
        groupTiles = Math.min(worthwhile, (targetTasks + groups - 1) / groups);
        pool.run(groups * groupTiles, depthGroupTask);
        pool.run((m + reduceRows() - 1) / reduceRows(), reduceTask);
        return true;
    }

    // ---- packed path ----

    /**
     * Cuts C into {@code tilesM × tilesN} tiles: splits the longer side of the current tile until there are
     * {@link #targetTasks} tiles or a tile would get too small to be worth a task. Each side's MR-row blocks or
     * NR-column panels are shared out in runs that differ by at most one, so equal tasks keep the threads level.
     * Tiles depend on the thread count, but a tile only chooses which thread computes an element, never how.
     */
    private void planTiles() {
        int tm = 1;
        int tn = (n + NC - 1) / NC;
        while (tm * tn < targetTasks) {
            int extM = (m + tm - 1) / tm;
            int extN = (n + tn - 1) / tn;
            if ((long) extM * extN * call.k < 2 * MIN_TASK_MACS) {
                break;
            }
            boolean canM = extM >= 2 * MR;
            boolean canN = extN >= 2 * NR;
            if (canM && (extM >= extN || !canN)) {
                tm++;
            } else if (canN) {
                tn++;
            } else {
                break;
            }
        }
        rowBlocks = (m + MR - 1) / MR;
        panels = (n + NR - 1) / NR;
        tilesM = Math.min(tm, rowBlocks);
        tilesN = Math.min(tn, panels);
    }

    /** Start of run {@code t} of {@code count} near-equal runs over {@code units} units of {@code unit} each. */
    private static int runStart(int t, int count, int units, int unit) {
        return (int) ((long) units * t / count) * unit;
    }

    private static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }

    private void tileTask(int index, int worker) {
        int tileRow = index / tilesN;
        int tileCol = index % tilesN;
        int i0 = runStart(tileRow, tilesM, rowBlocks, MR);
        int i1 = Math.min(m, runStart(tileRow + 1, tilesM, rowBlocks, MR));
        int j0 = runStart(tileCol, tilesN, panels, NR);
        int j1 = Math.min(n, runStart(tileCol + 1, tilesN, panels, NR));
        computeTile(call, i0, i1, j0, j1 - j0, 0, call.k, c, cOff, ldc, accumulate, worker);
    }

    /** Task of a depth split: one row tile of C over the K blocks of its group, into that group's partial. */
    private void depthGroupTask(int index, int worker) {
        int g = index / groupTiles;
        int tileRow = index % groupTiles;
        int i0 = runStart(tileRow, groupTiles, rowBlocks, MR);
        int i1 = Math.min(m, runStart(tileRow + 1, groupTiles, rowBlocks, MR));
        int span = groupBlocks * blockDepth(call.k);
        computeTile(call, i0, i1, 0, n, g * span, Math.min(call.k, (g + 1) * span), depthPartials, g * m * n, n, false,
                worker);
    }

    /** Task of a depth split: C's rows {@code [r·rows, ..)} set (or added to) the group partials summed in order. */
    private void reduceDepthGroups(int index, int worker) {
        int rows = reduceRows();
        int bound = SPECIES.loopBound(n);
        int groupStride = m * n;
        for (int i = index * rows, end = Math.min(m, i + rows); i < end; i++) {
            int o = cOff + i * ldc;
            int p0 = i * n;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector sum = FloatVector.fromArray(SPECIES, depthPartials, p0 + j);
                for (int g = 1; g < groups; g++) {
                    sum = sum.add(FloatVector.fromArray(SPECIES, depthPartials, g * groupStride + p0 + j));
                }
                (accumulate ? FloatVector.fromArray(SPECIES, c, o + j).add(sum) : sum).intoArray(c, o + j);
            }
            for (; j < n; j++) {
                float sum = depthPartials[p0 + j];
                for (int g = 1; g < groups; g++) {
                    sum += depthPartials[g * groupStride + p0 + j];
                }
                c[o + j] = accumulate ? c[o + j] + sum : sum;
            }
        }
    }

    /** Rows of C per reduction task: about {@link #REDUCE_TASK_OUTPUTS} outputs each. */
    private int reduceRows() {
        return Math.max(1, REDUCE_TASK_OUTPUTS / n);
    }

    /**
     * C[i0:i1, j0:j0+nc] over the depth {@code [pcStart, pcEnd)} (whole K blocks) into {@code target} (row stride
     * {@code targetLd}, C's origin at {@code targetOff}); the first block adds onto the target when {@code addFirst}.
     *
     * <p>Over several K blocks C is read and written once per block. When the span's op(B) fits the thread's B
     * buffer (or is pre-packed) and an MC-row block of C is small enough to stay in L2, the loops run row block by row
     * block, each through every K block, so that C leaves the core once instead of once per block. In alternating
     * runs on 2 threads that took 14 % off d_conv2's forward pass (3 blocks), 10 % off its weight gradient and 8 % off
     * g_convT1's; g_convT2's weight gradient (6 blocks per chunk of samples) did not change. Either order adds the same
     * block products to each element in the same block order.
     */
    private void computeTile(Operands ops, int i0, int i1, int j0, int nc, int pcStart, int pcEnd, float[] target,
                             int targetOff, int targetLd, boolean addFirst, int worker) {
        int depth = blockDepth(ops.k);
        int ncPad = roundUp(nc, NR);
        boolean rowBlocksOuter = pcEnd - pcStart > depth && (long) MC * ncPad <= ROW_BLOCK_OUTER_MAX_C
                && (ops.packed != null || (long) (pcEnd - pcStart) * ncPad <= (long) KC * NC);
        if (!rowBlocksOuter) {
            for (int pc = pcStart; pc < pcEnd; pc += depth) {
                int kc = Math.min(depth, ops.k - pc);
                int bBase = ops.packed != null ? packedBlock(ops, pc, kc, j0)
                        : packBBlock(ops, pc, kc, j0, nc, 0, worker);
                for (int ic = i0; ic < i1; ic += MC) {
                    blockProduct(ops, ic, Math.min(MC, i1 - ic), pc, kc, nc, bBase, target, targetOff + j0, targetLd,
                            addFirst || pc > pcStart, worker);
                }
            }
            return;
        }
        if (ops.packed == null) {
            for (int pc = pcStart; pc < pcEnd; pc += depth) {
                packBBlock(ops, pc, Math.min(depth, ops.k - pc), j0, nc, (pc - pcStart) * ncPad, worker);
            }
        }
        for (int ic = i0; ic < i1; ic += MC) {
            for (int pc = pcStart; pc < pcEnd; pc += depth) {
                int kc = Math.min(depth, ops.k - pc);
                int bBase = ops.packed != null ? packedBlock(ops, pc, kc, j0) : (pc - pcStart) * ncPad;
                blockProduct(ops, ic, Math.min(MC, i1 - ic), pc, kc, nc, bBase, target, targetOff + j0, targetLd,
                        addFirst || pc > pcStart, worker);
            }
        }
    }

    /** Offset, in floats, of the panel of columns {@code j0 ..} of K block {@code pc} in the call's pre-packed B. */
    private static int packedBlock(Operands ops, int pc, int kc, int j0) {
        return pc * ops.packed.nPad() + j0 / NR * kc * NR;
    }

    /** Packs op(B)[pc:pc+kc, j0:j0+nc] into the thread's B buffer from {@code dstOff}; returns {@code dstOff}. */
    private int packBBlock(Operands ops, int pc, int kc, int j0, int nc, int dstOff, int worker) {
        if (ops.transB) {
            packBTransposed(ops, pc, kc, j0, nc, packB[worker], dstOff);
        } else {
            packBRows(ops, pc, kc, j0, nc, packB[worker], dstOff);
        }
        return dstOff;
    }

    /**
     * One K block of one MC-row block: packs op(A)[ic:ic+mc, pc:pc+kc] (as far as it needs packing: see the A
     * panels above) and runs the micro-kernel over every micro-tile against the B block at {@code bBase}, storing
     * into (or adding onto) {@code target} from {@code cOrigin}, which is C[0, j0].
     */
    private void blockProduct(Operands ops, int ic, int mc, int pc, int kc, int nc, int bBase, float[] target,
                              int cOrigin, int targetLd, boolean add, int worker) {
        float[] bufA = packA[worker];
        float[] acc = tile[worker];
        MemorySegment bSource = ops.packed != null ? ops.packed.data() : packB[worker];
        int aRowStride = ops.transA ? 1 : kc;
        int aDepthStride = ops.transA ? MR : 1;
        // Copying A stored [m,k] first, as every A once was, made g_convT3's input gradient and d_conv2's forward pass
        // 2-5 % slower in alternating runs (2 threads, batch 256); the other passes timed within 2 %.
        boolean inPlace = ops.columnOffsets == null && !ops.transA;
        int wholeRows = mc / MR * MR;
        if (ops.columnOffsets != null) {
            packAGathered(ops, ic, mc, pc, kc, bufA);
        } else if (ops.transA) {
            packATransposed(ops, ic, mc, pc, kc, bufA);
        } else if (wholeRows < mc) {
            packARows(ops, ic + wholeRows, mc - wholeRows, pc, kc, bufA);
        }
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bPanel = bBase + jr / NR * kc * NR;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int cAt = cOrigin + (ic + ir) * targetLd + jr;
                // A whole tile goes from the registers straight into C. Through the tile buffer and storeTile, as
                // every tile once did, each of its vectors was stored and loaded once more, which shallow products
                // feel: alternating with that build at one thread (fastest of 20 calls, batch 64), g_convT3's input
                // gradient (48 deep) took 13.95-13.97 ms against 14.75, d_conv2's 10.08-10.17 against 10.59-10.62.
                boolean whole = rows == MR && (nr == NR || nr == L);
                float[] dst = whole ? target : acc;
                int cBase = whole ? cAt : 0;
                int ldc = whole ? targetLd : NR;
                boolean addC = whole && add;
                boolean fromA = inPlace && ir < wholeRows;
                float[] aSrc = fromA ? ops.a : bufA;
                int aAt = fromA ? ops.aOff + (ic + ir) * ops.lda + pc : inPlace ? 0 : ir * kc;
                int rs = fromA ? ops.lda : aRowStride;
                if (MR == 12 && nr > L) {
                    microKernel12(aSrc, aAt, rs, aDepthStride, bSource, bPanel, kc, dst, cBase, ldc, addC);
                } else if (MR == 12) {
                    microKernel12Narrow(aSrc, aAt, rs, aDepthStride, bSource, bPanel, kc, dst, cBase, ldc, addC);
                } else if (nr > L) {
                    microKernel6(aSrc, aAt, rs, aDepthStride, bSource, bPanel, kc, dst, cBase, ldc, addC);
                } else {
                    microKernel6Narrow(aSrc, aAt, rs, aDepthStride, bSource, bPanel, kc, dst, cBase, ldc, addC);
                }
                if (!whole) {
                    storeTile(acc, target, cAt, targetLd, rows, nr, add);
                }
            }
        }
    }

    /** Packs op(A)[ic:ic+mc, pc:pc+kc] from A stored [m,k], a last panel of fewer than MR rows: a row copy each. */
    private static void packARows(Operands ops, int ic, int mc, int pc, int kc, float[] dst) {
        for (int i = 0; i < mc; i++) {
            System.arraycopy(ops.a, ops.aOff + (ic + i) * ops.lda + pc, dst, i * kc, kc);
        }
        Arrays.fill(dst, mc * kc, roundUp(mc, MR) * kc, 0f);
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] from A stored [k,m]: each panel takes MR contiguous floats from kc rows of A.
     * Panel by panel (rather than row by row) keeps many independent cache misses in flight when A comes from memory.
     * A full panel moves a whole vector per depth step; its lanes past MR land on the next steps' slots (or the next
     * panel's, or the buffer's slack) and are overwritten in turn, which is cheaper than a masked store.
     */
    private static void packATransposed(Operands ops, int ic, int mc, int pc, int kc, float[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int d = ir * kc;
            int s = ops.aOff + pc * ops.lda + ic + ir;
            int p = 0;
            if (rows == MR && L >= MR) {
                int room = ops.a.length - L - s;
                int fast = room < 0 ? 0 : Math.min(kc, room / ops.lda + 1);
                for (; p < fast; p++, d += MR, s += ops.lda) {
                    FloatVector.fromArray(SPECIES, ops.a, s).intoArray(dst, d);
                }
            }
            for (; p < kc; p++, d += MR, s += ops.lda) {
                for (int r = 0; r < MR; r++) {
                    dst[d + r] = r < rows ? ops.a[s + r] : 0f;
                }
            }
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] of a gathered A, in the layout of {@link #packATransposed}. A full panel whose
     * MR columns are consecutive in {@code a} (checked per panel) moves one vector per depth step, as there; other
     * panels, and steps too near the end of {@code a} for a whole vector, gather element by element.
     */
    private static void packAGathered(Operands ops, int ic, int mc, int pc, int kc, float[] dst) {
        int[] starts = ops.rowStarts;
        int[] columns = ops.columnOffsets;
        int first = ops.rowsOff + pc;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int col = ic + ir;
            int d = ir * kc;
            int p = 0;
            if (rows == MR && L >= MR && consecutive(columns, col, MR)) {
                int offset = columns[col];
                int last = ops.a.length - L - offset;
                for (; p < kc && starts[first + p] <= last; p++, d += MR) {
                    FloatVector.fromArray(SPECIES, ops.a, starts[first + p] + offset).intoArray(dst, d);
                }
            }
            for (; p < kc; p++, d += MR) {
                int s = starts[first + p];
                for (int r = 0; r < MR; r++) {
                    dst[d + r] = r < rows ? ops.a[s + columns[col + r]] : 0f;
                }
            }
        }
    }

    /** {@code columns[from + r] == columns[from] + r} for every {@code r < count}. */
    private static boolean consecutive(int[] columns, int from, int count) {
        for (int r = 1; r < count; r++) {
            if (columns[from + r] != columns[from] + r) {
                return false;
            }
        }
        return true;
    }

    /**
     * Packs op(B)[pc:pc+kc, j0:j0+nc] from B stored [k,n] into {@code dst} from {@code dstOff}: each depth step copies
     * NR contiguous floats.
     */
    private static void packBRows(Operands ops, int pc, int kc, int j0, int nc, MemorySegment dst, int dstOff) {
        int full = nc / NR * NR;
        for (int p = 0; p < kc; p++) {
            int src = ops.bOff + (pc + p) * ops.ldb + j0;
            int d = dstOff + p * NR;
            for (int jr = 0; jr < full; jr += NR) {
                int o = jr * kc + d;
                for (int v = 0; v < NR; v += L) {
                    FloatVector.fromArray(SPECIES, ops.b, src + jr + v).intoMemorySegment(dst, bytes(o + v), ORDER);
                }
            }
            if (full < nc) {
                int o = full * kc + d;
                for (int j = 0; j < NR; j++) {
                    dst.setAtIndex(FLOAT, o + j, full + j < nc ? ops.b[src + full + j] : 0f);
                }
            }
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, j0:j0+nc] from B stored [n,k] into {@code dst} from {@code dstOff}: each column of op(B)
     * is a contiguous run of B's row.
     */
    private static void packBTransposed(Operands ops, int pc, int kc, int j0, int nc, MemorySegment dst, int dstOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int base = dstOff + jr * kc;
            int cols = Math.min(NR, nc - jr);
            for (int j = 0; j < NR; j++) {
                if (j < cols) {
                    int src = ops.bOff + (j0 + jr + j) * ops.ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        dst.setAtIndex(FLOAT, base + p * NR + j, ops.b[src + p]);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst.setAtIndex(FLOAT, base + p * NR + j, 0f);
                    }
                }
            }
        }
    }

    /**
     * {@code C[6,NR] (+)= A panel · B panel [kc][NR]}, A's element (r, p) at {@code aBase + r·rs + p·ds}, C's
     * element (r, j) at {@code c[cBase + r·ldc + j]}: one fused multiply-add chain per element over the depth, in
     * registers, one broadcast per row and depth step, then each accumulator stored into C or added onto it. The
     * loads and adds of C are written out here: through a helper method the JIT did not always inline, the vectors
     * were boxed, and a train step allocated 418 MB (JMH {@code -prof gc}).
     */
    private static void microKernel6(float[] ap, int aBase, int rs, int ds, MemorySegment bp, int bBase, int kc,
                                     float[] c, int cBase, int ldc, boolean add) {
        int a0 = aBase;
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        int a4 = a3 + rs;
        int a5 = a4 + rs;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        long bStep = (long) NR * Float.BYTES;
        long bEnd = bytes(bBase) + kc * bStep;
        int pa = 0;
        for (long bo = bytes(bBase); bo < bEnd; bo += bStep, pa += ds) {
            FloatVector b0 = FloatVector.fromMemorySegment(SPECIES, bp, bo, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(SPECIES, bp, bo + (long) L * Float.BYTES, ORDER);
            FloatVector av = FloatVector.broadcast(SPECIES, ap[a0 + pa]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, ap[a1 + pa]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, ap[a2 + pa]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, ap[a3 + pa]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, ap[a4 + pa]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, ap[a5 + pa]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, cBase));
            c01 = c01.add(FloatVector.fromArray(SPECIES, c, cBase + L));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, cBase + ldc));
            c11 = c11.add(FloatVector.fromArray(SPECIES, c, cBase + ldc + L));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, cBase + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(SPECIES, c, cBase + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, cBase + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(SPECIES, c, cBase + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(SPECIES, c, cBase + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(SPECIES, c, cBase + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(SPECIES, c, cBase + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(SPECIES, c, cBase + 5 * ldc + L));
        }
        c00.intoArray(c, cBase);
        c01.intoArray(c, cBase + L);
        c10.intoArray(c, cBase + ldc);
        c11.intoArray(c, cBase + ldc + L);
        c20.intoArray(c, cBase + 2 * ldc);
        c21.intoArray(c, cBase + 2 * ldc + L);
        c30.intoArray(c, cBase + 3 * ldc);
        c31.intoArray(c, cBase + 3 * ldc + L);
        c40.intoArray(c, cBase + 4 * ldc);
        c41.intoArray(c, cBase + 4 * ldc + L);
        c50.intoArray(c, cBase + 5 * ldc);
        c51.intoArray(c, cBase + 5 * ldc + L);
    }

    /** {@link #microKernel12Narrow} for {@link #microKernel6}. */
    private static void microKernel6Narrow(float[] ap, int aBase, int rs, int ds, MemorySegment bp, int bBase,
                                           int kc, float[] c, int cBase, int ldc, boolean add) {
        int a0 = aBase;
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        int a4 = a3 + rs;
        int a5 = a4 + rs;
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c10 = c00;
        FloatVector c20 = c00;
        FloatVector c30 = c00;
        FloatVector c40 = c00;
        FloatVector c50 = c00;
        long bStep = (long) NR * Float.BYTES;
        long bEnd = bytes(bBase) + kc * bStep;
        int pa = 0;
        for (long bo = bytes(bBase); bo < bEnd; bo += bStep, pa += ds) {
            FloatVector b0 = FloatVector.fromMemorySegment(SPECIES, bp, bo, ORDER);
            FloatVector av = FloatVector.broadcast(SPECIES, ap[a0 + pa]);
            c00 = av.fma(b0, c00);
            av = FloatVector.broadcast(SPECIES, ap[a1 + pa]);
            c10 = av.fma(b0, c10);
            av = FloatVector.broadcast(SPECIES, ap[a2 + pa]);
            c20 = av.fma(b0, c20);
            av = FloatVector.broadcast(SPECIES, ap[a3 + pa]);
            c30 = av.fma(b0, c30);
            av = FloatVector.broadcast(SPECIES, ap[a4 + pa]);
            c40 = av.fma(b0, c40);
            av = FloatVector.broadcast(SPECIES, ap[a5 + pa]);
            c50 = av.fma(b0, c50);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, cBase));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, cBase + ldc));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, cBase + 2 * ldc));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, cBase + 3 * ldc));
            c40 = c40.add(FloatVector.fromArray(SPECIES, c, cBase + 4 * ldc));
            c50 = c50.add(FloatVector.fromArray(SPECIES, c, cBase + 5 * ldc));
        }
        c00.intoArray(c, cBase);
        c10.intoArray(c, cBase + ldc);
        c20.intoArray(c, cBase + 2 * ldc);
        c30.intoArray(c, cBase + 3 * ldc);
        c40.intoArray(c, cBase + 4 * ldc);
        c50.intoArray(c, cBase + 5 * ldc);
    }

    /** {@link #microKernel6} for 12 rows. */
    private static void microKernel12(float[] ap, int aBase, int rs, int ds, MemorySegment bp, int bBase, int kc,
                                      float[] c, int cBase, int ldc, boolean add) {
        int a0 = aBase;
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        int a4 = a3 + rs;
        int a5 = a4 + rs;
        int a6 = a5 + rs;
        int a7 = a6 + rs;
        int a8 = a7 + rs;
        int a9 = a8 + rs;
        int a10 = a9 + rs;
        int a11 = a10 + rs;
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = c0_0;
        FloatVector c1_1 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c2_1 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c3_1 = c0_0;
        FloatVector c4_0 = c0_0;
        FloatVector c4_1 = c0_0;
        FloatVector c5_0 = c0_0;
        FloatVector c5_1 = c0_0;
        FloatVector c6_0 = c0_0;
        FloatVector c6_1 = c0_0;
        FloatVector c7_0 = c0_0;
        FloatVector c7_1 = c0_0;
        FloatVector c8_0 = c0_0;
        FloatVector c8_1 = c0_0;
        FloatVector c9_0 = c0_0;
        FloatVector c9_1 = c0_0;
        FloatVector c10_0 = c0_0;
        FloatVector c10_1 = c0_0;
        FloatVector c11_0 = c0_0;
        FloatVector c11_1 = c0_0;
        long bStep = (long) NR * Float.BYTES;
        long bEnd = bytes(bBase) + kc * bStep;
        int pa = 0;
        for (long bo = bytes(bBase); bo < bEnd; bo += bStep, pa += ds) {
            FloatVector b0 = FloatVector.fromMemorySegment(SPECIES, bp, bo, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(SPECIES, bp, bo + (long) L * Float.BYTES, ORDER);
            FloatVector av = FloatVector.broadcast(SPECIES, ap[a0 + pa]);
            c0_0 = av.fma(b0, c0_0);
            c0_1 = av.fma(b1, c0_1);
            av = FloatVector.broadcast(SPECIES, ap[a1 + pa]);
            c1_0 = av.fma(b0, c1_0);
            c1_1 = av.fma(b1, c1_1);
            av = FloatVector.broadcast(SPECIES, ap[a2 + pa]);
            c2_0 = av.fma(b0, c2_0);
            c2_1 = av.fma(b1, c2_1);
            av = FloatVector.broadcast(SPECIES, ap[a3 + pa]);
            c3_0 = av.fma(b0, c3_0);
            c3_1 = av.fma(b1, c3_1);
            av = FloatVector.broadcast(SPECIES, ap[a4 + pa]);
            c4_0 = av.fma(b0, c4_0);
            c4_1 = av.fma(b1, c4_1);
            av = FloatVector.broadcast(SPECIES, ap[a5 + pa]);
            c5_0 = av.fma(b0, c5_0);
            c5_1 = av.fma(b1, c5_1);
            av = FloatVector.broadcast(SPECIES, ap[a6 + pa]);
            c6_0 = av.fma(b0, c6_0);
            c6_1 = av.fma(b1, c6_1);
            av = FloatVector.broadcast(SPECIES, ap[a7 + pa]);
            c7_0 = av.fma(b0, c7_0);
            c7_1 = av.fma(b1, c7_1);
            av = FloatVector.broadcast(SPECIES, ap[a8 + pa]);
            c8_0 = av.fma(b0, c8_0);
            c8_1 = av.fma(b1, c8_1);
            av = FloatVector.broadcast(SPECIES, ap[a9 + pa]);
            c9_0 = av.fma(b0, c9_0);
            c9_1 = av.fma(b1, c9_1);
            av = FloatVector.broadcast(SPECIES, ap[a10 + pa]);
            c10_0 = av.fma(b0, c10_0);
            c10_1 = av.fma(b1, c10_1);
            av = FloatVector.broadcast(SPECIES, ap[a11 + pa]);
            c11_0 = av.fma(b0, c11_0);
            c11_1 = av.fma(b1, c11_1);
        }
        if (add) {
            c0_0 = c0_0.add(FloatVector.fromArray(SPECIES, c, cBase + 0 * ldc));
            c0_1 = c0_1.add(FloatVector.fromArray(SPECIES, c, cBase + 0 * ldc + L));
            c1_0 = c1_0.add(FloatVector.fromArray(SPECIES, c, cBase + 1 * ldc));
            c1_1 = c1_1.add(FloatVector.fromArray(SPECIES, c, cBase + 1 * ldc + L));
            c2_0 = c2_0.add(FloatVector.fromArray(SPECIES, c, cBase + 2 * ldc));
            c2_1 = c2_1.add(FloatVector.fromArray(SPECIES, c, cBase + 2 * ldc + L));
            c3_0 = c3_0.add(FloatVector.fromArray(SPECIES, c, cBase + 3 * ldc));
            c3_1 = c3_1.add(FloatVector.fromArray(SPECIES, c, cBase + 3 * ldc + L));
            c4_0 = c4_0.add(FloatVector.fromArray(SPECIES, c, cBase + 4 * ldc));
            c4_1 = c4_1.add(FloatVector.fromArray(SPECIES, c, cBase + 4 * ldc + L));
            c5_0 = c5_0.add(FloatVector.fromArray(SPECIES, c, cBase + 5 * ldc));
            c5_1 = c5_1.add(FloatVector.fromArray(SPECIES, c, cBase + 5 * ldc + L));
            c6_0 = c6_0.add(FloatVector.fromArray(SPECIES, c, cBase + 6 * ldc));
            c6_1 = c6_1.add(FloatVector.fromArray(SPECIES, c, cBase + 6 * ldc + L));
            c7_0 = c7_0.add(FloatVector.fromArray(SPECIES, c, cBase + 7 * ldc));
            c7_1 = c7_1.add(FloatVector.fromArray(SPECIES, c, cBase + 7 * ldc + L));
            c8_0 = c8_0.add(FloatVector.fromArray(SPECIES, c, cBase + 8 * ldc));
            c8_1 = c8_1.add(FloatVector.fromArray(SPECIES, c, cBase + 8 * ldc + L));
            c9_0 = c9_0.add(FloatVector.fromArray(SPECIES, c, cBase + 9 * ldc));
            c9_1 = c9_1.add(FloatVector.fromArray(SPECIES, c, cBase + 9 * ldc + L));
            c10_0 = c10_0.add(FloatVector.fromArray(SPECIES, c, cBase + 10 * ldc));
            c10_1 = c10_1.add(FloatVector.fromArray(SPECIES, c, cBase + 10 * ldc + L));
            c11_0 = c11_0.add(FloatVector.fromArray(SPECIES, c, cBase + 11 * ldc));
            c11_1 = c11_1.add(FloatVector.fromArray(SPECIES, c, cBase + 11 * ldc + L));
        }
        c0_0.intoArray(c, cBase + 0 * ldc);
        c0_1.intoArray(c, cBase + 0 * ldc + L);
        c1_0.intoArray(c, cBase + 1 * ldc);
        c1_1.intoArray(c, cBase + 1 * ldc + L);
        c2_0.intoArray(c, cBase + 2 * ldc);
        c2_1.intoArray(c, cBase + 2 * ldc + L);
        c3_0.intoArray(c, cBase + 3 * ldc);
        c3_1.intoArray(c, cBase + 3 * ldc + L);
        c4_0.intoArray(c, cBase + 4 * ldc);
        c4_1.intoArray(c, cBase + 4 * ldc + L);
        c5_0.intoArray(c, cBase + 5 * ldc);
        c5_1.intoArray(c, cBase + 5 * ldc + L);
        c6_0.intoArray(c, cBase + 6 * ldc);
        c6_1.intoArray(c, cBase + 6 * ldc + L);
        c7_0.intoArray(c, cBase + 7 * ldc);
        c7_1.intoArray(c, cBase + 7 * ldc + L);
        c8_0.intoArray(c, cBase + 8 * ldc);
        c8_1.intoArray(c, cBase + 8 * ldc + L);
        c9_0.intoArray(c, cBase + 9 * ldc);
        c9_1.intoArray(c, cBase + 9 * ldc + L);
        c10_0.intoArray(c, cBase + 10 * ldc);
        c10_1.intoArray(c, cBase + 10 * ldc + L);
        c11_0.intoArray(c, cBase + 11 * ldc);
        c11_1.intoArray(c, cBase + 11 * ldc + L);
    }

    /**
     * {@link #microKernel12} for a last panel of at most L columns: one vector per row, half the multiply-adds of
     * the full tile, whose second vector would only meet zero columns of B. Same operations on the columns it keeps.
     */
    private static void microKernel12Narrow(float[] ap, int aBase, int rs, int ds, MemorySegment bp, int bBase,
                                            int kc, float[] c, int cBase, int ldc, boolean add) {
        int a0 = aBase;
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        int a4 = a3 + rs;
        int a5 = a4 + rs;
        int a6 = a5 + rs;
        int a7 = a6 + rs;
        int a8 = a7 + rs;
        int a9 = a8 + rs;
        int a10 = a9 + rs;
        int a11 = a10 + rs;
        FloatVector c0_0 = FloatVector.zero(SPECIES);
        FloatVector c1_0 = c0_0;
        FloatVector c2_0 = c0_0;
        FloatVector c3_0 = c0_0;
        FloatVector c4_0 = c0_0;
        FloatVector c5_0 = c0_0;
        FloatVector c6_0 = c0_0;
        FloatVector c7_0 = c0_0;
        FloatVector c8_0 = c0_0;
        FloatVector c9_0 = c0_0;
        FloatVector c10_0 = c0_0;
        FloatVector c11_0 = c0_0;
        long bStep = (long) NR * Float.BYTES;
        long bEnd = bytes(bBase) + kc * bStep;
        int pa = 0;
        for (long bo = bytes(bBase); bo < bEnd; bo += bStep, pa += ds) {
            FloatVector b0 = FloatVector.fromMemorySegment(SPECIES, bp, bo, ORDER);
            FloatVector av = FloatVector.broadcast(SPECIES, ap[a0 + pa]);
            c0_0 = av.fma(b0, c0_0);
            av = FloatVector.broadcast(SPECIES, ap[a1 + pa]);
            c1_0 = av.fma(b0, c1_0);
            av = FloatVector.broadcast(SPECIES, ap[a2 + pa]);
            c2_0 = av.fma(b0, c2_0);
            av = FloatVector.broadcast(SPECIES, ap[a3 + pa]);
            c3_0 = av.fma(b0, c3_0);
            av = FloatVector.broadcast(SPECIES, ap[a4 + pa]);
            c4_0 = av.fma(b0, c4_0);
            av = FloatVector.broadcast(SPECIES, ap[a5 + pa]);
            c5_0 = av.fma(b0, c5_0);
            av = FloatVector.broadcast(SPECIES, ap[a6 + pa]);
            c6_0 = av.fma(b0, c6_0);
            av = FloatVector.broadcast(SPECIES, ap[a7 + pa]);
            c7_0 = av.fma(b0, c7_0);
            av = FloatVector.broadcast(SPECIES, ap[a8 + pa]);
            c8_0 = av.fma(b0, c8_0);
            av = FloatVector.broadcast(SPECIES, ap[a9 + pa]);
            c9_0 = av.fma(b0, c9_0);
            av = FloatVector.broadcast(SPECIES, ap[a10 + pa]);
            c10_0 = av.fma(b0, c10_0);
            av = FloatVector.broadcast(SPECIES, ap[a11 + pa]);
            c11_0 = av.fma(b0, c11_0);
        }
        if (add) {
            c0_0 = c0_0.add(FloatVector.fromArray(SPECIES, c, cBase + 0 * ldc));
            c1_0 = c1_0.add(FloatVector.fromArray(SPECIES, c, cBase + 1 * ldc));
            c2_0 = c2_0.add(FloatVector.fromArray(SPECIES, c, cBase + 2 * ldc));
            c3_0 = c3_0.add(FloatVector.fromArray(SPECIES, c, cBase + 3 * ldc));
            c4_0 = c4_0.add(FloatVector.fromArray(SPECIES, c, cBase + 4 * ldc));
            c5_0 = c5_0.add(FloatVector.fromArray(SPECIES, c, cBase + 5 * ldc));
            c6_0 = c6_0.add(FloatVector.fromArray(SPECIES, c, cBase + 6 * ldc));
            c7_0 = c7_0.add(FloatVector.fromArray(SPECIES, c, cBase + 7 * ldc));
            c8_0 = c8_0.add(FloatVector.fromArray(SPECIES, c, cBase + 8 * ldc));
            c9_0 = c9_0.add(FloatVector.fromArray(SPECIES, c, cBase + 9 * ldc));
            c10_0 = c10_0.add(FloatVector.fromArray(SPECIES, c, cBase + 10 * ldc));
            c11_0 = c11_0.add(FloatVector.fromArray(SPECIES, c, cBase + 11 * ldc));
        }
        c0_0.intoArray(c, cBase + 0 * ldc);
        c1_0.intoArray(c, cBase + 1 * ldc);
        c2_0.intoArray(c, cBase + 2 * ldc);
        c3_0.intoArray(c, cBase + 3 * ldc);
        c4_0.intoArray(c, cBase + 4 * ldc);
        c5_0.intoArray(c, cBase + 5 * ldc);
        c6_0.intoArray(c, cBase + 6 * ldc);
        c7_0.intoArray(c, cBase + 7 * ldc);
        c8_0.intoArray(c, cBase + 8 * ldc);
        c9_0.intoArray(c, cBase + 9 * ldc);
        c10_0.intoArray(c, cBase + 10 * ldc);
        c11_0.intoArray(c, cBase + 11 * ldc);
    }

    /** Byte offset of float {@code index} in a segment. */
    private static long bytes(int index) {
        return (long) index * Float.BYTES;
    }

    /**
     * {@code C[rows, cols] = acc} or {@code C += acc} for the valid part of a micro-tile. A row of a vector or more
     * starts with a whole vector outside any loop, and a stored (not added) row that is no whole number of vectors
     * ends with a vector that overlaps the one before: a loop entered for one vector or for a few floats costs more
     * than its stores, and d_conv1's input gradient (9 columns) ran two such loops per row.
     */
    private static void storeTile(float[] acc, float[] c, int cBase, int ldc, int rows, int cols, boolean add) {
        int bound = SPECIES.loopBound(cols);
        boolean overlapLast = !add && cols > bound && bound > 0;
        for (int r = 0; r < rows; r++) {
            int t = r * NR;
            int o = cBase + r * ldc;
            int j = 0;
            if (bound > 0) {
                FloatVector v = FloatVector.fromArray(SPECIES, acc, t);
                if (add) {
                    v = FloatVector.fromArray(SPECIES, c, o).add(v);
                }
                v.intoArray(c, o);
                j = L;
            }
            for (; j < bound; j += L) {
                FloatVector v = FloatVector.fromArray(SPECIES, acc, t + j);
                if (add) {
                    v = FloatVector.fromArray(SPECIES, c, o + j).add(v);
                }
                v.intoArray(c, o + j);
            }
            if (overlapLast) {
                FloatVector.fromArray(SPECIES, acc, t + cols - L).intoArray(c, o + cols - L);
                continue;
            }
            for (; j < cols; j++) {
                c[o + j] = add ? c[o + j] + acc[t + j] : acc[t + j];
            }
        }
    }
}
