package io.dcgan4j.cli;

import io.dcgan4j.kernels.cuda.CudaDevice;
import io.dcgan4j.kernels.cuda.CudaDevices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                assertTrue(r.out().contains(d.describe()), r.out());
            }
        } else {
            assertTrue(r.out().contains("cuda: none, " + a.reason()), r.out());
        }
    }

    @Test
    void aMissingCudaDeviceIsOneLineNamingIt() {
        for (String device : new String[]{"cuda:4096", "cuda:99999999999"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Devices.open(device, 1));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().startsWith("--device " + device + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("use --device cpu"), e.getMessage());
        }
    }

    @Test
    void cpuIsTheCpuBackend() {
        try (var backend = Devices.open("cpu", 1)) {
            assertTrue(backend.describe().startsWith("cpu ("), backend.describe());
        }
    }
}
