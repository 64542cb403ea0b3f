// Checks every CUDA kernel against plain double loops on small and awkward shapes, on the host (host_emulation.h),
// with the launch configurations the Java launchers use (io.dcgan4j.kernels.cuda.CudaKernels). For machines without
// a GPU; the GPU tests in the engine compare the real thing with the CPU backend. Run scripts/check-cuda-kernels-on-cpu.sh.
#include "host_emulation.h"
#include "../../main/cuda/gemm.cu"
#include "../../main/cuda/reduce.cu"
#include "../../main/cuda/elementwise.cu"

#include <cstdio>
#include <random>
#include <string>

static int failures = 0;
static std::mt19937 rng(7);

static std::vector<float> randoms(size_t n) {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

static void check(const std::string& what, const std::vector<double>& expected, const std::vector<float>& actual,
                  double tol) {
    double worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < expected.size(); i++) {
        double e = std::fabs(expected[i] - actual[i]) / std::max(1.0, std::fabs(expected[i]));
        if (!(e <= worst)) { worst = e; at = i; }
    }
    bool ok = worst <= tol && expected.size() == actual.size();
    if (!ok) failures++;
    std::printf("%-4s %-60s max rel err %.2e at %zu\n", ok ? "ok" : "FAIL", what.c_str(), worst, at);
}

static unsigned cdiv(long a, long b) { return (unsigned) ((a + b - 1) / b); }

struct Conv {
    bool transposed; int n, h, w, c, kh, kw, s, o, oh, ow;
    std::string name() const {
        char b[160];
        std::snprintf(b, sizeof b, "%s N%d %dx%dx%d k%dx%d s%d -> %dx%dx%d", transposed ? "convT" : "conv", n, h, w,
                      c, kh, kw, s, oh, ow, o);
        return b;
    }
};

static Conv conv2d(int n, int h, int w, int c, int kh, int kw, int s, int o) {
    return {false, n, h, w, c, kh, kw, s, o, (h - kh) / s + 1, (w - kw) / s + 1};
}

static Conv convT(int n, int h, int w, int c, int kh, int kw, int s, int o) {
    return {true, n, h, w, c, kh, kw, s, o, h * s + std::max(kh - s, 0), w * s + std::max(kw - s, 0)};
}

// Visits every (input pixel, tap) pair of the layer with the flat offsets of x, y and the kernel row (di,dj,·,·).
template <class F> static void taps(const Conv& g, F f) {
    for (int n = 0; n < g.n; n++)
        for (int a = 0; a < (g.transposed ? g.h : g.oh); a++)
            for (int b = 0; b < (g.transposed ? g.w : g.ow); b++)
                for (int di = 0; di < g.kh; di++)
                    for (int dj = 0; dj < g.kw; dj++) {
                        // Conv2D: (a, b) is the output pixel; Conv2DTranspose: the input pixel.
                        int sy = g.s * a + di, sx = g.s * b + dj;
                        size_t xi = g.transposed ? (((size_t) n * g.h + a) * g.w + b) * g.c
                                                 : (((size_t) n * g.h + sy) * g.w + sx) * g.c;
                        size_t yi = g.transposed ? (((size_t) n * g.oh + sy) * g.ow + sx) * g.o
                                                 : (((size_t) n * g.oh + a) * g.ow + b) * g.o;
                        f(xi, yi, di * g.kw + dj);
                    }
}

