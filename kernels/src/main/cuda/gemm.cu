// Dense layers and convolutions as tiled GEMMs with implicit operands (no im2col buffer, no col2im scatter).
//
// Legend: N batch, H×W input size, C channels, KH×KW kernel, s stride, OH×OW output size, P = N·OH·OW pixel rows,
// Kd = KH·KW·C the depth of an im2col row, J the output channels of a product. All tensors row-major, NHWC.
//
// Every product is C[M,J] = Σ_k A[m,k]·B[k,j], computed in 64×64 output tiles by 256 threads: each k-step of 16
// stages a 64×16 panel of A and of B in shared memory, and each thread keeps a 4×4 block of C in registers.
// Operands are never materialised: a "panel source" yields element (r, k) of a 64-row panel (r a row of C for A,
// a column of C for B), zero past the matrix or the k-range. Each output element belongs to one thread, which sums
// k in ascending order, so results are run-to-run deterministic; nothing uses atomics.
//
// The three convolution patterns (see ConvShape for the geometry, padding valid):
//   im2col · B      y[p, j] = Σ_{di,dj,c} in[n, s·oy+di, s·ox+dj, c] · B[(di,dj,c), j]
//                   Conv2D forward (in = x), Conv2DTranspose input gradient (in = dy; it is a Conv2D of dy).
//   im2colᵀ · D     dW[(di,dj,c), j] += Σ_p in[n, s·oy+di, s·ox+dj, c] · D[p, j]
//                   both weight gradients (Conv2D: in = x, D = dy; Conv2DTranspose: in = dy, D = x), split over p
//                   into fixed chunks whose partials are added in chunk order.
//   gather          out[n, h, w, j] = Σ_{di,dj,k} in[n, (h−di)/s, (w−dj)/s, k] · w[di, dj, j, k] over taps that divide
//                   Conv2DTranspose forward (in = x), Conv2D input gradient (in = dy). Output pixels are split by
//                   phase (h mod s, w mod s); within a phase the taps that reach a pixel are fixed, so no work is
//                   spent on taps that do not divide.

#define TILE 64           // rows and columns of an output tile
#define TILE_K 16         // depth of one staged panel
#define THREADS 256       // 16 × 16 threads, 4 × 4 outputs each
#define PANEL_PAD 4       // keeps float4 alignment and spreads shared-memory banks

// Thread t's i-th element (i < 4) of a 64×16 panel, e = t + 256·i. A source whose memory is contiguous in k reads
// with k fastest across threads (k = t mod 16); one contiguous in r reads with r fastest (r = t mod 64).
__device__ __forceinline__ int panelRow(bool kFast, int t, int i) {
    return kFast ? t / TILE_K + i * (THREADS / TILE_K) : t % TILE;
}

__device__ __forceinline__ int panelK(bool kFast, int t, int i) {
    return kFast ? t % TILE_K : t / TILE + i * (THREADS / TILE);
}

// Element (r, k) at p[r·ld + k]: contiguous in k.
struct RowMajor {
    static constexpr bool kFast = true;
    const float* p;
    int ld, rows, t;
    int r[4];

    __device__ RowMajor(const float* p, int ld, int rows) : p(p), ld(ld), rows(rows), t(threadIdx.x) {}

    __device__ void begin(int r0) {
        for (int i = 0; i < 4; i++) {
            r[i] = r0 + panelRow(kFast, t, i);
        }
    }

    __device__ void panel(int k0, int kEnd, float v[4]) const {
        int k = k0 + panelK(kFast, t, 0);
        for (int i = 0; i < 4; i++) {
            v[i] = r[i] < rows && k < kEnd ? p[(size_t) r[i] * ld + k] : 0.0f;
        }
    }
};

// Element (r, k) at p[k·ld + r]: contiguous in r.
struct ColMajor {
    static constexpr bool kFast = false;
    const float* p;
    int ld, rows, t, r;

    __device__ ColMajor(const float* p, int ld, int rows) : p(p), ld(ld), rows(rows), t(threadIdx.x), r(0) {}

    __device__ void begin(int r0) {
        r = r0 + panelRow(kFast, t, 0);
    }

    __device__ void panel(int k0, int kEnd, float v[4]) const {
        for (int i = 0; i < 4; i++) {
            int k = k0 + panelK(kFast, t, i);
            v[i] = r < rows && k < kEnd ? p[(size_t) k * ld + r] : 0.0f;
        }
    }
};

