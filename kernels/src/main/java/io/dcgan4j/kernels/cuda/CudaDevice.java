package io.dcgan4j.kernels.cuda;

import java.util.Locale;

/**
 * One CUDA device as the driver reports it.
 *
 * @param ordinal     the device number ({@code cuda:N})
 * @param name        e.g. {@code NVIDIA H100 80GB HBM3}
 * @param totalMemory bytes of device memory
 * @param major       compute capability, major
 * @param minor       compute capability, minor
 */
public record CudaDevice(int ordinal, String name, long totalMemory, int major, int minor) {

    /** The oldest compute capability the PTX resources target ({@code compute_75}). */
    public static final int MIN_CAPABILITY = 75;

    public int capability() {
        return 10 * major + minor;
    }

    /** E.g. {@code cuda:0 (NVIDIA H100 80GB HBM3, 80 GiB, sm_90)}. */
    public String describe() {
        return "cuda:" + ordinal + " (" + name + ", " + gibibytes() + " GiB, sm_" + major + minor + ")";
    }

    private String gibibytes() {
        double gib = totalMemory / (double) (1L << 30);
        return gib >= 10 ? String.valueOf(Math.round(gib)) : String.format(Locale.ROOT, "%.1f", gib);
    }
}