static void checkConv(const Conv& g, int forcedChunk) {
    size_t xs = (size_t) g.n * g.h * g.w * g.c, ys = (size_t) g.n * g.oh * g.ow * g.o,
           ks = (size_t) g.kh * g.kw * g.c * g.o;
    auto x = randoms(xs), w = randoms(ks), bias = randoms(g.o), dy = randoms(ys), dw0 = randoms(ks);
    // Kernel element for input channel c and output channel o at tap t, in the layer's Keras layout.
    auto kidx = [&](int t, int c, int o) {
        return g.transposed ? ((size_t) t * g.o + o) * g.c + c : ((size_t) t * g.c + c) * g.o + o;
    };
    std::vector<double> y(ys), dx(xs, 0.0), dw(dw0.begin(), dw0.end());
    for (size_t p = 0; p < ys; p += g.o)
        for (int o = 0; o < g.o; o++) y[p + o] = bias[o];
    taps(g, [&](size_t xi, size_t yi, int t) {
        for (int c = 0; c < g.c; c++)
            for (int o = 0; o < g.o; o++) {
                size_t k = kidx(t, c, o);
                y[yi + o] += (double) x[xi + c] * w[k];
                dx[xi + c] += (double) dy[yi + o] * w[k];
                dw[k] += (double) x[xi + c] * dy[yi + o];
            }
    });
    std::vector<float> gy(ys, NAN), gdx(xs, NAN), gdw(dw0);
    // Forward and input gradient: an im2col product where the conv reads its window, a gather where it scatters.
    auto im2col = [&](const float* in, int inH, int inW, int inC, const float* wt, const float* b, float* out,
                      int outH, int outW, int ch) {
        launch({cdiv((long) g.n * outH * outW, TILE), cdiv(ch, TILE), 1}, {THREADS, 1, 1}, [&] {
            conv_im2col_product(in, wt, b, out, g.n, inH, inW, inC, g.kh, g.kw, g.s, outH, outW, ch);
        });
    };
    auto gather = [&](const float* in, int inH, int inW, int inC, const float* wt, const float* b, float* out,
                      int outH, int outW, int ch) {
        launch({cdiv((long) g.n * cdiv(outH, g.s) * cdiv(outW, g.s), TILE), cdiv(ch, TILE), (unsigned) (g.s * g.s)},
               {THREADS, 1, 1}, [&] {
            conv_gather_product(in, wt, b, out, g.n, inH, inW, inC, g.kh, g.kw, g.s, outH, outW, ch);
        });
    };
    auto wgrad = [&](const float* in, int inH, int inW, int inC, const float* d, int outH, int outW, int ch) {
        long pixels = (long) g.n * outH * outW;
        int depth = g.kh * g.kw * inC;
        int chunk = forcedChunk > 0 ? forcedChunk : (int) pixels;
        unsigned chunks = cdiv(pixels, chunk);
        std::vector<float> partial((size_t) chunks * depth * ch, NAN);
        launch({cdiv(depth, TILE), cdiv(ch, TILE), chunks}, {THREADS, 1, 1}, [&] {
            conv_im2col_transposed_product(in, d, partial.data(), g.n, inH, inW, inC, g.kh, g.kw, g.s, outH, outW,
                                           ch, chunk);
        });
        launch({cdiv(depth * ch, 256), 1, 1}, {256, 1, 1}, [&] {
            add_chunk_partials(partial.data(), (int) chunks, depth * ch, gdw.data());
        });
    };
    if (!g.transposed) {
        im2col(x.data(), g.h, g.w, g.c, w.data(), bias.data(), gy.data(), g.oh, g.ow, g.o);
        gather(dy.data(), g.oh, g.ow, g.o, w.data(), nullptr, gdx.data(), g.h, g.w, g.c);
        wgrad(x.data(), g.h, g.w, g.c, dy.data(), g.oh, g.ow, g.o);
    } else {
        gather(x.data(), g.h, g.w, g.c, w.data(), bias.data(), gy.data(), g.oh, g.ow, g.o);
        im2col(dy.data(), g.oh, g.ow, g.o, w.data(), nullptr, gdx.data(), g.h, g.w, g.c);
        wgrad(dy.data(), g.oh, g.ow, g.o, x.data(), g.h, g.w, g.c);
    }
    // Float sums of up to ~1000 terms of size ~1 that partly cancel: errors of a few 1e-6 are rounding, not bugs.
    check(g.name() + " forward", y, gy, 5e-5);
    check(g.name() + " backward input", dx, gdx, 5e-5);
    check(g.name() + " backward weight (chunk " + std::to_string(forcedChunk) + ")", dw, gdw, 5e-5);
}

