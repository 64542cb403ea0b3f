package io.dcgan4j.kernels.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Device memory from {@link CudaContext#allocate}: {@code elements} values of {@code elementBytes} bytes each (4 for
 * float, 8 for the double partial sums). Freed by the context when it closes.
 */
public final class DeviceBuffer {

    private final CUdeviceptr pointer;
    private final long elements;
    private final int elementBytes;

    DeviceBuffer(CUdeviceptr pointer, long elements, int elementBytes) {
        this.pointer = pointer;
        this.elements = elements;
        this.elementBytes = elementBytes;
    }

    CUdeviceptr pointer() {
        return pointer;
    }

    public long elements() {
        return elements;
    }

    public long bytes() {
        return elements * elementBytes;
    }

    int elementBytes() {
        return elementBytes;
    }
}
