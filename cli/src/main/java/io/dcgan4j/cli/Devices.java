package io.dcgan4j.cli;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.cpu.CpuBackend;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code --device} choice: {@code cpu}, {@code cuda} or {@code cuda:N}. */
final class Devices {

    /** Why {@code --device cuda} cannot run in this build. */
    static final String CUDA_UNAVAILABLE = "not in this build yet (the CUDA backend is planned); use --device cpu";

    private static final Pattern SYNTAX = Pattern.compile("cpu|cuda(:(\\d+))?");

    private Devices() {
    }

    /** True when {@code device} is spelled as one of the accepted forms (whether or not it can run here). */
    static boolean isValid(String device) {
        return SYNTAX.matcher(device).matches();
    }

    /** The backend for {@code device}; fails with a one-line reason where it cannot run. */
    static Backend open(String device, int threads) {
        Matcher m = SYNTAX.matcher(device);
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown device '" + device + "' (cpu, cuda or cuda:N)");
        }
        if (device.startsWith("cuda")) {
            throw new IllegalStateException("--device " + device + ": CUDA is " + CUDA_UNAVAILABLE);
        }
        return new CpuBackend(threads);
    }

    /** One thread per available core. */
    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
