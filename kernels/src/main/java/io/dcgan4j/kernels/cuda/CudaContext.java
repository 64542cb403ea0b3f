package io.dcgan4j.kernels.cuda;

import jcuda.CudaException;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One device's primary context with the kernel modules loaded: device memory, a pinned staging buffer for the
 * host↔device copies, and kernel launches. Everything runs in order on the context's default stream, so a copy back
 * to the host waits for the kernels before it.
 *
 * <p>The context is made current on whichever thread calls in (a CUDA context is current per thread). Not
 * thread-safe: one caller at a time, like the backends.
 */
public final class CudaContext implements AutoCloseable {

    private final CudaDevice device;
    private final CUdevice handle = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final Map<String, CUmodule> modules = new LinkedHashMap<>();
    private final Map<CudaKernel, CUfunction> functions = new EnumMap<>(CudaKernel.class);
    private final List<DeviceBuffer> allocations = new ArrayList<>();
    /** The context this class last made current on each thread: a thread switches only when another is used. */
    private static final ThreadLocal<CudaContext> CURRENT = new ThreadLocal<>();
    private Pointer staging;
    private FloatBuffer stagingFloats;
    private long stagingBytes;
    private boolean closed;

    /**
     * Opens {@code cuda:ordinal} and loads every module.
     *
     * @throws IllegalStateException with a one-line reason when the device cannot be used
     */
    public CudaContext(int ordinal) {
        this.device = CudaDevices.require(ordinal);
        try {
            JCudaDriver.cuDeviceGet(handle, ordinal);
            JCudaDriver.cuDevicePrimaryCtxRetain(context, handle);
        } catch (CudaException e) {
            throw new IllegalStateException(device.describe() + ": cannot open a context: " + e.getMessage(), e);
        }
        try {
            bind();
            for (CudaKernel k : CudaKernel.values()) {
                CUmodule module = modules.computeIfAbsent(k.module(), CudaContext::load);
                CUfunction f = new CUfunction();
                JCudaDriver.cuModuleGetFunction(f, module, k.entry());
                functions.put(k, f);
            }
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException(device.describe() + ": cannot load the CUDA kernels: " + e.getMessage(), e);
        }
    }

    public CudaDevice device() {
        return device;
    }

    /** {@code elements} floats of device memory, contents undefined. */
    public DeviceBuffer allocateFloats(long elements) {
        return allocate(elements, Float.BYTES);
    }

    /** {@code elements} doubles of device memory, contents undefined. */
    public DeviceBuffer allocateDoubles(long elements) {
        return allocate(elements, Double.BYTES);
    }

    /** Copies {@code count} floats from {@code source} to the start of {@code destination}, through pinned memory. */
    public void upload(float[] source, int count, DeviceBuffer destination) {
        checkFloats(destination, count);
        long bytes = (long) count * Float.BYTES;
        ensureStaging(bytes);
        stagingFloats.clear();
        stagingFloats.put(source, 0, count);
        JCudaDriver.cuMemcpyHtoD(destination.pointer(), staging, bytes);
    }

    /** Copies the first {@code count} floats of {@code source} into {@code destination}; waits for the device. */
    public void download(DeviceBuffer source, float[] destination, int count) {
        checkFloats(source, count);
        long bytes = (long) count * Float.BYTES;
        ensureStaging(bytes);
        JCudaDriver.cuMemcpyDtoH(staging, source.pointer(), bytes);
        stagingFloats.clear();
        stagingFloats.get(destination, 0, count);
    }

    /** Sets the first {@code count} floats of {@code buffer} to {@code value}. */
    public void fill(DeviceBuffer buffer, int count, float value) {
        checkFloats(buffer, count);
        bind();
        JCudaDriver.cuMemsetD32(buffer.pointer(), Float.floatToRawIntBits(value), count);
    }

    /** Copies the first {@code count} floats of {@code source} to {@code destination}. */
    public void copy(DeviceBuffer source, DeviceBuffer destination, int count) {
        checkFloats(source, count);
        checkFloats(destination, count);
        bind();
        JCudaDriver.cuMemcpyDtoD(destination.pointer(), source.pointer(), (long) count * Float.BYTES);
    }

