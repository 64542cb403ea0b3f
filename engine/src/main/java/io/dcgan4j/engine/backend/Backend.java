package io.dcgan4j.engine.backend;

import io.dcgan4j.kernels.cpu.ConvShape;

/**
 * The short list of operations a module may call. A backend owns its memory and threads; it is chosen once when a
 * model is built, and modules never see which one runs. Not thread-safe: one caller at a time.
 */
public interface Backend extends AutoCloseable {

    /** A short human-readable description, e.g. {@code cpu (2 threads, 512-bit vectors)}. */
    String describe();

    /** A new tensor filled with zeros. */
    Tensor zeros(int... shape);

    void upload(float[] source, Tensor destination);

    void download(Tensor source, float[] destination);

    void fill(Tensor tensor, float value);

    void copy(Tensor source, Tensor destination);

    /** {@code y[N,out] = x[N,in] · w[in,out] (+ bias[out])}; {@code bias} may be null. */
    void denseForward(Tensor x, Tensor w, Tensor bias, Tensor y);

    /** {@code dx[N,in] = dy[N,out] · wᵀ}. */
    void denseBackwardInput(Tensor dy, Tensor w, Tensor dx);

    /** {@code dw += xᵀ · dy}, {@code dBias += Σ_N dy}; {@code dBias} may be null. */
    void denseBackwardWeight(Tensor x, Tensor dy, Tensor dw, Tensor dBias);

    ConvOp conv(ConvShape shape);

    BatchNormOp batchNorm(int rows, int channels);

    void leakyReluForward(Tensor x, Tensor y, float alpha);

    void leakyReluBackward(Tensor x, Tensor dy, Tensor dx, float alpha);

    void tanhForward(Tensor x, Tensor y);

    void tanhBackward(Tensor y, Tensor dy, Tensor dx);

    /**
     * Binary cross-entropy on logits {@code [N,1]} against a constant label, averaged over N; writes
     * {@code ∂loss/∂logits} into {@code dLogits} unless it is null, and returns the loss.
     */
    float binaryCrossEntropy(Tensor logits, float label, Tensor dLogits);

    /**
     * Softmax cross-entropy on logits {@code [N,C]} against class labels {@code [N]}, averaged over N; writes
     * {@code ∂loss/∂logits} into {@code dLogits} unless it is null, and returns the loss.
     */
    float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dLogits);

    /** One Keras-form Adam step at step {@code t ≥ 1}. */
    void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
                    float learningRate, float beta1, float beta2, float epsilon, long t);

    /** Releases threads and memory. */
    @Override
    void close();
}
