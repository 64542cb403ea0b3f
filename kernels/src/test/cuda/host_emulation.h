// Runs the CUDA kernels of kernels/src/main/cuda on the host, for machines without a GPU: each block's threads are
// real threads meeting at a barrier for __syncthreads, blocks run one after another, so __shared__ can be a static.
// Only what those kernels use is emulated. Built and run by scripts/check-cuda-kernels-on-cpu.sh.
#pragma once

#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

struct uint3_ {
    unsigned x = 0, y = 0, z = 0;
};
struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};
struct float4 {
    float x, y, z, w;
};

inline thread_local uint3_ threadIdx;
inline uint3_ blockIdx;
inline dim3 blockDim, gridDim;
inline std::barrier<>* blockBarrier = nullptr;

#define __global__
#define __device__
#define __forceinline__
#define __restrict__ __restrict
#define __launch_bounds__(n)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

inline void __syncthreads() {
    blockBarrier->arrive_and_wait();
}

using std::max;
using std::min;

inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }

// Runs kernel() for every thread of every block of the grid.
inline void launch(dim3 grid, dim3 block, const std::function<void()>& kernel) {
    gridDim = grid;
    blockDim = block;
    unsigned threads = block.x * block.y * block.z;
    for (unsigned z = 0; z < grid.z; z++) {
        for (unsigned y = 0; y < grid.y; y++) {
            for (unsigned x = 0; x < grid.x; x++) {
                blockIdx = {x, y, z};
                std::barrier<> barrier(threads);
                blockBarrier = &barrier;
                std::vector<std::thread> pool;
                for (unsigned t = 0; t < threads; t++) {
                    pool.emplace_back([&, t] {
                        threadIdx = {t % block.x, (t / block.x) % block.y, t / (block.x * block.y)};
                        kernel();
                    });
                }
                for (auto& th : pool) {
                    th.join();
                }
            }
        }
    }
}
