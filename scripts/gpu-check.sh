#!/usr/bin/env bash
# The CUDA checks, on a GPU machine without Java: run from the repository root with the .gpu/ folder that
# scripts/gpu-bundle.sh made carried along. With the device tool (see its README): carry [".gpu"] and the command
# `bash scripts/gpu-check.sh` (or carry [".gpu-golden"] and `bash scripts/gpu-check.sh .gpu-golden`); logs and run
# files go to $OUT (or /tmp/gpu-check), a summary is printed last.
#
# Default bundle: the CUDA op tests against the CPU backend, 300 MNIST steps CPU against CUDA, the seed's 5-epoch
# run on CUDA, ms per step on CUDA and on the CPU, PyTorch's step on the GPU with TF32 off and on, and the checkpoint
# read back by Python's safetensors, the evaluation classifier trained on CUDA and the seed run scored with it on
# CUDA and on the CPU, each preset's 10-epoch run on all images scored the same way. SKIP_TIMINGS=1 leaves out the
# CPU and PyTorch timings, SKIP_PRESETS=1 the preset runs. Golden bundle (gpu-bundle.sh --golden): the golden step on
# CUDA.
set -uo pipefail
cd "$(dirname "$0")/.."
bundle=${1:-.gpu}
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
[ -f "$bundle/jre.tar.xz" ] || { echo "error: no $bundle/ here: run scripts/gpu-bundle.sh and carry .gpu" >&2; exit 1; }
rm -rf /tmp/dcgan4j-jre && mkdir -p /tmp/dcgan4j-jre && tar -C /tmp/dcgan4j-jre -xJf "$bundle/jre.tar.xz"
java=/tmp/dcgan4j-jre/jre/bin/java
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.library.path="$bundle/native"
       -Ddcgan4j.shared="$bundle/shared")
libs="$bundle/lib/*"
summary=()
note() { summary+=("$1"); echo "== $1"; }

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee "$out/gpu.txt"

tests=(--select-class io.dcgan4j.engine.backend.cuda.CudaBackendOpsTest --select-class io.dcgan4j.engine.gan.CudaTrainingTest)
if [ -d "$bundle/shared/reference/golden" ]; then
    tests=(--select-class io.dcgan4j.engine.gan.CudaGoldenStepTest)
fi
"$java" "${flags[@]}" -cp "$bundle/tests/*:$libs" org.junit.platform.console.ConsoleLauncher execute \
    "${tests[@]}" --details=tree --disable-banner --reports-dir "$out/junit" 2>&1 | tee "$out/junit.log"
note "JUnit (${tests[*]}): exit ${PIPESTATUS[0]}; $(grep -E 'containers aborted|tests (successful|failed|skipped|aborted)' "$out/junit.log" | tr -s ' ' | tr '\n' ' ')"

if [ -d "$bundle/shared/data/mnist" ]; then
    cli=("$java" "${flags[@]}" -cp "$bundle/dcgan4j.jar:$libs" io.dcgan4j.cli.Main)
    "${cli[@]}" info 2>&1 | tee "$out/info.txt"
    # Median ms per step over each run's steps after the first epoch (JIT warm-up and PTX loading excluded).
    median() { awk -F, 'NR > 1 && $1 > 1 { print $7 }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "n/a") }'; }
    start=$(date +%s.%N)
    "${cli[@]}" train --device cuda --data "$bundle/shared/data/mnist" --seed 1 --out "$out/cuda-run" 2>&1 \
        | tee "$out/cuda-run.log" | grep -v '^epoch:'
    note "seed run on cuda: exit ${PIPESTATUS[0]}, $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s wall, median $(median "$out/cuda-run/metrics.csv") ms/step"
    # The evaluation classifier trained on the GPU, then the seed run scored with it on the GPU and on the CPU.
    start=$(date +%s.%N)
    "${cli[@]}" train-classifier --device cuda --data "$bundle/shared/data/mnist" --out "$out/classifier.safetensors" \
        2>&1 | tee "$out/classifier.log"
    note "classifier on cuda: exit ${PIPESTATUS[0]}, $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s wall, $(grep 'test accuracy' "$out/classifier.log")"
    for dev in cuda cpu; do
        "${cli[@]}" eval --device $dev --checkpoint "$out/cuda-run/checkpoint.safetensors" --data \
            "$bundle/shared/data/mnist" --classifier "$out/classifier.safetensors" --out "$out/eval-$dev.json" 2>&1 \
            | tee "$out/eval-$dev.log"
        note "eval on $dev: $(grep -E 'eval of|FCD' "$out/eval-$dev.log" | tr -s ' ' | tr '\n' ' ')"
    done
    # Each preset's longer run (10 epochs on all images) on the GPU, scored with the same classifier.
    if [ -z "${SKIP_PRESETS:-}" ]; then
        for preset in seed seed-text dcgan-paper; do
            "${cli[@]}" train --device cuda --preset $preset --data "$bundle/shared/data/mnist" --samples all \
                --epochs 10 --seed 1 --out "$out/preset-$preset" 2>&1 | grep -v '^epoch:' >"$out/preset-$preset.log"
            "${cli[@]}" eval --device cuda --checkpoint "$out/preset-$preset/checkpoint.safetensors" --data \
                "$bundle/shared/data/mnist" --classifier "$out/classifier.safetensors" 2>&1 \
                | tee -a "$out/preset-$preset.log" >/dev/null
            note "preset $preset, 10 epochs on cuda: $(grep -E 'FCD|classifier score|entropy' "$out/preset-$preset.log" | tr -s ' ' | tr '\n' ' ')"
        done
    fi
    if [ -z "${SKIP_TIMINGS:-}" ]; then
        "${cli[@]}" train --device cpu --data "$bundle/shared/data/mnist" --seed 1 --epochs 2 --out /tmp/cpu-run 2>&1 \
            | tee "$out/cpu-run.log" | grep -v '^epoch:'
        note "same run on the cpu ($(nproc) threads), 2 epochs: median $(median /tmp/cpu-run/metrics.csv) ms/step"
        for tf32 in off on; do
            python3 "$bundle/shared/reference/pytorch/dcgan_ref.py" --bench --device cuda --tf32 $tf32 2>&1 \
                | tee "$out/pytorch-tf32-$tf32.log" | tail -3
            note "PyTorch, tf32 $tf32: $(grep -m1 'TRAIN STEP' "$out/pytorch-tf32-$tf32.log")"
        done
    fi
    note "safetensors: $(python3 -c "
from safetensors.numpy import load_file
from safetensors import safe_open
d = load_file('$out/cuda-run/checkpoint.safetensors')
with safe_open('$out/cuda-run/checkpoint.safetensors', 'np') as f:
    m = f.metadata()
print(len(d), 'tensors; g_convT2_kernel', d['g_convT2_kernel'].shape, d['g_convT2_kernel'].dtype, '; steps', m['steps'])
" 2>&1 | tail -1)"
fi

echo
echo "== summary"
printf '%s\n' "${summary[@]}" | tee "$out/summary.txt"
