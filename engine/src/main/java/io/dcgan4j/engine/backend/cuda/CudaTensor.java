package io.dcgan4j.engine.backend.cuda;

import io.dcgan4j.engine.backend.Tensor;
import io.dcgan4j.kernels.cuda.DeviceBuffer;

/** A tensor in device memory; views share the buffer. */
public final class CudaTensor extends Tensor {

    private final DeviceBuffer buffer;

    CudaTensor(DeviceBuffer buffer, int... shape) {
        super(shape);
        if (buffer.elements() != size()) {
            throw new IllegalArgumentException("device buffer of " + buffer.elements() + " floats for " + this);
        }
        this.buffer = buffer;
    }

    /** The device storage, row-major. */
    public DeviceBuffer buffer() {
        return buffer;
    }

    @Override
    public Tensor view(int... newShape) {
        checkViewSize(newShape);
        return new CudaTensor(buffer, newShape);
    }
}
