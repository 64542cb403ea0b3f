#!/usr/bin/env bash
# Compiles the CUDA kernels (kernels/src/main/cuda/*.cu) into the PTX resources the CUDA backend loads, one module per
# source file. Run it after changing a .cu file and commit the result: users need only the NVIDIA driver, not nvcc.
#
# PTX for compute_75 (Turing and newer; the oldest target nvcc 13 has) is JIT-compiled by the driver for the GPU it
# runs on. nvcc 13 writes PTX ISA 9.0, which needs a CUDA 13 driver (r580 or newer). No -lineinfo, no -G: the output
# depends only on the sources and the nvcc version, so rebuilding without changes leaves the resources unchanged.
#
# Usage: scripts/build-cuda.sh            (nvcc from $NVCC, else PATH, else /usr/local/cuda/bin)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/kernels/src/main/cuda"
out="$root/kernels/src/main/resources/io/dcgan4j/kernels/cuda"
nvcc="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"

if [ ! -x "$nvcc" ]; then
  echo "build-cuda.sh: nvcc not found (set NVCC or install the CUDA toolkit)" >&2
  exit 1
fi
mkdir -p "$out"
for cu in "$src"/*.cu; do
  name="$(basename "$cu" .cu)"
  "$nvcc" -ptx -O3 -std=c++17 -arch=compute_75 -o "$out/$name.ptx" "$cu"
  echo "$name.ptx: $(grep -c '^\.visible \.entry' "$out/$name.ptx") kernels"
done
