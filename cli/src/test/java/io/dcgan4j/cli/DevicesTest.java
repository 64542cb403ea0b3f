package io.dcgan4j.cli;

import io.dcgan4j.kernels.cuda.CudaDevice;
import io.dcgan4j.kernels.cuda.CudaDevices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The {@code --device} choice and the device list of {@code info}, on any machine (with or without a GPU). */
class DevicesTest {

    @Test
    void infoListsTheCudaDevicesOrWhyThereAreNone() {
        CliRun r = CliRun.of("info");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("devices      cpu"), r.out());
        CudaDevices.Availability a = CudaDevices.probe();
        if (a.available()) {
            for (CudaDevice d : a.devices()) {
                assertTrue(r.out().contains("cuda: " + d.describe()), r.out());
            }
        } else {
            assertTrue(r.out().contains("cuda: none: " + a.reason()), r.out());
        }
    }

    @Test
    void aCudaDeviceThatIsNotThereIsOneLineNamingIt() {
        CliRun r = CliRun.of("train", "--device", "cuda:4096", "--data", CommandLineTest.mnist().toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("dcgan4j: error: cuda:4096 "), r.err());
        assertTrue(r.err().contains("use cpu instead"), r.err());
    }

    @Test
    void anOrdinalBeyondAnyMachineIsAUsageError() {
        CliRun r = CliRun.of("sample", "--checkpoint", "x.safetensors", "--device", "cuda:99999999999");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--device must be cpu, cuda or cuda:N, got 'cuda:99999999999'"), r.err());
    }

    @Test
    void withoutAGpuTheReasonIsTheDriversAbsence() {
        assumeTrue(!CudaDevices.probe().available(), "a CUDA device is present");
        CliRun r = CliRun.of("sample", "--checkpoint", "x.safetensors", "--device", "cuda");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains(CudaDevices.probe().reason()), r.err());
    }
}
