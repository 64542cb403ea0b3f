package io.dcgan4j.kernels.cuda;

/**
 * Every CUDA kernel the Java side launches: the one place its name and module are written. A module is one source
 * file {@code kernels/src/main/cuda/NAME.cu}, compiled by {@code scripts/build-cuda.sh} into the resource
 * {@code io/dcgan4j/kernels/cuda/NAME.ptx}; a test checks that every constant here has its {@code .entry} there.
 */
public enum CudaKernel {

    DENSE_FORWARD("gemm", "dense_forward"),
    DENSE_BACKWARD_INPUT("gemm", "dense_backward_input"),
    DENSE_BACKWARD_WEIGHT("gemm", "dense_backward_weight"),
    CONV_IM2COL_PRODUCT("gemm", "conv_im2col_product"),
    CONV_IM2COL_TRANSPOSED_PRODUCT("gemm", "conv_im2col_transposed_product"),
    ADD_CHUNK_PARTIALS("gemm", "add_chunk_partials"),
    CONV_GATHER_PRODUCT("gemm", "conv_gather_product"),

    COLUMN_PARTIAL_SUMS("reduce", "column_partial_sums"),
    COLUMN_SUMS_ADD("reduce", "column_sums_add"),
    BATCH_NORM_MEAN("reduce", "batch_norm_mean"),
    BATCH_NORM_VARIANCE("reduce", "batch_norm_variance"),
    BATCH_NORM_APPLY("reduce", "batch_norm_apply"),
    BATCH_NORM_TRAINING_SCALE("reduce", "batch_norm_training_scale"),
    BATCH_NORM_INFERENCE_SCALE("reduce", "batch_norm_inference_scale"),
    BATCH_NORM_BACKWARD_SUMS("reduce", "batch_norm_backward_sums"),
    BATCH_NORM_BACKWARD_INPUT("reduce", "batch_norm_backward_input"),
    BATCH_NORM_MOVING_AVERAGES("reduce", "batch_norm_moving_averages"),
    BINARY_CROSS_ENTROPY("reduce", "binary_cross_entropy"),

    LEAKY_RELU_FORWARD("elementwise", "leaky_relu_forward"),
    LEAKY_RELU_BACKWARD("elementwise", "leaky_relu_backward"),
    TANH_FORWARD("elementwise", "tanh_forward"),
    TANH_BACKWARD("elementwise", "tanh_backward"),
    ADAM_UPDATE("elementwise", "adam_update");

    private final String module;
    private final String entry;

    CudaKernel(String module, String entry) {
        this.module = module;
        this.entry = entry;
    }

    /** The module (source file name without {@code .cu}) that defines the kernel. */
    public String module() {
        return module;
    }

    /** The kernel's {@code extern "C"} name, its {@code .entry} in the PTX. */
    public String entry() {
        return entry;
    }

    /** The class-path resource of the kernel's module. */
    public String resource() {
        return resource(module);
    }

    /** The class-path resource of {@code module}'s PTX. */
    public static String resource(String module) {
        return "/io/dcgan4j/kernels/cuda/" + module + ".ptx";
    }
}
