package io.dcgan4j.kernels.cuda;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the CUDA devices once per JVM, or the one-line reason there are none: no driver library, a driver too old
 * for the PTX, no device. Every driver call goes through here first, so the {@link UnsatisfiedLinkError} of a
 * machine without {@code libcuda.so.1} is caught once (later touches of JCuda would throw
 * {@link NoClassDefFoundError}) and turned into a message.
 */
public final class CudaDevices {

    /** The driver version the PTX needs: nvcc 13 writes PTX ISA 9.0, which CUDA 13.0 drivers (r580) read. */
    public static final int MIN_DRIVER_VERSION = 13000;

    private static Availability probed;

    private CudaDevices() {
    }

    /**
     * The devices, or why there are none.
     *
     * @param devices every device the driver lists, in ordinal order; empty when {@code reason} is set
     * @param reason  null when the driver is usable, else one line saying why CUDA cannot run here
     */
    public record Availability(List<CudaDevice> devices, String reason) {

        public Availability {
            devices = List.copyOf(devices);
        }

        public boolean available() {
            return reason == null;
        }
    }

    /** The devices, probed on the first call and remembered. */
    public static synchronized Availability probe() {
        if (probed == null) {
            probed = probeDriver();
        }
        return probed;
    }

    /**
     * The device {@code cuda:ordinal} when it can run the kernels.
     *
     * @throws IllegalStateException with a one-line reason otherwise
     */
    public static CudaDevice require(int ordinal) {
        Availability a = probe();
        if (!a.available()) {
            throw new IllegalStateException("cuda:" + ordinal + " is unavailable: " + a.reason());
        }
        if (ordinal < 0 || ordinal >= a.devices().size()) {
            throw new IllegalStateException("cuda:" + ordinal + " does not exist: the driver lists "
                    + a.devices().size() + (a.devices().size() == 1 ? " device (cuda:0)" : " devices (cuda:0 to cuda:"
                    + (a.devices().size() - 1) + ")"));
        }
        CudaDevice d = a.devices().get(ordinal);
        if (d.capability() < CudaDevice.MIN_CAPABILITY) {
            throw new IllegalStateException(d.describe() + " is too old: the kernels need compute capability 7.5 "
                    + "(Turing) or newer");
        }
        return d;
    }

    private static Availability probeDriver() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            if (version[0] < MIN_DRIVER_VERSION) {
                return unavailable("the NVIDIA driver supports CUDA " + version[0] / 1000 + "." + version[0] % 1000 / 10
                        + ", too old for the PTX (needs CUDA 13 / driver r580 or newer)");
            }
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return unavailable("no CUDA device (the driver lists none)");
            }
            List<CudaDevice> devices = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                devices.add(describe(i));
            }
            return new Availability(devices, null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            String message = String.valueOf(e.getMessage());
            return unavailable(message.contains("libcuda")
                    ? "no CUDA driver library (libcuda.so.1 could not be loaded; is the NVIDIA driver installed?)"
                    : "JCuda's native library could not be loaded (" + message.lines().findFirst().orElse("") + ")");
        } catch (CudaException e) {
            return unavailable(e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_NO_DEVICE))
                    ? "no CUDA device (" + e.getMessage() + ")" : "the CUDA driver failed: " + e.getMessage());
        }
    }

    private static CudaDevice describe(int ordinal) {
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        long[] memory = new long[1];
        JCudaDriver.cuDeviceTotalMem(memory, device);
        return new CudaDevice(ordinal, new String(name, 0, length, StandardCharsets.UTF_8), memory[0],
                attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR));
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = new int[1];
        JCudaDriver.cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    private static Availability unavailable(String reason) {
        return new Availability(List.of(), reason);
    }
}