static void checkDense(int n, int in, int out, bool bias) {
    auto x = randoms((size_t) n * in), w = randoms((size_t) in * out), b = randoms(out), dy = randoms((size_t) n * out),
         dw0 = randoms((size_t) in * out);
    std::vector<double> y((size_t) n * out), dx((size_t) n * in), dw(dw0.begin(), dw0.end());
    for (int r = 0; r < n; r++)
        for (int j = 0; j < out; j++) {
            double s = bias ? b[j] : 0.0;
            for (int k = 0; k < in; k++) s += (double) x[r * in + k] * w[k * out + j];
            y[r * out + j] = s;
        }
    for (int r = 0; r < n; r++)
        for (int i = 0; i < in; i++) {
            double s = 0;
            for (int j = 0; j < out; j++) s += (double) dy[r * out + j] * w[i * out + j];
            dx[r * in + i] = s;
        }
    for (int i = 0; i < in; i++)
        for (int j = 0; j < out; j++)
            for (int r = 0; r < n; r++) dw[i * out + j] += (double) x[r * in + i] * dy[r * out + j];
    std::vector<float> gy((size_t) n * out, NAN), gdx((size_t) n * in, NAN), gdw(dw0);
    launch({cdiv(n, TILE), cdiv(out, TILE), 1}, {THREADS, 1, 1},
           [&] { dense_forward(x.data(), w.data(), bias ? b.data() : nullptr, gy.data(), n, in, out); });
    launch({cdiv(n, TILE), cdiv(in, TILE), 1}, {THREADS, 1, 1},
           [&] { dense_backward_input(dy.data(), w.data(), gdx.data(), n, in, out); });
    launch({cdiv(in, TILE), cdiv(out, TILE), 1}, {THREADS, 1, 1},
           [&] { dense_backward_weight(x.data(), dy.data(), gdw.data(), n, in, out); });
    std::string name = "dense N" + std::to_string(n) + " " + std::to_string(in) + "->" + std::to_string(out);
    check(name + " forward", y, gy, 5e-5);
    check(name + " backward input", dx, gdx, 5e-5);
    check(name + " backward weight", dw, gdw, 5e-5);
}

// Column reductions with the block shape the Java launcher picks: CW = min(32, next power of two ≥ C).
static void columnSums(int term, const float* a, const float* b, const double* centre, const float* mean,
                       const float* invStd, int rows, int cols, int rowsPerChunk, double* partial) {
    unsigned cw = 1;
    while (cw < (unsigned) cols && cw < 32) cw *= 2;
    launch({cdiv(cols, cw), cdiv(rows, rowsPerChunk), 1}, {cw, 256 / cw, 1}, [&] {
        column_partial_sums(a, b, centre, mean, invStd, term, rows, cols, rowsPerChunk, partial);
    });
}

