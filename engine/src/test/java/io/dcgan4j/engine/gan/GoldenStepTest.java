package io.dcgan4j.engine.gan;

import io.dcgan4j.engine.Golden;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One full train step at batch 4 against the golden tensors (float64 reference rounded to float32), every tensor of
 * the manifest checked with the tolerances of the golden README ({@link GoldenStepCheck}, activations and gradients to
 * {@code 1e-5·max(1, max|golden|)}), each reported with its largest error.
 */
class GoldenStepTest {

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
    void vectorBackendMatchesGoldenStep() {
        try (CpuBackend backend = new CpuBackend(2)) {
            new GoldenStepCheck(golden, 1e-5).run(backend);
        }
    }

    @Test
    void referenceBackendMatchesGoldenStep() {
        try (CpuBackend backend = new CpuBackend(1, CpuBackend.Kernels.REFERENCE)) {
            new GoldenStepCheck(golden, 1e-5).run(backend);
        }
    }
}
