#!/usr/bin/env bash
# Times one train step of the seed's DCGAN in PyTorch (shared/reference/pytorch/dcgan_ref.py, oneDNN transposed
# convolutions, OpenBLAS) and in dcgan4j (TrainStepBench through `./dcgan4j bench`), on the same thread count and
# batch, in alternating rounds, and prints each side's median step and their ratio. Installs nothing: it needs
# Debian's PyTorch for /usr/bin/python3 (the launcher builds dcgan4j when needed).
#
#   bench/compare-pytorch.sh [--threads N] [--batch N] [--rounds N]    (defaults: 2 threads, batch 256, 3 rounds)
#
# Both sides are timed alike: each waits until the machine is otherwise idle, times every step after its warm-up
# and reports the median (dcgan4j through JMH's sample mode, PyTorch over 20 or more steps). A round runs both, the
# side that went first going second in the next, so that a change in the shared machine's speed meets both. The
# shared/ folder is looked for beside the repository; set DCGAN4J_SHARED_DIR to use another.
set -euo pipefail
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# Taken relative to where the script is started from, before the cd below.
shared=$(realpath -m "${DCGAN4J_SHARED_DIR:-$(dirname "$script")/../../shared}")
cd "$(dirname "$script")/.."

threads=2
batch=256
rounds=3
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
        --batch) batch="${2:?--batch needs a value}"; shift 2 ;;
        --rounds) rounds="${2:?--rounds needs a value}"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$script" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

case "$rounds" in
    ''|*[!0-9]*|0) echo "error: --rounds needs a positive whole number, not '$rounds'" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
idle="$(pwd)/bench/run-when-idle.py"

# One dcgan4j measurement: prints its median and fastest step in ms.
time_dcgan4j() {
    local round=$1
    echo "== round $round, dcgan4j: TrainStepBench.trainStep, batch $batch, $threads threads (dcgan4j bench --fastest)"
    if ! "$python" "$idle" ./dcgan4j bench --include 'TrainStepBench.trainStep' --threads "$threads" --batch "$batch" \
            --fastest --warmup 8 --warmup-time 3s --iterations 8 --time 4s --json "$work/dcgan4j-$round.json" \
            >"$work/dcgan4j-$round.log" 2>&1; then
        cat "$work/dcgan4j-$round.log" >&2
        echo "error: the dcgan4j benchmark failed" >&2
        exit 1
    fi
    sed -n '/^benchmark /,$p' "$work/dcgan4j-$round.log"
    "$python" - "$work/dcgan4j-$round.json" >"$work/dcgan4j-$round.ms" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["benchmark"].endswith(".TrainStepBench.trainStep"):
        p = r["primaryMetric"]["scorePercentiles"]
        print("%.1f %.1f" % (p["50.0"], p["0.0"]))
PY
}

# One PyTorch measurement: prints its median and fastest step in ms.
time_pytorch() {
    local round=$1
    echo "== round $round, PyTorch: $ref --bench --convt onednn, batch $batch, $threads threads"
    LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        "$python" "$ref" --bench --convt onednn --threads "$threads" --batch "$batch" | tee "$work/pytorch-$round.log"
    sed -n 's/^TRAIN STEP batch [0-9]*: median \([0-9.]*\) ms  min \([0-9.]*\) ms.*/\1 \2/p' \
        "$work/pytorch-$round.log" >"$work/pytorch-$round.ms"
}

for round in $(seq "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
        time_dcgan4j "$round"; echo; time_pytorch "$round"
    else
        time_pytorch "$round"; echo; time_dcgan4j "$round"
    fi
    for side in dcgan4j pytorch; do
        if ! [ -s "$work/$side-$round.ms" ]; then
            echo "error: could not read $side's step time in round $round" >&2
            exit 1
        fi
    done
    echo
done

echo "== train step, batch $batch, $threads threads: median ms per step (fastest step)"
"$python" - "$work" "$rounds" <<'PY'
import statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
read = lambda side, r: [float(v) for v in open('%s/%s-%d.ms' % (work, side, r)).read().split()]
ratios = []
print('  round   dcgan4j            PyTorch            PyTorch / dcgan4j')
for r in range(1, rounds + 1):
    (d, dmin), (p, pmin) = read('dcgan4j', r), read('pytorch', r)
    ratios.append(p / d)
    print('  %5d   %7.1f (%7.1f)  %7.1f (%7.1f)  %.2f' % (r, d, dmin, p, pmin, p / d))
d = statistics.median(read('dcgan4j', r)[0] for r in range(1, rounds + 1))
p = statistics.median(read('pytorch', r)[0] for r in range(1, rounds + 1))
print('  median of the rounds: dcgan4j %.1f ms, PyTorch %.1f ms: PyTorch / dcgan4j = %.2f (%s; rounds %.2f to %.2f)'
      % (d, p, p / d, 'dcgan4j faster' if d < p else 'PyTorch faster', min(ratios), max(ratios)))
PY
echo "  (same step, same result; PyTorch's G step recomputes the generator forward that dcgan4j reuses, so its"
echo "   GFLOP/s count more FLOPs per step)"