static void checkBatchNorm(int rows, int cols, int rowsPerChunk) {
    auto x = randoms((size_t) rows * cols), gamma = randoms(cols), beta = randoms(cols), dy = randoms((size_t) rows * cols),
         dGamma0 = randoms(cols), dBeta0 = randoms(cols);
    for (auto& v : x) v = 3.0f + 2.0f * v;
    std::vector<double> y((size_t) rows * cols), mean(cols), var(cols), dx((size_t) rows * cols), dG(cols), dB(cols);
    for (int c = 0; c < cols; c++) {
        double s = 0, q = 0;
        for (int r = 0; r < rows; r++) s += x[(size_t) r * cols + c];
        mean[c] = s / rows;
        for (int r = 0; r < rows; r++) q += std::pow(x[(size_t) r * cols + c] - mean[c], 2);
        var[c] = q / rows;
        double inv = 1 / std::sqrt(var[c] + 1e-3), sdy = 0, sdx = 0;
        for (int r = 0; r < rows; r++) {
            size_t i = (size_t) r * cols + c;
            y[i] = gamma[c] * (x[i] - mean[c]) * inv + beta[c];
            sdy += dy[i];
            sdx += dy[i] * (x[i] - mean[c]) * inv;
        }
        for (int r = 0; r < rows; r++) {
            size_t i = (size_t) r * cols + c;
            double xhat = (x[i] - mean[c]) * inv;
            dx[i] = gamma[c] * inv * (dy[i] - sdy / rows - xhat * sdx / rows);
        }
        dG[c] = dGamma0[c] + sdx;
        dB[c] = dBeta0[c] + sdy;
    }
    int chunks = (int) cdiv(rows, rowsPerChunk);
    std::vector<double> partial((size_t) chunks * cols), partial2((size_t) chunks * cols), meanD(cols);
    std::vector<float> gmean(cols), gvar(cols), ginv(cols), scale(cols), gy((size_t) rows * cols), coef(3 * cols),
        gdx((size_t) rows * cols), gdG(dGamma0), gdB(dBeta0);
    unsigned cg = cdiv(cols, 256);
    columnSums(TERM_VALUE, x.data(), nullptr, nullptr, nullptr, nullptr, rows, cols, rowsPerChunk, partial.data());
    launch({cg, 1, 1}, {256, 1, 1}, [&] { batch_norm_mean(partial.data(), chunks, cols, rows, meanD.data(), gmean.data()); });
    columnSums(TERM_CENTRED_SQUARE, x.data(), nullptr, meanD.data(), nullptr, nullptr, rows, cols, rowsPerChunk,
               partial.data());
    launch({cg, 1, 1}, {256, 1, 1},
           [&] { batch_norm_variance(partial.data(), chunks, cols, rows, 1e-3f, gvar.data(), ginv.data()); });
    launch({cg, 1, 1}, {256, 1, 1}, [&] { batch_norm_training_scale(gamma.data(), ginv.data(), cols, scale.data()); });
    launch({3, 1, 1}, {256, 1, 1},
           [&] { batch_norm_apply(x.data(), gmean.data(), scale.data(), beta.data(), rows, cols, gy.data()); });
    columnSums(TERM_VALUE, dy.data(), nullptr, nullptr, nullptr, nullptr, rows, cols, rowsPerChunk, partial.data());
    columnSums(TERM_DY_XHAT, x.data(), dy.data(), nullptr, gmean.data(), ginv.data(), rows, cols, rowsPerChunk,
               partial2.data());
    launch({cg, 1, 1}, {256, 1, 1}, [&] {
        batch_norm_backward_sums(partial.data(), partial2.data(), chunks, cols, rows, gamma.data(), ginv.data(),
                                 gdG.data(), gdB.data(), coef.data());
    });
    launch({2, 1, 1}, {256, 1, 1}, [&] {
        batch_norm_backward_input(x.data(), dy.data(), gmean.data(), ginv.data(), coef.data(), rows, cols, gdx.data());
    });
    std::string name = "batch norm " + std::to_string(rows) + "x" + std::to_string(cols) + " chunk " +
                       std::to_string(rowsPerChunk);
    check(name + " mean", mean, gmean, 1e-6);
    check(name + " variance", var, gvar, 1e-6);
    check(name + " forward", y, gy, 1e-5);
    check(name + " backward dx", dx, gdx, 1e-4);
    check(name + " dGamma", dG, gdG, 1e-5);
    check(name + " dBeta", dB, gdB, 1e-5);
    std::vector<float> mm(cols, 0.5f), mv(cols, 2.0f);
    std::vector<double> emm(cols), emv(cols);
    for (int c = 0; c < cols; c++) {
        emm[c] = 0.99 * 0.5 + 0.01 * (double) gmean[c];
        emv[c] = 0.99 * 2.0 + 0.01 * (double) gvar[c] * rows / std::max(rows - 1, 1);
    }
    launch({cg, 1, 1}, {256, 1, 1},
           [&] { batch_norm_moving_averages(mm.data(), mv.data(), gmean.data(), gvar.data(), cols, rows, 0.99f); });
    check(name + " moving mean", emm, mm, 1e-6);
    check(name + " moving variance", emv, mv, 1e-6);
    std::vector<double> yi((size_t) rows * cols);
    for (size_t i = 0; i < yi.size(); i++) {
        int c = (int) (i % cols);
        yi[i] = gamma[c] * (x[i] - (double) mm[c]) / std::sqrt((double) mv[c] + 1e-3) + beta[c];
    }
    launch({cg, 1, 1}, {256, 1, 1},
           [&] { batch_norm_inference_scale(gamma.data(), mv.data(), 1e-3f, cols, scale.data()); });
    launch({5, 1, 1}, {256, 1, 1},
           [&] { batch_norm_apply(x.data(), mm.data(), scale.data(), beta.data(), rows, cols, gy.data()); });
    check(name + " inference", yi, gy, 1e-5);
    std::vector<float> bias(dBeta0);
    std::vector<double> eb(cols);
    for (int c = 0; c < cols; c++) {
        eb[c] = dBeta0[c];
        for (int r = 0; r < rows; r++) eb[c] += dy[(size_t) r * cols + c];
    }
    columnSums(TERM_VALUE, dy.data(), nullptr, nullptr, nullptr, nullptr, rows, cols, rowsPerChunk, partial.data());
    launch({cg, 1, 1}, {256, 1, 1}, [&] { column_sums_add(partial.data(), chunks, cols, bias.data()); });
    check(name + " column sums (bias gradient)", eb, bias, 1e-6);
}

