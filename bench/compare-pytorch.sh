#!/usr/bin/env bash
# Times one train step of the seed's DCGAN in PyTorch (shared/reference/pytorch/dcgan_ref.py, oneDNN transposed
# convolutions, OpenBLAS) and in dcgan4j (TrainStepBench through `./dcgan4j bench`), on the same thread count and batch, and prints
# both and their ratio. Installs nothing: it needs Debian's PyTorch for /usr/bin/python3 (the launcher builds dcgan4j when needed).
#
#   bench/compare-pytorch.sh [--threads N] [--batch N]        (defaults: 2 threads, batch 256)
#
# The shared/ folder is looked for beside the repository; set DCGAN4J_SHARED_DIR to use another. The PyTorch side
# waits until the machine is otherwise idle and repeats contended measurements, so on a busy machine it takes long.
set -euo pipefail
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# Taken relative to where the script is started from, before the cd below.
shared=$(realpath -m "${DCGAN4J_SHARED_DIR:-$(dirname "$script")/../../shared}")
cd "$(dirname "$script")/.."

threads=2
batch=256
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
        --batch) batch="${2:?--batch needs a value}"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$script" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

ref="$shared/reference/pytorch/dcgan_ref.py"
if [ ! -f "$ref" ]; then
    echo "error: $ref not found: put shared/ beside the repository or set DCGAN4J_SHARED_DIR" >&2
    exit 1
fi

python=/usr/bin/python3
if ! [ -x "$python" ] || ! "$python" -c 'import torch' 2>/dev/null; then
    echo "error: PyTorch is not installed for $python. Install Debian's build once (as root):" >&2
    echo "    apt-get install -y python3-torch libopenblas0-openmp" >&2
    exit 1
fi
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp
if [ ! -d "$openblas" ]; then
    echo "warning: $openblas is missing: PyTorch falls back to the reference BLAS (about 50 s a step);" >&2
    echo "         apt-get install -y libopenblas0-openmp" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== dcgan4j: TrainStepBench, batch $batch, $threads threads (./dcgan4j bench)"
if ! ./dcgan4j bench --include 'TrainStepBench' --threads "$threads" --batch "$batch" --warmup 6 --warmup-time 3s --iterations 5 --time 4s \
        --json "$work/dcgan4j.json" >"$work/dcgan4j.log" 2>&1; then
    cat "$work/dcgan4j.log" >&2
    echo "error: the dcgan4j benchmark failed" >&2
    exit 1
fi
sed -n '/^benchmark /,$p' "$work/dcgan4j.log"
dcgan4j_ms=$("$python" - "$work/dcgan4j.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["benchmark"].endswith(".TrainStepBench.trainStep"):
        print("%.1f" % r["primaryMetric"]["score"])
PY
)

echo
echo "== PyTorch: $ref --bench --convt onednn, batch $batch, $threads threads"
LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$python" "$ref" --bench --convt onednn --threads "$threads" --batch "$batch" | tee "$work/pytorch.log"
pytorch_ms=$(sed -n 's/^TRAIN STEP batch [0-9]*: median \([0-9.]*\) ms.*/\1/p' "$work/pytorch.log")
if [ -z "$pytorch_ms" ] || [ -z "$dcgan4j_ms" ]; then
    echo "error: could not read a step time (dcgan4j '$dcgan4j_ms', PyTorch '$pytorch_ms')" >&2
    exit 1
fi

echo
echo "== train step, batch $batch, $threads threads"
printf '  dcgan4j  %10.1f ms/step  (JMH average)\n' "$dcgan4j_ms"
printf '  PyTorch  %10.1f ms/step  (median)\n' "$pytorch_ms"
"$python" -c "import sys; d, p = float(sys.argv[1]), float(sys.argv[2]); print('  PyTorch / dcgan4j = %.2f (%s)' % (p / d, 'dcgan4j faster' if d < p else 'PyTorch faster'))" "$dcgan4j_ms" "$pytorch_ms"
echo "  (same step, same result; PyTorch's G step recomputes the generator forward that dcgan4j reuses, so its"
echo "   GFLOP/s count more FLOPs per step)"
