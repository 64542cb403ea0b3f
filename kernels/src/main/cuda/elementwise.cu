// Element-wise kernels: activations and the Adam update.
//
// Legend: x, y, dy, dx, param, grad, m, v [n] flat buffers. Grid-stride loops: any grid gives the same result, since
// each element is written by one thread from its own inputs.

// y = x if x > 0, else alpha·x (tf.nn.leaky_relu).
extern "C" __global__ void leaky_relu_forward(const float* __restrict__ x, float* __restrict__ y, int n,
                                              float alpha) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float v = x[i];
        y[i] = v > 0.0f ? v : alpha * v;
    }
}

// dx = dy if x > 0, else alpha·dy (at x = 0 the gradient is alpha·dy, as TensorFlow's LeakyReluGrad).
extern "C" __global__ void leaky_relu_backward(const float* __restrict__ x, const float* __restrict__ dy,
                                               float* __restrict__ dx, int n, float alpha) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float g = dy[i];
        dx[i] = x[i] > 0.0f ? g : alpha * g;
    }
}

// y = tanh(x), evaluated in double and rounded once, as the CPU reference (Math.tanh).
extern "C" __global__ void tanh_forward(const float* __restrict__ x, float* __restrict__ y, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        y[i] = (float) tanh((double) x[i]);
    }
}

// dx = dy·(1 − y²) in double, rounded once.
extern "C" __global__ void tanh_backward(const float* __restrict__ y, const float* __restrict__ dy,
                                         float* __restrict__ dx, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        double v = y[i];
        dx[i] = (float) (dy[i] * (1.0 - v * v));
    }
}

// One Keras-form Adam step (keras-semantics §3) with alpha = lr·sqrt(1 − β2^t)/(1 − β1^t) computed by the caller:
//   m ← m + (g − m)·(1 − β1),  v ← v + (g² − v)·(1 − β2),  p ← p − (m·alpha)/(sqrt(v) + ε)
// Every operation rounded to float in this order, with the _rn intrinsics so that the compiler fuses nothing into
// a multiply-add: bit-identical to io.dcgan4j.kernels.cpu.AdamReference.
extern "C" __global__ void adam_update(float* __restrict__ param, const float* __restrict__ grad,
                                       float* __restrict__ m, float* __restrict__ v, int n, float alpha,
                                       float oneMinusBeta1, float oneMinusBeta2, float epsilon) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float g = grad[i];
        float mi = __fadd_rn(m[i], __fmul_rn(__fsub_rn(g, m[i]), oneMinusBeta1));
        float vi = __fadd_rn(v[i], __fmul_rn(__fsub_rn(__fmul_rn(g, g), v[i]), oneMinusBeta2));
        m[i] = mi;
        v[i] = vi;
        param[i] = __fsub_rn(param[i], __fdiv_rn(__fmul_rn(mi, alpha), __fadd_rn(__fsqrt_rn(vi), epsilon)));
    }
}
