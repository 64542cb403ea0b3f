#!/usr/bin/env bash
# Runs the CUDA kernels on the host (a thread per CUDA thread, kernels/src/test/cuda/host_emulation.h) against plain
# double loops, for developing kernels on a machine without a GPU; AddressSanitizer catches reads out of bounds. Needs
# g++ with C++20; takes a few minutes. The checks use small and awkward shapes; the engine's GPU tests cover the
# model's shapes on a real device.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(mktemp -d)/kernel_check"
g++ -std=c++20 -O1 -pthread -fsanitize=address,undefined -o "$bin" "$root/kernels/src/test/cuda/kernel_check.cpp"
"$bin"
