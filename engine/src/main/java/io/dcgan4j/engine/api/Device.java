package io.dcgan4j.engine.api;

import io.dcgan4j.engine.backend.Backend;
import io.dcgan4j.engine.backend.cpu.CpuBackend;
import io.dcgan4j.engine.backend.cuda.CudaBackend;
import io.dcgan4j.kernels.cuda.CudaDevice;
import io.dcgan4j.kernels.cuda.CudaDevices;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a model lives and runs: the CPU with a number of threads, or one CUDA device. Chosen once per model; the
 * results on the CPU do not depend on the thread count.
 *
 * @param kind    CPU or CUDA
 * @param index   the CUDA device ordinal (0 for the CPU)
 * @param threads CPU threads (for CUDA, the host threads used around the device; at least 1)
 */
public record Device(Kind kind, int index, int threads) {

    /** The two kinds of device. */
    public enum Kind {
        /** The Vector API kernels on the CPU. */
        CPU,
        /** An NVIDIA GPU through the CUDA driver. */
        CUDA
    }

    private static final Pattern SYNTAX = Pattern.compile("cpu|cuda(:(\\d{1,4}))?");

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException a missing kind, a bad index or fewer than one thread
     */
    public Device {
        if (kind == null) {
            throw new IllegalArgumentException("device kind is required");
        }
        if (index < 0 || (kind == Kind.CPU && index != 0)) {
            throw new IllegalArgumentException("bad device index " + index + " for " + kind);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** {@return the CPU with one thread per available core} */
    public static Device cpu() {
        return cpu(defaultThreads());
    }

    /**
     * The CPU with a chosen number of threads.
     *
     * @param threads worker threads, at least 1
     * @return the CPU with {@code threads} threads
     */
    public static Device cpu(int threads) {
        return new Device(Kind.CPU, 0, threads);
    }

    /**
     * One CUDA device.
     *
     * @param index the CUDA device ordinal, as {@code nvidia-smi} lists it
     * @return CUDA device {@code index}
     */
    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index, 1);
    }

    /**
     * Parses {@code cpu}, {@code cuda} (device 0) or {@code cuda:N}.
     *
     * @param spec    the device as a user writes it
     * @param threads CPU threads, for {@code cpu}
     * @return the device
     * @throws IllegalArgumentException {@code spec} is none of those forms
     */
    public static Device parse(String spec, int threads) {
        Matcher m = SYNTAX.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown device '" + spec + "' (cpu, cuda or cuda:N)");
        }
        if (spec.equals("cpu")) {
            return cpu(threads);
        }
        return cuda(m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /** {@return one thread per available core} */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Checks that this device can run here, without opening it: a caller can fail before it creates anything. A
     * CUDA device needs the NVIDIA driver (CUDA 13, r580 or newer), the device itself, and compute capability 7.5
     * or newer; there is never a silent fallback to the CPU.
     *
     * @throws IllegalStateException it cannot; the message says why in one line
     */
    public void checkAvailable() {
        if (kind == Kind.CUDA) {
            try {
                CudaDevices.require(index);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; use cpu instead", e);
            }
        }
    }

    /**
     * The CUDA devices this machine offers, as {@code info} lists them.
     *
     * @return one line per device (ordinal, name, memory, compute capability), or one line saying why there is none
     */
    public static List<String> cudaDevices() {
        CudaDevices.Availability a = CudaDevices.probe();
        if (!a.available()) {
            return List.of("none: " + a.reason());
        }
        return a.devices().stream().map(CudaDevice::describe).toList();
    }

    /** Opens this device's backend; fails with a one-line reason where it cannot run. */
    Backend open() {
        checkAvailable();
        return switch (kind) {
            case CPU -> new CpuBackend(threads);
            case CUDA -> new CudaBackend(index);
        };
    }

    /** {@return {@code cpu} or {@code cuda:N}, as {@link #parse} reads it} */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
