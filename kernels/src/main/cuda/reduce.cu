// Per-channel reductions over rows (BatchNorm statistics and gradients, bias gradients) and the BCE loss.
//
// Legend: R rows = N·H·W (or N for a dense layer), C channels; x, y, dy, dx [R, C] row-major (NHWC seen as a
// matrix); per-channel vectors [C]; partials [K, C] in double for K fixed row chunks.
//
// Determinism: a sum over rows is cut into chunks of a fixed number of rows (chosen by the caller from the shape
// alone). Within a chunk, thread (tx, ty) of a (CW × RY) block sums rows ty, ty + RY, … of channel tx in double, the
// RY sums are combined by a fixed pairwise tree in shared memory, and a finishing kernel adds the chunk partials in
// chunk order. No atomics, so every result is the same on every run. Sums run in double, as the CPU references do.
//
// Formulas follow keras-semantics §2 (fused BatchNormalization) and §4 (BinaryCrossentropy from_logits).

#define REDUCE_THREADS 256

enum ColumnTerm { TERM_VALUE = 0, TERM_CENTRED_SQUARE = 1, TERM_DY_XHAT = 2 };

// partial[chunk, c] = Σ over the chunk's rows of term(r, c):
//   TERM_VALUE           a[r, c]
//   TERM_CENTRED_SQUARE  (a[r, c] − centre[c])²                 centre: the double batch mean
//   TERM_DY_XHAT         b[r, c] · (a[r, c] − mean[c]) · invStd[c]   a = x, b = dy, mean and invStd float
// Block (CW, RY) with CW·RY = 256, RY a power of two; grid (⌈C/CW⌉, chunks).
extern "C" __global__ void column_partial_sums(const float* __restrict__ a, const float* __restrict__ b,
                                               const double* __restrict__ centre, const float* __restrict__ mean,
                                               const float* __restrict__ invStd, int term, int rows, int cols,
                                               int rowsPerChunk, double* __restrict__ partial) {
    __shared__ double sums[REDUCE_THREADS];
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int first = blockIdx.y * rowsPerChunk;
    int end = min(rows, first + rowsPerChunk);
    double sum = 0.0;
    if (c < cols) {
        double shift = term == TERM_CENTRED_SQUARE ? centre[c] : 0.0;
        float m = term == TERM_DY_XHAT ? mean[c] : 0.0f;
        float s = term == TERM_DY_XHAT ? invStd[c] : 0.0f;
        for (int r = first + threadIdx.y; r < end; r += blockDim.y) {
            size_t i = (size_t) r * cols + c;
            if (term == TERM_VALUE) {
                sum += a[i];
            } else if (term == TERM_CENTRED_SQUARE) {
                double d = a[i] - shift;
                sum += d * d;
            } else {
                sum += (double) b[i] * ((double) (a[i] - m) * s);
            }
        }
    }
    int slot = threadIdx.y * blockDim.x + threadIdx.x;
    sums[slot] = sum;
    __syncthreads();
    for (int half = blockDim.y / 2; half > 0; half /= 2) {
        if (threadIdx.y < half) {
            sums[slot] += sums[slot + half * blockDim.x];
        }
        __syncthreads();
    }
    if (threadIdx.y == 0 && c < cols) {
        partial[(size_t) blockIdx.y * cols + c] = sums[threadIdx.x];
    }
}

// Σ_k partial[k, c] in chunk order.
__device__ __forceinline__ double chunkTotal(const double* partial, int chunks, int cols, int c) {
    double sum = 0.0;
    for (int k = 0; k < chunks; k++) {
        sum += partial[(size_t) k * cols + c];
    }
    return sum;
}

// dst[c] += Σ_k partial[k, c] (a bias gradient). One thread per channel.
extern "C" __global__ void column_sums_add(const double* __restrict__ partial, int chunks, int cols,
                                           float* __restrict__ dst) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c < cols) {
        dst[c] = (float) (dst[c] + chunkTotal(partial, chunks, cols, c));
    }
}

// meanD[c] = Σ x / R in double (the centre of the variance pass), mean[c] its float. One thread per channel.
extern "C" __global__ void batch_norm_mean(const double* __restrict__ partial, int chunks, int cols, int rows,
                                           double* __restrict__ meanD, float* __restrict__ mean) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c < cols) {
        double m = chunkTotal(partial, chunks, cols, c) / rows;
        meanD[c] = m;
        mean[c] = (float) m;
    }
}

// variance[c] = Σ (x − mean)² / R (biased), invStd[c] = 1/sqrt(variance + epsilon). One thread per channel.
extern "C" __global__ void batch_norm_variance(const double* __restrict__ partial, int chunks, int cols, int rows,
                                               float epsilon, float* __restrict__ variance,
                                               float* __restrict__ invStd) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c < cols) {
        double v = chunkTotal(partial, chunks, cols, c) / rows;
        variance[c] = (float) v;
        invStd[c] = (float) (1.0 / sqrt(v + (double) epsilon));
    }
}

// y = (x − mean)·(gamma·invStd) + beta per element, with the batch's mean and invStd (training) or with
// mean = movingMean and invStd = 1/sqrt(movingVariance + epsilon) (inference, see batch_norm_inference_scale).
extern "C" __global__ void batch_norm_apply(const float* __restrict__ x, const float* __restrict__ mean,
                                            const float* __restrict__ scale, const float* __restrict__ beta,
                                            int rows, int cols, float* __restrict__ y) {
    size_t total = (size_t) rows * cols;
    for (size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (size_t) gridDim.x * blockDim.x) {
        int c = (int) (i % cols);
        y[i] = (x[i] - mean[c]) * scale[c] + beta[c];
    }
}