// The geometry an im2col or gather source walks: the tensor it reads [N, inH, inW, inC] and the pixel grid
// [N, outH, outW] of the product's rows.
struct Geometry {
    int batch, inH, inW, inC, kH, kW, stride, outH, outW;
};

// Element (p, (di,dj,c)) of the im2col matrix of `in`: rows are output pixels, contiguous in k.
struct Im2colRows {
    static constexpr bool kFast = true;
    const float* in;
    Geometry g;
    int t, pixels, depth;
    int base[4];  // offset of each row's window corner in `in`, −1 past the last row

    __device__ Im2colRows(const float* in, Geometry g)
        : in(in), g(g), t(threadIdx.x), pixels(g.batch * g.outH * g.outW), depth(g.kH * g.kW * g.inC) {}

    __device__ void begin(int r0) {
        for (int i = 0; i < 4; i++) {
            int p = r0 + panelRow(kFast, t, i);
            if (p < pixels) {
                int ox = p % g.outW;
                int rest = p / g.outW;
                int oy = rest % g.outH;
                int n = rest / g.outH;
                base[i] = ((n * g.inH + oy * g.stride) * g.inW + ox * g.stride) * g.inC;
            } else {
                base[i] = -1;
            }
        }
    }

    __device__ void panel(int k0, int kEnd, float v[4]) const {
        int k = k0 + panelK(kFast, t, 0);
        int offset = -1;
        if (k < kEnd) {
            int c = k % g.inC;
            int tap = k / g.inC;
            offset = ((tap / g.kW) * g.inW + tap % g.kW) * g.inC + c;
        }
        for (int i = 0; i < 4; i++) {
            v[i] = offset >= 0 && base[i] >= 0 ? in[base[i] + offset] : 0.0f;
        }
    }
};

// The transpose of Im2colRows: element ((di,dj,c), p), rows are im2col columns, k runs over pixels; contiguous in r.
struct Im2colCols {
    static constexpr bool kFast = false;
    const float* in;
    Geometry g;
    int t, depth, offset;  // offset of this thread's tap and channel within a window, −1 past the last row

    __device__ Im2colCols(const float* in, Geometry g)
        : in(in), g(g), t(threadIdx.x), depth(g.kH * g.kW * g.inC), offset(-1) {}

    __device__ void begin(int r0) {
        int r = r0 + panelRow(kFast, t, 0);
        if (r < depth) {
            int c = r % g.inC;
            int tap = r / g.inC;
            offset = ((tap / g.kW) * g.inW + tap % g.kW) * g.inC + c;
        } else {
            offset = -1;
        }
    }

    __device__ void panel(int k0, int kEnd, float v[4]) const {
        for (int i = 0; i < 4; i++) {
            int p = k0 + panelK(kFast, t, i);
            float value = 0.0f;
            if (offset >= 0 && p < kEnd) {
                int ox = p % g.outW;
                int rest = p / g.outW;
                int oy = rest % g.outH;
                int n = rest / g.outH;
                value = in[((n * g.inH + oy * g.stride) * g.inW + ox * g.stride) * g.inC + offset];
            }
            v[i] = value;
        }
    }
};

// One output phase (ry, rx) of a gather: the pixels (h, w) = (s·qy + ry, s·qx + rx), and the taps
// (di, dj) = (ry + s·a, rx + s·b) that reach them, each reading input pixel (qy − a, qx − b).
struct Phase {
    int ry, rx, rowsY, rowsX, tapsY, tapsX;

    __device__ Phase(const Geometry& g, int phase) {
        ry = phase / g.stride;
        rx = phase % g.stride;
        rowsY = (g.outH - ry + g.stride - 1) / g.stride;
        rowsX = (g.outW - rx + g.stride - 1) / g.stride;
        tapsY = ry < g.kH ? (g.kH - ry + g.stride - 1) / g.stride : 0;
        tapsX = rx < g.kW ? (g.kW - rx + g.stride - 1) / g.stride : 0;
    }

    __device__ int pixels(const Geometry& g) const {
        return g.batch * rowsY * rowsX;
    }

    __device__ int depth(const Geometry& g) const {
        return tapsY * tapsX * g.inC;
    }
};

