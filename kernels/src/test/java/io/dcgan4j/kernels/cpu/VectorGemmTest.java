package io.dcgan4j.kernels.cpu;

import static io.dcgan4j.kernels.cpu.KernelAssertions.assertBitIdentical;
import static io.dcgan4j.kernels.cpu.KernelAssertions.assertRejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link VectorGemm} against {@link GemmReference}: every transpose combination, accumulate on and off, sizes around
 * the vector length and the micro-tile and block sizes, offsets and padded leading dimensions, the model's GEMM shapes
 * (scaled down in m), and bit-identical results for 1, 2, 3 and 7 threads.
 *
 * <p>Padding around every operand is filled with NaN (A, B) or a sentinel (C), so reading outside op(A) or op(B)
 * poisons the result and writing outside the m×n block of C is seen.
 */
class VectorGemmTest {

    /** Sizes around 8 and 16 lanes, the micro-tile (6 rows, 16 or 32 columns) and small primes. */
    private static final int[] SIZES = {1, 2, 3, 5, 7, 15, 16, 17, 31, 33, 63, 65, 100, 129};
    private static final float C_SENTINEL = -12345.5f;

    private static Parallel pool1;
    private static Parallel pool2;
    private static Parallel pool3;
    /** 7 threads: 28 tiles per product where 1 and 2 threads make 8, and row tiles within each depth group. */
    private static Parallel pool7;
    private static VectorGemm gemm1;
    private static VectorGemm gemm2;
    private static VectorGemm gemm3;
    private static VectorGemm gemm7;

    private final Gemm reference = new GemmReference();

    @BeforeAll
    static void startPools() {
        pool1 = new Parallel(1);
        pool2 = new Parallel(2);
        pool3 = new Parallel(3);
        pool7 = new Parallel(7);
        gemm1 = new VectorGemm(pool1);
        gemm2 = new VectorGemm(pool2);
        gemm3 = new VectorGemm(pool3);
        gemm7 = new VectorGemm(pool7);
    }

    @AfterAll
    static void stopPools() {
        pool1.close();
        pool2.close();
        pool3.close();
        pool7.close();
    }

