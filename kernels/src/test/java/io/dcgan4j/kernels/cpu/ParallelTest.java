package io.dcgan4j.kernels.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {

    @Test
    void runsEveryTaskExactlyOnceOnAValidWorker() {
        for (int threads : new int[]{1, 2, 3, 5}) {
            try (Parallel pool = new Parallel(threads)) {
                assertEquals(threads, pool.threads());
                for (int count : new int[]{0, 1, 2, 7, 1000, 4099}) {
                    for (int repeat = 0; repeat < 50; repeat++) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(count, 1));
                        pool.run(count, (index, worker) -> {
                            assertTrue(worker >= 0 && worker < threads, "worker " + worker);
                            hits.incrementAndGet(index);
                        });
                        for (int i = 0; i < count; i++) {
                            assertEquals(1, hits.get(i), "task " + i + " of " + count + " on " + threads + " threads");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndThePoolStaysUsable() {
        try (Parallel pool = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(100, (i, w) -> {
                if (i == 37) {
                    throw new IllegalStateException("task 37 failed");
                }
            }));
            assertEquals("task 37 failed", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.run(10, (i, w) -> hits.incrementAndGet(i));
            for (int i = 0; i < 10; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    @Test
    void rejectsBadSizesAndUseAfterClose() {
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
        Parallel pool = new Parallel(2);
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.run(4, (i, w) -> { }));
    }
}