// Element (q, (a,b,k)) of a phase's gather matrix: row q is pixel (n, qy, qx) of the phase; contiguous in k.
struct GatherRows {
    static constexpr bool kFast = true;
    const float* in;
    Geometry g;
    Phase ph;
    int t;
    int n[4], qy[4], qx[4];  // n = −1 past the phase's last pixel

    __device__ GatherRows(const float* in, Geometry g, Phase ph) : in(in), g(g), ph(ph), t(threadIdx.x) {}

    __device__ void begin(int r0) {
        int pixels = ph.pixels(g);
        for (int i = 0; i < 4; i++) {
            int q = r0 + panelRow(kFast, t, i);
            if (q < pixels) {
                qx[i] = q % ph.rowsX;
                int rest = q / ph.rowsX;
                qy[i] = rest % ph.rowsY;
                n[i] = rest / ph.rowsY;
            } else {
                n[i] = -1;
            }
        }
    }

    __device__ void panel(int k0, int kEnd, float v[4]) const {
        int k = k0 + panelK(kFast, t, 0);
        int c = 0, a = 0, b = 0;
        bool inDepth = k < kEnd;
        if (inDepth) {
            c = k % g.inC;
            int tap = k / g.inC;
            b = tap % ph.tapsX;
            a = tap / ph.tapsX;
        }
        for (int i = 0; i < 4; i++) {
            int y = qy[i] - a;
            int x = qx[i] - b;
            bool inside = inDepth && n[i] >= 0 && y >= 0 && y < g.inH && x >= 0 && x < g.inW;
            v[i] = inside ? in[((n[i] * g.inH + y) * g.inW + x) * g.inC + c] : 0.0f;
        }
    }
};

// Element (j, (a,b,k)) of a phase's weights w[KH, KW, J, inC]: rows are output channels; contiguous in k.
struct GatherWeights {
    static constexpr bool kFast = true;
    const float* w;
    Geometry g;
    Phase ph;
    int t, channels;
    int j[4];

    __device__ GatherWeights(const float* w, Geometry g, Phase ph, int channels)
        : w(w), g(g), ph(ph), t(threadIdx.x), channels(channels) {}

    __device__ void begin(int r0) {
        for (int i = 0; i < 4; i++) {
            j[i] = r0 + panelRow(kFast, t, i);
        }
    }

    __device__ void panel(int k0, int kEnd, float v[4]) const {
        int k = k0 + panelK(kFast, t, 0);
        int tapBase = -1, c = 0;
        if (k < kEnd) {
            c = k % g.inC;
            int tap = k / g.inC;
            int di = ph.ry + g.stride * (tap / ph.tapsX);
            int dj = ph.rx + g.stride * (tap % ph.tapsX);
            tapBase = (di * g.kW + dj) * channels;
        }
        for (int i = 0; i < 4; i++) {
            v[i] = tapBase >= 0 && j[i] < channels ? w[(tapBase + j[i]) * g.inC + c] : 0.0f;
        }
    }
};

// The block's 64×64 tile of Σ_{k in [kBegin, kEnd)} A[m,k]·B[k,j] into acc: thread (tx, ty) = (t mod 16, t / 16)
// holds rows 4·ty + i and columns 4·tx + j of the tile.
template <class A, class B>
__device__ __forceinline__ void tileProduct(A& a, B& b, int m0, int j0, int kBegin, int kEnd, float acc[4][4]) {
    __shared__ __align__(16) float panelA[TILE_K][TILE + PANEL_PAD];
    __shared__ __align__(16) float panelB[TILE_K][TILE + PANEL_PAD];
    int t = threadIdx.x;
    int tx = t % 16, ty = t / 16;
    a.begin(m0);
    b.begin(j0);
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            acc[i][j] = 0.0f;
        }
    }
    float va[4], vb[4];
    for (int k0 = kBegin; k0 < kEnd; k0 += TILE_K) {
        a.panel(k0, kEnd, va);
        b.panel(k0, kEnd, vb);
        for (int i = 0; i < 4; i++) {
            panelA[panelK(A::kFast, t, i)][panelRow(A::kFast, t, i)] = va[i];
            panelB[panelK(B::kFast, t, i)][panelRow(B::kFast, t, i)] = vb[i];
        }
        __syncthreads();
#pragma unroll
        for (int k = 0; k < TILE_K; k++) {
            float4 av = *reinterpret_cast<const float4*>(&panelA[k][4 * ty]);
            float4 bv = *reinterpret_cast<const float4*>(&panelB[k][4 * tx]);
            float ar[4] = {av.x, av.y, av.z, av.w};
            float br[4] = {bv.x, bv.y, bv.z, bv.w};
#pragma unroll
            for (int i = 0; i < 4; i++) {
#pragma unroll
                for (int j = 0; j < 4; j++) {
                    acc[i][j] = fmaf(ar[i], br[j], acc[i][j]);
                }
            }
        }
        __syncthreads();
    }
}