// scale[c] = gamma[c]·invStd[c] for training, where invStd comes from batch_norm_variance.
extern "C" __global__ void batch_norm_training_scale(const float* __restrict__ gamma, const float* __restrict__ invStd,
                                                     int cols, float* __restrict__ scale) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c < cols) {
        scale[c] = (float) ((double) gamma[c] * invStd[c]);
    }
}

// scale[c] = gamma[c]/sqrt(movingVariance[c] + epsilon) for inference.
extern "C" __global__ void batch_norm_inference_scale(const float* __restrict__ gamma,
                                                      const float* __restrict__ movingVariance, float epsilon,
                                                      int cols, float* __restrict__ scale) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c < cols) {
        scale[c] = (float) (gamma[c] / sqrt((double) movingVariance[c] + epsilon));
    }
}

// From Σ dy and Σ dy·xhat: dBeta += Σ dy, dGamma += Σ dy·xhat, and the coefficients of
// dx = gamma·invStd·(dy − mean(dy) − xhat·mean(dy·xhat)): coef[3c] = gamma·invStd, coef[3c+1] = mean(dy),
// coef[3c+2] = mean(dy·xhat). One thread per channel.
extern "C" __global__ void batch_norm_backward_sums(const double* __restrict__ sumDy,
                                                    const double* __restrict__ sumDyXhat, int chunks, int cols,
                                                    int rows, const float* __restrict__ gamma,
                                                    const float* __restrict__ invStd, float* __restrict__ dGamma,
                                                    float* __restrict__ dBeta, float* __restrict__ coef) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c < cols) {
        double dy = chunkTotal(sumDy, chunks, cols, c);
        double dyXhat = chunkTotal(sumDyXhat, chunks, cols, c);
        dGamma[c] = (float) (dGamma[c] + dyXhat);
        dBeta[c] = (float) (dBeta[c] + dy);
        coef[3 * c] = (float) ((double) gamma[c] * invStd[c]);
        coef[3 * c + 1] = (float) (dy / rows);
        coef[3 * c + 2] = (float) (dyXhat / rows);
    }
}

// dx = coef0·(dy − coef1 − xhat·coef2), xhat = (x − mean)·invStd; overwrites dx.
extern "C" __global__ void batch_norm_backward_input(const float* __restrict__ x, const float* __restrict__ dy,
                                                     const float* __restrict__ mean,
                                                     const float* __restrict__ invStd,
                                                     const float* __restrict__ coef, int rows, int cols,
                                                     float* __restrict__ dx) {
    size_t total = (size_t) rows * cols;
    for (size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (size_t) gridDim.x * blockDim.x) {
        int c = (int) (i % cols);
        float xhat = (x[i] - mean[c]) * invStd[c];
        dx[i] = coef[3 * c] * (dy[i] - coef[3 * c + 1] - xhat * coef[3 * c + 2]);
    }
}

// Keras's fused moving averages (keras-semantics §2): f = 1 − momentum,
// movingMean = (1−f)·movingMean + f·batchMean, movingVariance = (1−f)·movingVariance + f·batchVariance·R/max(R−1, 1).
// In double per channel, rounded once, as BatchNormKernel.updateMovingAverages.
extern "C" __global__ void batch_norm_moving_averages(float* __restrict__ movingMean,
                                                      float* __restrict__ movingVariance,
                                                      const float* __restrict__ batchMean,
                                                      const float* __restrict__ batchVariance, int cols, int rows,
                                                      float momentum) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c < cols) {
        double f = 1.0 - (double) momentum;
        double keep = 1.0 - f;
        double bessel = rows / (double) max(rows - 1, 1);
        movingMean[c] = (float) (keep * movingMean[c] + f * batchMean[c]);
        movingVariance[c] = (float) (keep * movingVariance[c] + f * (batchVariance[c] * bessel));
    }
}

// Binary cross-entropy on logits [n] against one label z (keras-semantics §4): loss[0] = (1/n)·Σ l(x), with
// l(x) = max(x, 0) − x·z + log1p(exp(−|x|)), and dLogits[i] = (sigmoid(x) − z)/n unless dLogits is null; in double,
// as io.dcgan4j.kernels.cpu.BinaryCrossEntropy. One block of 256 threads.
extern "C" __global__ void binary_cross_entropy(const float* __restrict__ logits, int n, float label,
                                                float* __restrict__ dLogits, float* __restrict__ loss) {
    __shared__ double sums[REDUCE_THREADS];
    double z = label;
    double sum = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        double x = logits[i];
        double e = exp(-fabs(x));
        sum += fmax(x, 0.0) - x * z + log1p(e);
        if (dLogits != nullptr) {
            // sigmoid(x) − z without cancellation: s = sigmoid(−|x|), and for x ≥ 0 the form (1 − z) − s.
            double s = e / (1.0 + e);
            dLogits[i] = (float) ((x >= 0.0 ? (1.0 - z) - s : s - z) / n);
        }
    }
    sums[threadIdx.x] = sum;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) {
            sums[threadIdx.x] += sums[threadIdx.x + half];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        loss[0] = (float) (sums[0] / n);
    }
}
