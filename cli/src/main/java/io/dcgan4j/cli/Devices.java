package io.dcgan4j.cli;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.backend.cuda.CudaBackend;
import io.dcgan4j.kernels.cuda.CudaDevice;
import io.dcgan4j.kernels.cuda.CudaDevices;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code --device} choice: {@code cpu}, {@code cuda} or {@code cuda:N}. */
final class Devices {

    private static final Pattern SYNTAX = Pattern.compile("cpu|cuda(:(\\d+))?");

    private Devices() {
    }

    /** True when {@code device} is spelled as one of the accepted forms (whether or not it can run here). */
    static boolean isValid(String device) {
        return SYNTAX.matcher(device).matches();
    }

    /**
     * The backend for {@code device}; fails with a one-line reason where it cannot run (no driver, no such device,
     * a driver too old), never falling back to the CPU.
     */
    static Backend open(String device, int threads) {
        Matcher m = SYNTAX.matcher(device);
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown device '" + device + "' (cpu, cuda or cuda:N)");
        }
        if (device.equals("cpu")) {
            return new CpuBackend(threads);
        }
        try {
            return new CudaBackend(m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("--device " + device + ": no such CUDA device (use --device cpu to train on "
                    + "the CPU)", e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("--device " + device + ": " + e.getMessage()
                    + " (use --device cpu to train on the CPU)", e);
        }
    }

    /** One line per CUDA device, or one line saying why there are none. */
    static List<String> cudaDevices() {
        CudaDevices.Availability a = CudaDevices.probe();
        if (!a.available()) {
            return List.of("cuda: none, " + a.reason());
        }
        return a.devices().stream().map(CudaDevice::describe).toList();
    }

    /** One thread per available core. */
    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
