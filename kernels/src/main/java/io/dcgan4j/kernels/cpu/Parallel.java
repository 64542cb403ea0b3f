package io.dcgan4j.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of threads that runs the tasks {@code 0..count-1} of one kernel call.
 *
 * <p>Determinism contract: each task writes outputs no other task writes, and computes each of them by a sequence of
 * operations that depends only on the problem's shape, never on {@link #threads()}. Which thread runs a task then
 * changes nothing in the result, so any thread count gives bit-identical outputs. Where a task's boundaries decide a
 * summation (a reduction across tasks through per-task partials that the caller combines in task order), they too
 * depend only on the shape; where they only decide which thread computes an element (the GEMM's output tiles),
 * they may follow the thread count.
 *
 * <p>{@link #run} allocates nothing: workers take runs of task indices from an atomic counter, and the calling thread
 * works too. One caller at a time; the pool is not re-entrant (a task must not call {@code run}).
 */
public final class Parallel implements AutoCloseable {

    /** One unit of a kernel call. {@code worker} in {@code [0, threads)} indexes per-thread scratch. */
    @FunctionalInterface
    public interface Task {
        void run(int index, int worker);
    }

    private static final int SPINS_BEFORE_PARK = 1 << 14;
    /** Runs of task indices per thread a call is cut into at most; see {@link #drain}. */
    private static final int RUNS_PER_THREAD = 16;

    private final Thread[] workers;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile Task task;
    private volatile int count;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    /** A pool of {@code threads} threads in all, counting the caller; 1 runs everything on the caller. */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int id = i + 1;
            Thread t = new Thread(() -> workerLoop(id), "dcgan4j-cpu-" + id);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Threads in all, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code task.run(i, worker)} for every {@code i} in {@code [0, count)} and returns when all are done. */
    public void run(int count, Task task) {
        if (closed) {
            throw new IllegalStateException("the thread pool is closed");
        }
        if (workers.length == 0 || count <= 1) {
            for (int i = 0; i < count; i++) {
                task.run(i, 0);
            }
            return;
        }
        this.task = task;
        this.count = count;
        this.caller = Thread.currentThread();
        this.failure = null;
        next.set(0);
        busy.set(workers.length);
        generation++;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        try {
            drain(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        int spins = 0;
        while (busy.get() != 0) {
            if (++spins < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        this.task = null;
        Throwable f = failure;
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
    }

    /**
     * Runs tasks until none are left, taking them in runs of consecutive indices: one at a time when a call has few
     * (a GEMM's tiles), a run of {@code count / (threads · RUNS_PER_THREAD)} when it has thousands of tiny ones (one
     * per image row), whose atomic increments the two threads would otherwise fight over.
     */
    private void drain(int worker) {
        Task t = task;
        int n = count;
        int grain = Math.max(1, n / (threads() * RUNS_PER_THREAD));
        for (int i = next.getAndAdd(grain); i < n; i = next.getAndAdd(grain)) {
            for (int j = i, end = Math.min(n, i + grain); j < end; j++) {
                t.run(j, worker);
            }
        }
    }

    private void workerLoop(int id) {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                drain(id);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (busy.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** Stops the worker threads; the pool cannot be used afterwards. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