    /**
     * Launches {@code kernel} on the grid {@code (gx, gy, gz)} of blocks {@code (bx, by)}. Arguments in the kernel's
     * order: a {@link DeviceBuffer} (or null for a null pointer), an {@link Integer} or a {@link Float}.
     */
    public void launch(CudaKernel kernel, int gx, int gy, int gz, int bx, int by, Object... arguments) {
        if (gx < 1 || gy < 1 || gz < 1 || gy > 65535 || gz > 65535 || bx * by < 1 || bx * by > 1024) {
            throw new IllegalArgumentException(kernel + ": bad launch grid (" + gx + ", " + gy + ", " + gz
                    + ") blocks (" + bx + ", " + by + ")");
        }
        NativePointerObject[] parameters = new NativePointerObject[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            parameters[i] = switch (arguments[i]) {
                case null -> Pointer.to(new CUdeviceptr());
                case DeviceBuffer b -> Pointer.to(b.pointer());
                case Integer v -> Pointer.to(new int[]{v});
                case Float v -> Pointer.to(new float[]{v});
                default -> throw new IllegalArgumentException(kernel + ": argument " + i + " is a "
                        + arguments[i].getClass().getSimpleName());
            };
        }
        bind();
        JCudaDriver.cuLaunchKernel(functions.get(kernel), gx, gy, gz, bx, by, 1, 0, null,
                Pointer.to(parameters), null);
    }

    /** Waits for every launched kernel; surfaces an error of an earlier asynchronous launch. */
    public void synchronize() {
        bind();
        JCudaDriver.cuCtxSynchronize();
    }

    /** Frees every buffer and the staging memory, unloads the modules and releases the primary context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        bind();
        try {
            JCudaDriver.cuCtxSynchronize();
        } finally {
            closed = true;
            for (DeviceBuffer b : allocations) {
                JCudaDriver.cuMemFree(b.pointer());
            }
            allocations.clear();
            if (staging != null) {
                JCudaDriver.cuMemFreeHost(staging);
                staging = null;
            }
            for (CUmodule m : modules.values()) {
                JCudaDriver.cuModuleUnload(m);
            }
            modules.clear();
            JCudaDriver.cuDevicePrimaryCtxRelease(handle);
            CURRENT.remove();
        }
    }

    private DeviceBuffer allocate(long elements, int elementBytes) {
        if (elements < 1) {
            throw new IllegalArgumentException("cannot allocate " + elements + " elements");
        }
        bind();
        CUdeviceptr pointer = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(pointer, elements * elementBytes);
        DeviceBuffer b = new DeviceBuffer(pointer, elements, elementBytes);
        allocations.add(b);
        return b;
    }

    /** Grows the pinned staging buffer to at least {@code bytes}; only while buffers are first filled. */
    private void ensureStaging(long bytes) {
        bind();
        if (bytes <= stagingBytes) {
            return;
        }
        if (staging != null) {
            JCudaDriver.cuMemFreeHost(staging);
        }
        long size = Math.max(bytes, 1L << 20);
        staging = new Pointer();
        JCudaDriver.cuMemAllocHost(staging, size);
        stagingBytes = size;
        stagingFloats = staging.getByteBuffer(0, size).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private void checkFloats(DeviceBuffer b, int count) {
        if (b.elementBytes() != Float.BYTES || count < 0 || count > b.elements()) {
            throw new IllegalArgumentException(count + " floats do not fit a buffer of " + b.elements() + " "
                    + (b.elementBytes() == Float.BYTES ? "floats" : "doubles"));
        }
    }

    private void bind() {
        if (closed) {
            throw new IllegalStateException(device.describe() + " is closed");
        }
        if (CURRENT.get() != this) {
            JCudaDriver.cuCtxSetCurrent(context);
            CURRENT.set(this);
        }
    }

    private static CUmodule load(String module) {
        String resource = CudaKernel.resource(module);
        try (InputStream in = CudaContext.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            byte[] ptx = in.readAllBytes();
            // cuModuleLoadData reads PTX as a C string: it must end with a NUL byte.
            byte[] image = Arrays.copyOf(ptx, ptx.length + 1);
            CUmodule m = new CUmodule();
            JCudaDriver.cuModuleLoadData(m, image);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
