package io.dcgan4j.kernels.cuda;

import io.dcgan4j.kernels.cpu.ConvShape;

import static io.dcgan4j.kernels.cuda.CudaOps.TARGET_BLOCKS;
import static io.dcgan4j.kernels.cuda.CudaOps.THREADS;
import static io.dcgan4j.kernels.cuda.CudaOps.TILE;
import static io.dcgan4j.kernels.cuda.CudaOps.TILE_K;
import static io.dcgan4j.kernels.cuda.CudaOps.ceilDiv;
import static io.dcgan4j.kernels.cuda.CudaOps.elementwiseBlocks;
import static io.dcgan4j.kernels.cuda.CudaOps.requireFloats;

/**
 * A Conv2D or Conv2DTranspose planned for one {@link ConvShape} on the device, with the same contract as the CPU's
 * {@code ConvKernel}: forward overwrites y, backwardInput overwrites dx, backwardWeight adds into dKernel and dBias.
 *
 * <pre>
 *                     forward              backwardInput         backwardWeight
 * Conv2D              im2col(x) · w        gather(dy, w)         im2col(x)ᵀ · dy
 * Conv2DTranspose     gather(x, w)         im2col(dy) · w        im2col(dy)ᵀ · x
 * </pre>
 * (The three patterns are described in {@code gemm.cu}.) A weight gradient sums over every pixel of the batch into a
 * small kernel, so it is split into chunks of pixels whose partial products are added in chunk order; the split
 * depends only on the shape.
 */
public final class CudaConv {

    private final CudaContext context;
    private final ConvShape s;
    /** The im2col side of the weight gradient: the tensor read through windows and the pixel grid of its rows. */
    private final int windowH, windowW, windowC, gridH, gridW, gradientChannels;
    private final int chunk;
    private final int chunks;
    private final DeviceBuffer partial;
    private final CudaOps.ColumnSums biasSums;

    CudaConv(CudaOps ops, ConvShape shape) {
        this.context = ops.context();
        this.s = shape;
        if ((long) shape.stride() * shape.stride() > 65535) {
            throw new IllegalArgumentException("stride " + shape.stride() + " is too large for the CUDA kernels");
        }
        if (shape.transposed()) {
            windowH = shape.outH();
            windowW = shape.outW();
            windowC = shape.outC();
            gridH = shape.inH();
            gridW = shape.inW();
            gradientChannels = shape.inC();
        } else {
            windowH = shape.inH();
            windowW = shape.inW();
            windowC = shape.inC();
            gridH = shape.outH();
            gridW = shape.outW();
            gradientChannels = shape.outC();
        }
        int pixels = shape.batch() * gridH * gridW;
        int depth = shape.kernelH() * shape.kernelW() * windowC;
        int tiles = ceilDiv(depth, TILE) * ceilDiv(gradientChannels, TILE);
        int wanted = Math.max(1, Math.min(ceilDiv(TARGET_BLOCKS, tiles), ceilDiv(pixels, TILE_K)));
        this.chunk = ceilDiv(ceilDiv(pixels, wanted), TILE_K) * TILE_K;
        this.chunks = ceilDiv(pixels, chunk);
        this.partial = context.allocateFloats((long) chunks * depth * gradientChannels);
        this.biasSums = ops.columnSums(shape.batch() * shape.outH() * shape.outW(), shape.outC());
    }

    public ConvShape shape() {
        return s;
    }

    /** {@code y = op(x, kernel) + bias}; overwrites y. */
    public void forward(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer bias, DeviceBuffer y) {
        requireFloats(x, s.inputSize(), "x");
        requireFloats(kernel, s.kernelSize(), "kernel");
        requireFloats(bias, s.outC(), "bias");
        requireFloats(y, s.outputSize(), "y");
        if (s.transposed()) {
            gather(x, s.inH(), s.inW(), s.inC(), kernel, bias, y, s.outH(), s.outW(), s.outC());
        } else {
            im2colProduct(x, s.inH(), s.inW(), s.inC(), kernel, bias, y, s.outH(), s.outW(), s.outC());
        }
    }

    /** Overwrites dx with the gradient with respect to the input. */
    public void backwardInput(DeviceBuffer dy, DeviceBuffer kernel, DeviceBuffer dx) {
        requireFloats(dy, s.outputSize(), "dy");
        requireFloats(kernel, s.kernelSize(), "kernel");
        requireFloats(dx, s.inputSize(), "dx");
        if (s.transposed()) {
            im2colProduct(dy, s.outH(), s.outW(), s.outC(), kernel, null, dx, s.inH(), s.inW(), s.inC());
        } else {
            gather(dy, s.outH(), s.outW(), s.outC(), kernel, null, dx, s.inH(), s.inW(), s.inC());
        }
    }

    /** Adds the gradients with respect to the kernel and the bias into dKernel and dBias. */
    public void backwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dKernel, DeviceBuffer dBias) {
        requireFloats(x, s.inputSize(), "x");
        requireFloats(dy, s.outputSize(), "dy");
        requireFloats(dKernel, s.kernelSize(), "dKernel");
        requireFloats(dBias, s.outC(), "dBias");
        DeviceBuffer windows = s.transposed() ? dy : x;
        DeviceBuffer other = s.transposed() ? x : dy;
        int depth = s.kernelH() * s.kernelW() * windowC;
        context.launch(CudaKernel.CONV_IM2COL_TRANSPOSED_PRODUCT, ceilDiv(depth, TILE),
                ceilDiv(gradientChannels, TILE), chunks, THREADS, 1, windows, other, partial, s.batch(), windowH,
                windowW, windowC, s.kernelH(), s.kernelW(), s.stride(), gridH, gridW, gradientChannels, chunk);
        int size = depth * gradientChannels;
        context.launch(CudaKernel.ADD_CHUNK_PARTIALS, elementwiseBlocks(size), 1, 1, THREADS, 1, partial, chunks,
                size, dKernel);
        biasSums.addInto(dy, dBias);
    }

    private void im2colProduct(DeviceBuffer in, int inH, int inW, int inC, DeviceBuffer w, DeviceBuffer bias,
                               DeviceBuffer out, int outH, int outW, int channels) {
        int pixels = s.batch() * outH * outW;
        context.launch(CudaKernel.CONV_IM2COL_PRODUCT, ceilDiv(pixels, TILE), ceilDiv(channels, TILE), 1, THREADS, 1,
                in, w, bias, out, s.batch(), inH, inW, inC, s.kernelH(), s.kernelW(), s.stride(), outH, outW,
                channels);
    }

    private void gather(DeviceBuffer in, int inH, int inW, int inC, DeviceBuffer w, DeviceBuffer bias,
                        DeviceBuffer out, int outH, int outW, int channels) {
        int stride = s.stride();
        int phasePixels = s.batch() * ceilDiv(outH, stride) * ceilDiv(outW, stride);
        context.launch(CudaKernel.CONV_GATHER_PRODUCT, ceilDiv(phasePixels, TILE), ceilDiv(channels, TILE),
                stride * stride, THREADS, 1, in, w, bias, out, s.batch(), inH, inW, inC, s.kernelH(), s.kernelW(),
                stride, outH, outW, channels);
    }
}