// Writes a tile into row-major out[M, J] (leading dimension J): out = acc + bias[j] (bias may be null), or
// out += acc when accumulate.
__device__ __forceinline__ void storeTile(float acc[4][4], float* out, const float* bias, int m0, int j0, int M, int J,
                          bool accumulate) {
    int t = threadIdx.x;
    int tx = t % 16, ty = t / 16;
    for (int i = 0; i < 4; i++) {
        int m = m0 + 4 * ty + i;
        if (m >= M) {
            continue;
        }
        for (int j = 0; j < 4; j++) {
            int col = j0 + 4 * tx + j;
            if (col < J) {
                size_t at = (size_t) m * J + col;
                if (accumulate) {
                    out[at] += acc[i][j];
                } else {
                    out[at] = bias != nullptr ? acc[i][j] + bias[col] : acc[i][j];
                }
            }
        }
    }
}

// Dense forward y[N, out] = x[N, in] · w[in, out] (+ bias[out]; bias may be null).
// Grid (⌈N/64⌉, ⌈out/64⌉), 256 threads.
extern "C" __global__ void __launch_bounds__(THREADS)
dense_forward(const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ bias,
              float* __restrict__ y, int n, int in, int out) {
    RowMajor a(x, in, n);
    ColMajor b(w, out, out);
    float acc[4][4];
    int m0 = blockIdx.x * TILE, j0 = blockIdx.y * TILE;
    tileProduct(a, b, m0, j0, 0, in, acc);
    storeTile(acc, y, bias, m0, j0, n, out, false);
}

// Dense input gradient dx[N, in] = dy[N, out] · wᵀ, w [in, out]. Grid (⌈N/64⌉, ⌈in/64⌉).
extern "C" __global__ void __launch_bounds__(THREADS)
dense_backward_input(const float* __restrict__ dy, const float* __restrict__ w, float* __restrict__ dx,
                     int n, int in, int out) {
    RowMajor a(dy, out, n);
    RowMajor b(w, out, in);
    float acc[4][4];
    int m0 = blockIdx.x * TILE, j0 = blockIdx.y * TILE;
    tileProduct(a, b, m0, j0, 0, out, acc);
    storeTile(acc, dx, nullptr, m0, j0, n, in, false);
}

// Dense weight gradient dw[in, out] += xᵀ · dy, x [N, in], dy [N, out]. Grid (⌈in/64⌉, ⌈out/64⌉).
extern "C" __global__ void __launch_bounds__(THREADS)
dense_backward_weight(const float* __restrict__ x, const float* __restrict__ dy, float* __restrict__ dw,
                      int n, int in, int out) {
    ColMajor a(x, in, in);
    ColMajor b(dy, out, out);
    float acc[4][4];
    int m0 = blockIdx.x * TILE, j0 = blockIdx.y * TILE;
    tileProduct(a, b, m0, j0, 0, n, acc);
    storeTile(acc, dw, nullptr, m0, j0, in, out, true);
}

// im2col · B: out[N, outH, outW, J] = im2col(in) · w (+ bias[J]; may be null), w row-major [KH·KW·inC, J].
// Grid (⌈N·outH·outW/64⌉, ⌈J/64⌉).
extern "C" __global__ void __launch_bounds__(THREADS)
conv_im2col_product(const float* __restrict__ in, const float* __restrict__ w, const float* __restrict__ bias,
                    float* __restrict__ out, int batch, int inH, int inW, int inC, int kH, int kW, int stride,
                    int outH, int outW, int channels) {
    Geometry g{batch, inH, inW, inC, kH, kW, stride, outH, outW};
    Im2colRows a(in, g);
    ColMajor b(w, channels, channels);
    float acc[4][4];
    int m0 = blockIdx.x * TILE, j0 = blockIdx.y * TILE;
    tileProduct(a, b, m0, j0, 0, kH * kW * inC, acc);
    storeTile(acc, out, bias, m0, j0, batch * outH * outW, channels, false);
}