    /** One GEMM problem laid out in padded buffers. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, float maxA, float maxB) {

        static Problem random(boolean transA, boolean transB, int m, int n, int k, int pad, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            int lda = aCols + (pad > 0 ? rnd.nextInt(pad + 1) : 0);
            int ldb = bCols + (pad > 0 ? rnd.nextInt(pad + 1) : 0);
            int ldc = n + (pad > 0 ? rnd.nextInt(pad + 1) : 0);
            int aOff = pad > 0 ? rnd.nextInt(pad + 1) : 0;
            int bOff = pad > 0 ? rnd.nextInt(pad + 1) : 0;
            int cOff = pad > 0 ? rnd.nextInt(pad + 1) : 0;
            float[] a = matrix(rnd, aOff, aRows, aCols, lda, 1f, Float.NaN);
            float[] b = matrix(rnd, bOff, bRows, bCols, ldb, 2f, Float.NaN);
            float[] c = matrix(rnd, cOff, m, n, ldc, 1f, C_SENTINEL);
            return new Problem(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, 1f, 2f);
        }

        /** A [rows, cols] block of values in (-scale, scale) at offset off, row stride ld, every other slot filler. */
        private static float[] matrix(SplittableRandom rnd, int off, int rows, int cols, int ld, float scale,
                                      float filler) {
            float[] x = new float[off + rows * ld + 3];
            Arrays.fill(x, filler);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[off + i * ld + j] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
                }
            }
            return x;
        }

        float[] run(Gemm g, boolean accumulate) {
            float[] out = c.clone();
            g.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, out, cOff, ldc, accumulate);
            return out;
        }

        float[] runOnNaN(Gemm g) {
            float[] out = c.clone();
            for (int i = 0; i < m; i++) {
                Arrays.fill(out, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
            }
            g.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, out, cOff, ldc, false);
            return out;
        }

        String describe() {
            return "transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n + " k=" + k
                    + " aOff=" + aOff + " lda=" + lda + " bOff=" + bOff + " ldb=" + ldb
                    + " cOff=" + cOff + " ldc=" + ldc;
        }
    }

    /** Fast vs reference inside C's block, and C untouched outside it. */
    private static void assertClose(Problem p, float[] expected, float[] actual, String what) {
        double atol = 1e-6 * Math.max(1, p.k) * p.maxA * p.maxB;
        double rtol = 1e-5;
        int worst = -1;
        double worstExcess = 0;
        for (int idx = 0; idx < expected.length; idx++) {
            int rel = idx - p.cOff;
            boolean inside = rel >= 0 && rel / p.ldc < p.m && rel % p.ldc < p.n;
            if (!inside) {
                if (Float.floatToRawIntBits(actual[idx]) != Float.floatToRawIntBits(expected[idx])) {
                    fail(what + ": wrote outside C's block at index " + idx + " (" + actual[idx] + "), "
                            + p.describe());
                }
                continue;
            }
            double err = Math.abs((double) actual[idx] - expected[idx]);
            double excess = err - (atol + rtol * Math.abs(expected[idx]));
            if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
                worst = idx;
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
            }
        }
        if (worst >= 0) {
            int rel = worst - p.cOff;
            fail(what + ": worst element C[" + rel / p.ldc + "," + rel % p.ldc + "] = " + actual[worst]
                    + ", reference " + expected[worst] + " (atol " + atol + ", rtol " + rtol + "), " + p.describe());
        }
    }

    private void check(Problem p, VectorGemm g) {
        assertClose(p, p.run(reference, false), p.run(g, false), "overwrite");
        assertClose(p, p.run(reference, true), p.run(g, true), "accumulate");
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void awkwardSizesEveryTransposeCombination(boolean transA, boolean transB) {
        long seed = 1;
        for (int i = 0; i < SIZES.length; i++) {
            for (int j = 0; j < SIZES.length; j++) {
                int k = SIZES[(i * 5 + j * 3) % SIZES.length];
                check(Problem.random(transA, transB, SIZES[i], SIZES[j], k, 0, seed++), gemm2);
            }
            for (int kk : SIZES) {
                int n = SIZES[(i + kk) % SIZES.length];
                check(Problem.random(transA, transB, SIZES[i], n, kk, 3, seed++), gemm3);
            }
        }
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void offsetsAndPaddedLeadingDimensions(boolean transA, boolean transB) {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 40; trial++) {
            int m = 1 + rnd.nextInt(150);
            int n = 1 + rnd.nextInt(150);
            int k = 1 + rnd.nextInt(300);
            check(Problem.random(transA, transB, m, n, k, 37, 1000 + trial), gemm2);
        }
    }

    /** Depths across several K blocks, so C is finished by adding later blocks to earlier ones. */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void deepProducts(boolean transA, boolean transB) {
        check(Problem.random(transA, transB, 13, 37, 513, 5, 21), gemm2);
        check(Problem.random(transA, transB, 29, 70, 1000, 5, 22), gemm3);
        check(Problem.random(transA, transB, 7, 19, 2049, 0, 23), gemm1);
    }

    /** Single rows and columns take the matrix-vector path, or the packed path when a stride rules that out. */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void matrixVectorShapes(boolean transA, boolean transB) {
        long seed = 300;
        for (int len : new int[] {1, 2, 7, 17, 63, 64, 65, 129, 1000}) {
            for (int k : new int[] {1, 3, 16, 17, 100, 2304}) {
                check(Problem.random(transA, transB, len, 1, k, 0, seed++), gemm2);
                check(Problem.random(transA, transB, 1, len, k, 0, seed++), gemm2);
                check(Problem.random(transA, transB, len, 1, k, 4, seed++), gemm3);
                check(Problem.random(transA, transB, 1, len, k, 4, seed++), gemm3);
            }
        }
    }

    /**
     * The model's GEMMs with m cut down so the reference stays cheap: Dense 100->4608, Dense 2304->1 and its
     * gradients, im2col and col2im shapes of the convolutions, and ConvT2's weight gradient (transA, k = 20736).
     */
    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @CsvSource({
        "false,false,  8, 4608,   100",
        "false,true,   8,  100,  4608",
        "true, false, 100, 4608,    4",
        "false,false, 256,    1,  2304",
        "false,true,  256, 2304,     1",
        "true, false, 2304,   1,   256",
        "false,false,  40,  128,   576",
        "false,true,   40,  576,   128",
        "false,false,  24, 3200,   256",
        "false,true,   24,  256,  3200",
        "true, false,  12,  256, 20736",
    })
    void modelShapesScaledDown(boolean transA, boolean transB, int m, int n, int k) {
        check(Problem.random(transA, transB, m, n, k, 0, m * 31L + n * 7L + k), gemm2);
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void overwriteIgnoresNaNInC(boolean transA, boolean transB) {
        for (int[] s : new int[][] {{1, 1, 1}, {5, 33, 17}, {64, 48, 300}, {1, 70, 9}, {70, 1, 9}}) {
            Problem p = Problem.random(transA, transB, s[0], s[1], s[2], 3, 77);
            assertClose(p, p.run(reference, false), p.runOnNaN(gemm2), "overwrite of NaN");
        }
    }

    @Test
    void emptyDepthClearsOrKeepsC() {
        Problem p = Problem.random(false, false, 5, 9, 0, 2, 5);
        assertClose(p, p.run(reference, false), p.runOnNaN(gemm2), "k=0 overwrite");
        assertArrayEquals(p.c, p.run(gemm2, true), "k=0 accumulate leaves C as it was");
        Problem empty = Problem.random(true, true, 0, 9, 4, 2, 6);
        assertArrayEquals(empty.c, empty.run(gemm2, false), "m=0 writes nothing");
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void bitIdenticalForAnyThreadCount(boolean transA, boolean transB) {
        for (int[] s : new int[][] {{700, 530, 600}, {3000, 1, 300}, {1, 3000, 300}}) {
            Problem p = Problem.random(transA, transB, s[0], s[1], s[2], 3, 99);
            for (boolean acc : new boolean[] {false, true}) {
                float[] one = p.run(gemm1, acc);
                assertBitIdentical("2 threads vs 1, " + p.describe(), one, p.run(gemm2, acc));
                assertBitIdentical("3 threads vs 1, " + p.describe(), one, p.run(gemm3, acc));
                assertBitIdentical("7 threads vs 1, " + p.describe(), one, p.run(gemm7, acc));
            }
        }
    }

    /**
     * Small C, long depth (a weight gradient over many pixels): the depth is cut into groups of K blocks whose
     * partials are added in order. Against the reference, overwrite and accumulate, and the same bits for 1, 2, 3 and
     * 7 threads; the shapes cover one group per block, several blocks per group, a last group shorter than the others,
     * C's rows and columns off the micro-tile, and groups long enough to be cut into row tiles (g_convT2's input
     * gradient: 7 groups, 2 row tiles each at 2 threads, 4 at 7).
     */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void depthSplitForSmallOutputsAndLongDepth(boolean transA, boolean transB) {
        long seed = 300;
        for (int[] s : new int[][] {{48, 128, 3000}, {9, 64, 5000}, {13, 33, 700}, {7, 17, 2305}, {100, 129, 520},
                {324, 256, 3200}}) {
            Problem p = Problem.random(transA, transB, s[0], s[1], s[2], 3, seed++);
            check(p, gemm2);
            check(p, gemm7);
            for (boolean acc : new boolean[] {false, true}) {
                float[] one = p.run(gemm1, acc);
                assertBitIdentical("2 threads vs 1, " + p.describe(), one, p.run(gemm2, acc));
                assertBitIdentical("3 threads vs 1, " + p.describe(), one, p.run(gemm3, acc));
                assertBitIdentical("7 threads vs 1, " + p.describe(), one, p.run(gemm7, acc));
            }
            float[] onNaN = p.runOnNaN(gemm3);
            assertClose(p, p.run(reference, false), onNaN, "overwrite ignores NaN in C");
        }
    }

    /** A big square product once against the reference, to cover many tiles and both K blocks' arithmetic. */
    @Test
    void manyTilesAgainstReference() {
        check(Problem.random(false, false, 300, 290, 520, 1, 4242), gemm3);
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[12];
        assertRejects("a", () -> gemm2.gemm(false, false, 3, 4, 5, x, 0, 5, new float[20], 0, 4, x, 0, 4, false));
        assertRejects("b", () -> gemm2.gemm(false, false, 2, 4, 4, new float[8], 0, 4, x, 0, 4, new float[8], 0, 4,
                false));
        assertRejects("c", () -> gemm2.gemm(false, false, 2, 4, 3, new float[6], 0, 3, x, 0, 4, new float[8], 1, 4,
                false));
        assertRejects("c", () -> gemm2.gemm(false, false, 1, 1, 1, x, 0, 1, x, 0, 1, null, 0, 1, false));
        assertRejects("lda", () -> gemm2.gemm(true, false, 4, 2, 2, new float[8], 0, 3, new float[4], 0, 2,
                new float[8], 0, 2, false));
        assertRejects("ldc", () -> gemm2.gemm(false, false, 2, 3, 1, x, 0, 1, x, 0, 3, x, 0, 2, false));
        assertRejects("bOff", () -> gemm2.gemm(false, false, 1, 1, 1, x, 0, 1, x, -1, 1, new float[1], 0, 1,
                false));
        assertRejects("m", () -> gemm2.gemm(false, false, -1, 1, 1, x, 0, 1, x, 0, 1, x, 0, 1, false));
        assertRejects("k", () -> gemm2.gemm(false, false, 1, 1, -2, x, 0, 1, x, 0, 1, x, 0, 1, false));
    }

    /** op(B) packed once: the same bits as the plain call (same K blocks, same FMA chains), for both implementations. */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void packedBGivesThePlainResult(boolean transA, boolean transB) {
        long seed = 77;
        int[][] shapes = {{1, 1, 1}, {7, 33, 5}, {65, 17, 300}, {129, 100, 31}, {6, 32, 256}, {200, 3, 513},
                {13, 129, 64}};
        for (int[] mnk : shapes) {
            Problem p = Problem.random(transA, transB, mnk[0], mnk[1], mnk[2], 3, seed++);
            for (Gemm g : new Gemm[]{gemm1, gemm3, reference}) {
                Gemm.PackedB packedB = g.newPackedB(p.k, p.n);
                g.packB(p.transB, p.b, p.bOff, p.ldb, packedB);
                for (boolean accumulate : new boolean[]{false, true}) {
                    float[] plain = p.run(g, accumulate);
                    float[] viaPacked = p.c.clone();
                    g.gemm(p.transA, p.m, p.a, p.aOff, p.lda, packedB, viaPacked, p.cOff, p.ldc, accumulate);
                    assertArrayEquals(plain, viaPacked, g.getClass().getSimpleName() + " accumulate=" + accumulate
                            + " " + p.describe());
                }
            }
            Gemm.PackedB fast = gemm2.newPackedB(p.k, p.n);
            gemm2.packB(p.transB, p.b, p.bOff, p.ldb, fast);
            float[] out = p.c.clone();
            gemm2.gemm(p.transA, p.m, p.a, p.aOff, p.lda, fast, out, p.cOff, p.ldc, false);
            assertClose(p, p.run(reference, false), out, "packed vs reference");
        }
    }

    /**
     * Products computed by the pool's own threads, several at once (each task its own C): against the reference,
     * overwrite and accumulate, C untouched outside its block, and the same bits from every task and every pool size.
     * The shapes include a depth long enough for the pooled form to split it into groups, which this form does not.
     */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void gemmOnWorkerFromInsideThePoolsTasks(boolean transA, boolean transB) {
        long seed = 500;
        int tasks = 5;
        for (int[] s : new int[][] {{1, 1, 1}, {7, 33, 5}, {81, 70, 600}, {30, 129, 257}, {13, 40, 3000}}) {
            Problem p = Problem.random(transA, transB, s[0], s[1], s[2], 3, seed++);
            for (boolean acc : new boolean[] {false, true}) {
                float[] expected = p.run(reference, acc);
                float[] first = null;
                for (VectorGemm g : new VectorGemm[] {gemm1, gemm2, gemm7}) {
                    Gemm.PackedB packedB = g.newPackedB(p.k, p.n);
                    g.packB(p.transB, p.b, p.bOff, p.ldb, packedB);
                    float[][] out = new float[tasks][];
                    for (int t = 0; t < tasks; t++) {
                        out[t] = p.c.clone();
                    }
                    Parallel pool = g == gemm1 ? pool1 : g == gemm2 ? pool2 : pool7;
                    pool.run(tasks, (t, worker) -> g.gemmOnWorker(worker, p.transA, p.m, p.a, p.aOff, p.lda, packedB,
                            out[t], p.cOff, p.ldc, acc));
                    if (first == null) {
                        first = out[0];
                        assertClose(p, expected, first, "on a worker, accumulate=" + acc);
                    }
                    for (int t = 0; t < tasks; t++) {
                        assertBitIdentical(pool.threads() + " threads, task " + t + ", " + p.describe(), first,
                                out[t]);
                    }
                }
            }
        }
    }

    @Test
    void gemmOnWorkerRejectsAWorkerOutsideThePool() {
        Gemm.PackedB packedB = gemm2.newPackedB(2, 2);
        assertRejects("worker", () -> gemm2.gemmOnWorker(2, false, 1, new float[2], 0, 2, packedB, new float[2], 0,
                2, false));
        assertRejects("worker", () -> gemm2.gemmOnWorker(-1, false, 1, new float[2], 0, 2, packedB, new float[2], 0,
                2, false));
    }

    @Test
    void packedBRejectsOperandsThatDoNotFit() {
        Gemm.PackedB packedB = gemm2.newPackedB(4, 3);
        assertRejects("b", () -> gemm2.packB(false, new float[11], 0, 3, packedB));
        assertRejects("ldb", () -> gemm2.packB(true, new float[12], 0, 3, packedB));
        gemm2.packB(false, new float[12], 0, 3, packedB);
        assertRejects("a", () -> gemm2.gemm(false, 2, new float[7], 0, 4, packedB, new float[6], 0, 3, false));
        assertRejects("c", () -> gemm2.gemm(false, 2, new float[8], 0, 4, packedB, new float[5], 0, 3, false));
    }

    /**
     * A gathered A ({@link Gemm#gemmGatheredT}) over random data: columns in runs like a patch's rows (runs of 1, 3,
     * 12, 13 and 40 with gaps between them, some none, one set shuffled), so panels take both the vector and the
     * element-wise packing, and some rows starting so near the end of the data that a whole vector would overrun it.
     * The same bits as the plain form with that A stored, for 1, 2 and 7 threads and in the reference; close to the
     * reference. Shapes cover one element, the depth split, many tiles and the matrix-vector sizes, which the plain
     * form would stream.
     */
    @Test
    void gatheredAGivesTheStoredResult() {
        SplittableRandom rnd = new SplittableRandom(2026);
        int[] runs = {1, 3, 12, 13, 40};
        int[][] shapes = {{1, 1, 1}, {12, 32, 5}, {13, 17, 300}, {48, 128, 3000}, {300, 64, 600}, {100, 1, 50},
                {1, 70, 40}, {576, 33, 700}};
        for (int s = 0; s < shapes.length; s++) {
            int m = shapes[s][0];
            int n = shapes[s][1];
            int k = shapes[s][2];
            int run = runs[s % runs.length];
            int gap = s % 3 == 0 ? 0 : 1 + rnd.nextInt(20);
            int[] columns = new int[m + 2];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = i / run * (run + gap) + i % run;
            }
            if (s == 6) {
                for (int i = m - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = columns[i];
                    columns[i] = columns[j];
                    columns[j] = t;
                }
            }
            int span = Arrays.stream(columns, 0, m).max().orElse(0) + 1;
            float[] data = new float[span + 500];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            int rowsOff = 3;
            int[] starts = new int[rowsOff + k + 4];
            float[] stored = new float[k * m];
            for (int p = 0; p < k; p++) {
                int start = rnd.nextInt(10) == 0 ? data.length - span : rnd.nextInt(data.length - span + 1);
                starts[rowsOff + p] = start;
                for (int i = 0; i < m; i++) {
                    stored[p * m + i] = data[start + columns[i]];
                }
            }
            Problem r = Problem.random(true, false, m, n, k, 3, 900 + s);
            Problem p = new Problem(true, false, m, n, k, stored, 0, m, r.b, r.bOff, r.ldb, r.c, r.cOff, r.ldc,
                    1f, 2f);
            for (boolean acc : new boolean[] {false, true}) {
                for (Gemm g : new Gemm[] {gemm1, gemm2, gemm7, reference}) {
                    float[] gathered = p.c.clone();
                    g.gemmGatheredT(m, n, k, data, starts, rowsOff, columns, p.b, p.bOff, p.ldb, gathered, p.cOff,
                            p.ldc, acc);
                    assertBitIdentical(g.getClass().getSimpleName() + " gathered vs stored, accumulate=" + acc + ", "
                            + p.describe(), p.run(g, acc), gathered);
                }
                float[] fast = p.c.clone();
                gemm2.gemmGatheredT(m, n, k, data, starts, rowsOff, columns, p.b, p.bOff, p.ldb, fast, p.cOff,
                        p.ldc, acc);
                assertClose(p, p.run(reference, acc), fast, "gathered, accumulate=" + acc);
            }
        }
    }

    @Test
    void gatheredARejectsElementsOutsideItsArrays() {
        float[] data = new float[10];
        int[] starts = {0, 2, 4};
        int[] columns = {0, 1, 5};
        float[] b = new float[6];
        float[] c = new float[6];
        for (Gemm g : new Gemm[] {gemm2, reference}) {
            g.gemmGatheredT(3, 2, 3, data, starts, 0, columns, b, 0, 2, c, 0, 2, false);
            assertRejects("data", () -> g.gemmGatheredT(3, 2, 3, new float[9], starts, 0, columns, b, 0, 2, c, 0, 2,
                    false));
            assertRejects("data", () -> g.gemmGatheredT(3, 2, 3, data, new int[] {0, -1, 4}, 0, columns, b, 0, 2,
                    c, 0, 2, false));
            assertRejects("data", () -> g.gemmGatheredT(3, 2, 3, null, starts, 0, columns, b, 0, 2, c, 0, 2, false));
            assertRejects("columnOffsets", () -> g.gemmGatheredT(4, 2, 3, data, starts, 0, columns, b, 0, 2,
                    new float[8], 0, 2, false));
            assertRejects("rowStarts", () -> g.gemmGatheredT(3, 2, 3, data, starts, 1, columns, b, 0, 2, c, 0, 2,
                    false));
            assertRejects("rowsOff", () -> g.gemmGatheredT(3, 2, 2, data, starts, -1, columns, b, 0, 2, c, 0, 2,
                    false));
            assertRejects("b", () -> g.gemmGatheredT(3, 2, 3, data, starts, 0, columns, new float[5], 0, 2, c, 0, 2,
                    false));
            assertRejects("c", () -> g.gemmGatheredT(3, 2, 3, data, starts, 0, columns, b, 0, 2, new float[5], 0, 2,
                    false));
            assertRejects("n", () -> g.gemmGatheredT(3, -2, 3, data, starts, 0, columns, b, 0, 2, c, 0, 2, false));
        }
    }
}
