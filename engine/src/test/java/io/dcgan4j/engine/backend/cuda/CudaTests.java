package io.dcgan4j.engine.backend.cuda;

import io.dcgan4j.kernels.cuda.CudaDevices;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared by the GPU tests: skips, saying why, where this machine cannot run CUDA. */
public final class CudaTests {

    private CudaTests() {
    }

    /** A backend on cuda:0; skips the calling test with the printed reason when there is no usable device. */
    public static CudaBackend openOrSkip() {
        assumeAvailable();
        return new CudaBackend(0);
    }

    /** Skips the calling test (or class, from a {@code @BeforeAll}) with the printed reason when CUDA cannot run. */
    public static void assumeAvailable() {
        CudaDevices.Availability a = CudaDevices.probe();
        if (!a.available()) {
            System.out.println("skipped, no CUDA here: " + a.reason());
        }
        assumeTrue(a.available(), () -> "no CUDA here: " + a.reason());
    }
}
