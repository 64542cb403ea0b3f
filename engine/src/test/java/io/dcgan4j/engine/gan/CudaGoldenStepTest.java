package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.backend.cuda.CudaBackend;
import io.dcgan4j.engine.backend.cuda.CudaTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GoldenStepTest} on the CUDA backend: one full train step at batch 4 against the golden tensors (float64
 * reference rounded to float32), every tensor of the manifest checked and reported with its largest error. Skipped
 * with the reason where there is no GPU.
 *
 * <p>Tolerances: activations, losses and gradients {@code 1e-4·max(1, max|golden|)}, ten times the CPU's. The GPU
 * sums in float32 like the CPU's Vector API kernels, but in other orders and with fused multiply-adds in every
 * product (depths up to 3200 terms). The gradients whose true value is 0 get 1e-4 for the same reason (1e-5 on the
 * CPU). The variables after the Adam step keep the CPU's tolerances (1e-4, moving means 2e-5): one step moves a
 * weight by at most about the learning rate, so gradient rounding barely reaches them.
 */
class CudaGoldenStepTest {

    private static Golden golden;

    @BeforeAll
    static void loadGolden() throws Exception {
        golden = Golden.load();
    }

    @AfterAll
    static void release() {
        golden = null;
    }

    @Test
    void cudaBackendMatchesGoldenStep() {
        try (CudaBackend backend = CudaTests.openOrSkip()) {
            new GoldenStepCheck(golden, 1e-4).run(backend);
        }
    }
}
