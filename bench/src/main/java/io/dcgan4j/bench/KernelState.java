package io.dcgan4j.bench;

import io.dcgan4j.kernels.cpu.Parallel;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What every kernel benchmark shares: which implementation runs, on how many threads, at which batch size, and the
 * thread pool. A subclass allocates its plan and buffers in {@link #prepare}, so the timed methods allocate nothing.
 *
 * <p>{@code impl}: {@code vector} is the Vector API kernel the engine runs; {@code reference} is its scalar
 * specification (double precision, one thread, no pool), up to about a hundred times slower: time it at a
 * small batch ({@code -p impl=reference -p batch=8}, which {@link BenchSuite} does on its own).
 */
@State(Scope.Benchmark)
public abstract class KernelState {

    @Param({"vector", "reference"})
    public String impl;

    @Param({"2"})
    public int threads;

    @Param({"256"})
    public int batch;

    /** The pool the vector kernels run on; the reference kernels ignore it. */
    protected Parallel pool;

    /** Inputs of this trial, from the fixed seed. */
    protected final RandomInputs random = new RandomInputs();

    @Setup(Level.Trial)
    public final void setUp() {
        pool = new Parallel(threads);
        try {
            prepare();
        } catch (RuntimeException | Error e) {
            pool.close();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public final void tearDown() {
        pool.close();
    }

    /** Makes the kernel plan and every buffer the timed methods use. */
    protected abstract void prepare();

    /** Whether {@code impl} names the Vector API kernels (true) or the scalar references (false). */
    protected final boolean vector() {
        return switch (impl) {
            case "vector" -> true;
            case "reference" -> false;
            default -> throw new IllegalArgumentException("impl must be vector or reference, got '" + impl + "'");
        };
    }
}