static void checkPointwise(int n) {
    auto x = randoms(n), dy = randoms(n);
    for (auto& v : x) v *= 20.0f;
    std::vector<double> lr(n), lrb(n), th(n), thb(n);
    for (int i = 0; i < n; i++) {
        lr[i] = x[i] > 0 ? x[i] : 0.2f * x[i];
        lrb[i] = x[i] > 0 ? dy[i] : 0.2f * dy[i];
        th[i] = (float) std::tanh((double) x[i]);
        thb[i] = dy[i] * (1.0 - th[i] * th[i]);
    }
    std::vector<float> a(n), b(n);
    launch({3, 1, 1}, {256, 1, 1}, [&] { leaky_relu_forward(x.data(), a.data(), n, 0.2f); });
    launch({3, 1, 1}, {256, 1, 1}, [&] { leaky_relu_backward(x.data(), dy.data(), b.data(), n, 0.2f); });
    check("leaky relu forward " + std::to_string(n), lr, a, 0);
    check("leaky relu backward", lrb, b, 0);
    launch({2, 1, 1}, {256, 1, 1}, [&] { tanh_forward(x.data(), a.data(), n); });
    launch({2, 1, 1}, {256, 1, 1}, [&] { tanh_backward(a.data(), dy.data(), b.data(), n); });
    check("tanh forward", th, a, 1e-7);
    check("tanh backward", thb, b, 1e-7);
    // BCE against label 1 and 0, n up to a few hundred.
    for (float label : {1.0f, 0.0f}) {
        double sum = 0;
        std::vector<double> grad(n);
        for (int i = 0; i < n; i++) {
            double v = x[i], s = 1 / (1 + std::exp(-v));
            sum += std::max(v, 0.0) - v * label + std::log1p(std::exp(-std::fabs(v)));
            grad[i] = (s - label) / n;
        }
        std::vector<float> loss(1), g(n);
        launch({1, 1, 1}, {256, 1, 1}, [&] { binary_cross_entropy(x.data(), n, label, g.data(), loss.data()); });
        check("bce loss label " + std::to_string((int) label), {sum / n}, loss, 1e-6);
        check("bce gradient", grad, g, 1e-6);
    }
    // Adam, step 3, against the float formula.
    auto p = randoms(n), gr = randoms(n), m = randoms(n), v = randoms(n);
    for (auto& q : v) q = std::fabs(q);
    float alpha = (float) (1e-3 * std::sqrt(1 - std::pow(0.999, 3)) / (1 - std::pow(0.9, 3)));
    std::vector<double> ep(n);
    for (int i = 0; i < n; i++) {
        float mi = m[i] + (gr[i] - m[i]) * (1 - 0.9f), vi = v[i] + (gr[i] * gr[i] - v[i]) * (1 - 0.999f);
        ep[i] = p[i] - (mi * alpha) / (std::sqrt(vi) + 1e-7f);
    }
    launch({2, 1, 1}, {256, 1, 1},
           [&] { adam_update(p.data(), gr.data(), m.data(), v.data(), n, alpha, 1 - 0.9f, 1 - 0.999f, 1e-7f); });
    check("adam", ep, p, 0);
}

int main() {
    checkDense(3, 70, 130, true);
    checkDense(65, 100, 17, false);
    checkDense(4, 2304, 1, true);
    checkConv(conv2d(2, 7, 9, 3, 3, 3, 2, 5), 0);
    checkConv(conv2d(2, 7, 9, 3, 3, 3, 2, 5), 16);
    checkConv(conv2d(1, 13, 13, 64, 3, 3, 2, 70), 32);
    checkConv(conv2d(2, 6, 6, 128, 2, 2, 2, 3), 0);
    checkConv(conv2d(1, 20, 19, 3, 9, 9, 2, 1), 48);
    checkConv(conv2d(2, 8, 8, 2, 2, 1, 3, 4), 16);
    checkConv(convT(2, 3, 3, 20, 3, 3, 3, 7), 0);
    checkConv(convT(2, 4, 3, 9, 5, 5, 2, 66), 16);
    checkConv(convT(1, 5, 4, 70, 4, 4, 3, 3), 32);
    checkConv(convT(2, 3, 2, 5, 2, 3, 3, 4), 16);
    checkConv(convT(1, 2, 3, 4, 1, 1, 1, 2), 0);
    checkBatchNorm(70, 3, 16);
    checkBatchNorm(300, 40, 64);
    checkBatchNorm(9, 257, 4);
    checkPointwise(700);
    checkPointwise(5);
    std::printf("%s: %d failed\n", failures ? "FAILED" : "all passed", failures);
    return failures ? 1 : 0;
}