// im2colᵀ · D for one chunk of pixels: partial[z, KH·KW·inC, J] = Σ_{p in chunk z} im2col(in)[p, ·]ᵀ · d[p, ·],
// d row-major [N·outH·outW, J], chunk z = pixels [z·chunk, (z+1)·chunk). Grid (⌈Kd/64⌉, ⌈J/64⌉, chunks).
extern "C" __global__ void __launch_bounds__(THREADS)
conv_im2col_transposed_product(const float* __restrict__ in, const float* __restrict__ d,
                               float* __restrict__ partial, int batch, int inH, int inW, int inC, int kH, int kW,
                               int stride, int outH, int outW, int channels, int chunk) {
    Geometry g{batch, inH, inW, inC, kH, kW, stride, outH, outW};
    int pixels = batch * outH * outW;
    int depth = kH * kW * inC;
    Im2colCols a(in, g);
    ColMajor b(d, channels, channels);
    float acc[4][4];
    int m0 = blockIdx.x * TILE, j0 = blockIdx.y * TILE;
    int kBegin = blockIdx.z * chunk;
    int kEnd = min(pixels, kBegin + chunk);
    tileProduct(a, b, m0, j0, kBegin, kEnd, acc);
    storeTile(acc, partial + (size_t) blockIdx.z * depth * channels, nullptr, m0, j0, depth, channels, false);
}

// dst[i] += Σ_z partial[z, i] over z = 0 … chunks−1 in order. Any grid covering size.
extern "C" __global__ void add_chunk_partials(const float* __restrict__ partial, int chunks, int size,
                                              float* __restrict__ dst) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < size; i += gridDim.x * blockDim.x) {
        float sum = 0.0f;
        for (int z = 0; z < chunks; z++) {
            sum += partial[(size_t) z * size + i];
        }
        dst[i] += sum;
    }
}

// gather: out[N, outH, outW, J] = Σ over the taps of each pixel's phase of in[N, inH, inW, inC] · w[KH, KW, J, inC]
// (+ bias[J]; may be null). Every output pixel is written, pixels no tap reaches get the bias (or 0).
// Grid (⌈N·⌈outH/s⌉·⌈outW/s⌉/64⌉, ⌈J/64⌉, s·s): blockIdx.z is the phase.
extern "C" __global__ void __launch_bounds__(THREADS)
conv_gather_product(const float* __restrict__ in, const float* __restrict__ w, const float* __restrict__ bias,
                    float* __restrict__ out, int batch, int inH, int inW, int inC, int kH, int kW, int stride,
                    int outH, int outW, int channels) {
    Geometry g{batch, inH, inW, inC, kH, kW, stride, outH, outW};
    Phase ph(g, blockIdx.z);
    int pixels = ph.pixels(g);
    int m0 = blockIdx.x * TILE, j0 = blockIdx.y * TILE;
    if (m0 >= pixels) {
        return;  // the whole block: phases other than (0, 0) may hold fewer pixels
    }
    GatherRows a(in, g, ph);
    GatherWeights b(w, g, ph, channels);
    float acc[4][4];
    tileProduct(a, b, m0, j0, 0, ph.depth(g), acc);
    int t = threadIdx.x;
    int tx = t % 16, ty = t / 16;
    for (int i = 0; i < 4; i++) {
        int q = m0 + 4 * ty + i;
        if (q >= pixels) {
            continue;
        }
        int qx = q % ph.rowsX;
        int rest = q / ph.rowsX;
        int qy = rest % ph.rowsY;
        int n = rest / ph.rowsY;
        size_t row = ((size_t) (n * outH + stride * qy + ph.ry) * outW + stride * qx + ph.rx) * channels;
        for (int j = 0; j < 4; j++) {
            int col = j0 + 4 * tx + j;
            if (col < channels) {
                out[row + col] = bias != nullptr ? acc[i][j] + bias[col] : acc[i][j];
            }
        }
    }
}
