package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The machine's memory bandwidth as the Vector API reaches it: each of {@code threads} threads copies an array of
 * its own into another, with vector loads and stores of the preferred species, on the pool the kernels use. The
 * arrays are far larger than a last-level cache, so every byte goes to memory and back. The rows whose bytes are
 * known ({@link Traffic}) are shown as a share of it, measured in the same run at the same thread count, as the
 * FLOP rows are shown against {@link FmaCeilingBench}.
 *
 * <p>Bytes per call: {@code threads · 2 · megabytes · 2^20}, read and written ({@link #bytes}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchSuite.ADD_MODULES, BenchSuite.VECTOR_MODULE})
@State(Scope.Benchmark)
public class MemoryBandwidthBench {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Calls made in {@link #setUp}, so that C2 has compiled the copy loop before JMH times it. */
    private static final int COMPILE_CALLS = 3;

    @Param({"2"})
    public int threads;

    /** Size of each array, per thread: 64 MB is twice the last-level cache of the machines this was measured on. */
    @Param({"64"})
    public int megabytes;

    private Parallel pool;
    private float[][] sources;
    private float[][] targets;
    private final Parallel.Task task = this::copyOwnArray;

    /** Bytes one {@link #copy} call reads and writes on {@code threads} threads with arrays of {@code megabytes}. */
    public static long bytes(int threads, int megabytes) {
        return (long) threads * 2 * megabytes << 20;
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (megabytes < 1) {
            throw new IllegalArgumentException("megabytes must be positive, got " + megabytes);
        }
        pool = new Parallel(threads);
        int floats = (megabytes << 20) / Float.BYTES;
        sources = new float[threads][floats];
        targets = new float[threads][floats];
        for (int t = 0; t < threads; t++) {
            Arrays.fill(sources[t], t + 1f);
        }
        for (int i = 0; i < COMPILE_CALLS; i++) {
            copy();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** Each thread's source array into its target array; returns the targets. */
    @Benchmark
    public float[][] copy() {
        pool.run(threads, task);
        return targets;
    }

    private void copyOwnArray(int index, int worker) {
        float[] from = sources[index];
        float[] to = targets[index];
        for (int i = 0; i < from.length; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, from, i).intoArray(to, i);
        }
    }
}
