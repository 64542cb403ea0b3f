package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.Gemm;
import io.dcgan4j.kernels.cpu.GemmReference;
import io.dcgan4j.kernels.cpu.Parallel;
import io.dcgan4j.kernels.cpu.VectorGemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.util.concurrent.TimeUnit;

/**
 * The GEMM calls of a train step, one at a time: {@code C[m,n] (+)= op(A)[m,k]·op(B)[k,n]} with the shapes,
 * transposes and accumulation of the Dense layers (the whole batch, one pooled call) and of the convolutions. A
 * convolution's forward pass and input gradient have every thread multiply its own task's samples at once
 * ({@code Gemm.gemmOnWorker}, op(B) packed once per pass): the benchmark does the same, each thread into its own C, and
 * counts all threads' FLOPs. Its weight gradient makes pooled calls, one per chunk of samples. Set beside
 * {@link ConvBench} and {@link ConvTransposeBench}, it separates the GEMM's speed from the patch moves'.
 * {@code g_dense.backwardInput} and {@code g_conv} are absent: the step never computes the former, and
 * {@code g_conv}'s single filter takes the direct path without a GEMM.
 *
 * <p>{@code call} is {@code layer.pass} ({@link ModelShapes#gemm}). FLOPs: {@code 2·m·n·k}, times the threads for a
 * per-thread call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
public class GemmBench extends KernelState {

    @Param({"g_dense.forward", "g_dense.backwardWeight",
            "g_convT1.forward", "g_convT1.backwardInput", "g_convT1.backwardWeight",
            "g_convT2.forward", "g_convT2.backwardInput", "g_convT2.backwardWeight",
            "g_convT3.forward", "g_convT3.backwardInput", "g_convT3.backwardWeight",
            "d_conv1.backwardInput",
            "d_conv2.forward", "d_conv2.backwardInput", "d_conv2.backwardWeight",
            "d_conv3.forward", "d_conv3.backwardInput", "d_conv3.backwardWeight",
            "d_dense.forward", "d_dense.backwardInput", "d_dense.backwardWeight"})
    public String call;

    private Gemm gemm;
    private ModelShapes.GemmShape shape;
    private float[] a;
    private float[] b;
    private float[] c;
    /** Per-thread calls: op(B) packed once, and each thread's own C. */
    private Gemm.PackedB packedB;
    private float[][] threadC;
    private final Parallel.Task perThreadCall = this::perThreadCall;

    /** The GEMM named by {@code call} ({@code layer.pass}) at batch {@code batch}. */
    static ModelShapes.GemmShape shape(String call, int batch) {
        int dot = call.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("a GEMM call is layer.pass, e.g. g_convT2.forward; got '" + call + "'");
        }
        return ModelShapes.model().gemm(call.substring(0, dot), call.substring(dot + 1), batch);
    }

    @Override
    protected void prepare() {
        shape = shape(call, batch);
        gemm = vector() ? new VectorGemm(pool) : new GemmReference();
        a = random.symmetric(shape.m() * shape.k());
        b = random.symmetric(shape.k() * shape.n());
        c = random.symmetric(shape.m() * shape.n());
        if (shape.perThread()) {
            packedB = gemm.newPackedB(shape.k(), shape.n());
            gemm.packB(shape.transB(), b, 0, shape.transB() ? shape.k() : shape.n(), packedB);
            threadC = new float[pool.threads()][];
            for (int t = 0; t < threadC.length; t++) {
                threadC[t] = c.clone();
            }
        }
    }

    @Benchmark
    public float[] gemm() {
        ModelShapes.GemmShape s = shape;
        if (s.perThread()) {
            pool.run(pool.threads(), perThreadCall);
            return threadC[0];
        }
        // Dense storage: A is [m,k] or, transposed, [k,m]; B is [k,n] or [n,k]; C is [m,n].
        gemm.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(),
                a, 0, s.transA() ? s.m() : s.k(),
                b, 0, s.transB() ? s.k() : s.n(),
                c, 0, s.n(), s.accumulate());
        return c;
    }

    /** Task {@code t}: the call a convolution's task makes, on thread {@code worker}, into that thread's C. */
    private void perThreadCall(int t, int worker) {
        ModelShapes.GemmShape s = shape;
        gemm.gemmOnWorker(worker, s.transA(), s.m(), a, 0, s.transA() ? s.m() : s.k(), packedB, threadC[worker], 0,
                s.n(), s.accumulate());
    }
}
