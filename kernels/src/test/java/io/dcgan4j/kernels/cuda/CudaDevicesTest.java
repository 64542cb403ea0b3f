package io.dcgan4j.kernels.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device discovery answers on every machine: devices, or one line saying why there are none. */
class CudaDevicesTest {

    @Test
    void probeGivesDevicesOrOneLineReason() {
        CudaDevices.Availability a = CudaDevices.probe();
        System.out.println("CUDA: " + (a.available() ? a.devices() : a.reason()));
        if (a.available()) {
            assertFalse(a.devices().isEmpty());
            for (int i = 0; i < a.devices().size(); i++) {
                CudaDevice d = a.devices().get(i);
                assertEquals(i, d.ordinal());
                assertFalse(d.name().isBlank());
                assertTrue(d.totalMemory() > 0 && d.capability() > 0, d.describe());
            }
        } else {
            assertTrue(a.devices().isEmpty());
            assertFalse(a.reason().isBlank());
            assertEquals(1, a.reason().lines().count(), a.reason());
        }
        assertTrue(CudaDevices.probe() == a, "probed once");
    }

    @Test
    void requireFailsWithTheReasonOrTheDeviceRange() {
        CudaDevices.Availability a = CudaDevices.probe();
        int missing = a.devices().size();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaDevices.require(missing));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cuda:" + missing + " "), e.getMessage());
        if (!a.available()) {
            assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        }
    }

    @Test
    void describeNamesOrdinalMemoryAndArchitecture() {
        CudaDevice h100 = new CudaDevice(0, "NVIDIA H100 80GB HBM3", 85_520_809_984L, 9, 0);
        assertEquals("cuda:0 (NVIDIA H100 80GB HBM3, 80 GiB, sm_90)", h100.describe());
        assertEquals("cuda:1 (Small, 4.0 GiB, sm_75)", new CudaDevice(1, "Small", 4L << 30, 7, 5).describe());
    }
}
