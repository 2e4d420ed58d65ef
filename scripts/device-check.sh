#!/usr/bin/env bash
# Runs ON THE GPU MACHINE, from the repository root, as one command (about 5-8 minutes):
#   1. builds native/ with the CUDA backend (cmake + ninja; sm_90 only unless
#      WICK_CUDA_ARCHITECTURES says otherwise), failing fast with the compiler's errors;
#   2. unpacks the self-contained test runner and benchmark that scripts/prepare-device.sh
#      published on the CPU machine (.device/runner.tar.xz: that machine has no .NET SDK) and puts
#      the freshly built libwick.so and libwick_cuda.so beside them;
#   3. runs the CUDA tests (NUnit category Cuda) and prints their counts;
#   4. benchmarks Wick against PyTorch (python3) on the same GPU and prints the table last.
# Logs go to $OUT (the device tool's output folder, which brings back at most 8 files) or
# artifacts/device-out: table.txt, cuda_bench.json, tests.log, build.log and device-logs.tar.gz
# (everything else).
# Environment: WICK_CUDA_ARCHITECTURES (default 90-real), WICK_SKIP_TESTS=1, WICK_SKIP_BENCH=1,
# WICK_BENCH_QUICK=1 (small sizes), WICK_TEST_FILTER (default TestCategory=Cuda), WICK_PROFILE=1 (kernel
# times of some bench sections through ncu, scripts/device-profile.sh), WICK_MATMUL_REPEATS=N (the matmul
# section N more times, Wick and PyTorch alternated, with the median ratio), WICK_DEADLINE_S (default
# 540: the tests and benchmarks get timeouts that end the script by then, so its logs come back even when
# the device time left is short).
set -u -o pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/artifacts/device-out}
mkdir -p "$OUT"
LOGS=$(mktemp -d /tmp/wick-device-logs.XXXX)
finish() {
    for f in table.txt cuda_bench.json tests.log build.log profile.txt matmul_repeats.txt; do [[ -f "$LOGS/$f" ]] && cp "$LOGS/$f" "$OUT/"; done
    tar -czf "$OUT/device-logs.tar.gz" -C "$LOGS" . 2>/dev/null
}
trap finish EXIT
ARCH=${WICK_CUDA_ARCHITECTURES:-90-real}
BUILD=${WICK_DEVICE_BUILD:-/tmp/wick-device-build}
RUN=${WICK_DEVICE_RUN:-/tmp/wick-device-run}
JOBS=$(nproc 2>/dev/null || echo 8)
start_all=$(date +%s)
step() { echo; echo "=== $* ($(($(date +%s) - start_all)) s)"; }
DEADLINE=${WICK_DEADLINE_S:-540}
# Seconds a step may take: at most $1, and never past the deadline (less 15 s for the report).
budget() { local left=$((DEADLINE - ($(date +%s) - start_all) - 15)); (( left < $1 )) && echo $(( left > 5 ? left : 5 )) || echo "$1"; }

step "environment"
export PATH="$PATH:/usr/local/cuda/bin"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv,noheader 2>&1 | tee "$LOGS/gpu.txt"
(nvcc --version | tail -2; cmake --version | head -1; echo "ninja $(ninja --version)"; g++ --version | head -1) 2>&1 | tee "$LOGS/tools.txt"
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>&1 | tee -a "$LOGS/tools.txt"

step "build native with CUDA (architectures $ARCH, $JOBS jobs)"
t0=$(date +%s)
if ! cmake -S native -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWICK_CUDA=ON -DWICK_BUILD_TESTS=OFF \
        -DWICK_CUDA_ARCHITECTURES="$ARCH" >"$LOGS/configure.log" 2>&1; then
    echo "CMake configuration FAILED:"; tail -40 "$LOGS/configure.log"; exit 1
fi
grep -E "Wick:|CUDA" "$LOGS/configure.log" | head -5
if ! cmake --build "$BUILD" --target wick_runtime -j "$JOBS" -- -k 0 >"$LOGS/build.log" 2>&1; then
    echo "BUILD FAILED after $(($(date +%s) - t0)) s; compiler errors:"
    grep -E -A3 "error|Error" "$LOGS/build.log" | head -120
    exit 1
fi
echo "built in $(($(date +%s) - t0)) s: $(ls -la "$BUILD"/libwick.so "$BUILD"/libwick_cuda.so | awk '{print $5, $9}' | tr '\n' ' ')"
grep -c "warning" "$LOGS/build.log" | xargs echo "compiler warnings:"

step "unpack the runner"
rm -rf "$RUN" && mkdir -p "$RUN"
if [[ ! -f .device/runner.tar.xz ]]; then echo "missing .device/runner.tar.xz: run scripts/prepare-device.sh on the CPU machine and carry .device"; exit 1; fi
xz -dc -T0 .device/runner.tar.xz | tar -x -C "$RUN"  # -T0: multi-threaded (the archive is multi-block)
cp "$BUILD"/libwick.so "$BUILD"/libwick_cuda.so "$RUN/runner/"
ldd "$RUN/runner/libwick_cuda.so" | grep -E "cublas|not found" | tee "$LOGS/ldd.txt"

tests_line="tests: skipped"
if [[ "${WICK_SKIP_TESTS:-0}" != 1 ]]; then
    step "CUDA tests"
    FILTER=${WICK_TEST_FILTER:-TestCategory=Cuda}
    (cd "$RUN/runner" && timeout $(budget 240) ./Wick.Tests --filter "$FILTER" 2>&1) >"$LOGS/tests.log"
    rc=$?
    grep -E "^(failed|skipped) " "$LOGS/tests.log" | head -60
    grep -A12 -E "^failed " "$LOGS/tests.log" | head -150 >"$LOGS/failures.txt"
    head -60 "$LOGS/failures.txt"
    total=$(grep -E "^\s+total:" "$LOGS/tests.log" | awk '{print $2}')
    passed=$(grep -E "^\s+succeeded:" "$LOGS/tests.log" | awk '{print $2}')
    failed=$(grep -E "^\s+failed:" "$LOGS/tests.log" | awk '{print $2}')
    skipped=$(grep -E "^\s+skipped:" "$LOGS/tests.log" | awk '{print $2}')
    tests_line="tests ($FILTER): ${passed:-?} passed, ${failed:-?} failed, ${skipped:-?} skipped of ${total:-?} (exit $rc)"
    echo "$tests_line"
fi

if [[ "${WICK_SKIP_BENCH:-0}" != 1 ]]; then
    step "benchmarks: Wick"
    quick=""
    [[ "${WICK_BENCH_QUICK:-0}" == 1 ]] && quick="--quick"
    (cd "$RUN/runner" && timeout $(budget 180) ./Wick.Bench.Cuda --json "$LOGS/wick_bench.json" $quick) 2>&1 | tee "$LOGS/wick_bench.log"
    step "benchmarks: PyTorch"
    timeout $(budget 180) python3 bench/cuda/torch_bench.py --json "$LOGS/torch_bench.json" $quick 2>&1 | tee "$LOGS/torch_bench.log"
fi

if [[ "${WICK_MATMUL_REPEATS:-0}" -gt 0 ]]; then
    # cuBLAS's 8192^3 rates vary by about 5% between runs (on both sides): the matmul section again, Wick and
    # PyTorch alternated, 50 products per dtype each time, and the median ratio.
    step "matmul: Wick and PyTorch alternated ${WICK_MATMUL_REPEATS} times"
    for r in $(seq 1 "$WICK_MATMUL_REPEATS"); do
        (cd "$RUN/runner" && timeout $(budget 60) ./Wick.Bench.Cuda --only matmul --iters 50 --json "$LOGS/wick_mm_$r.json") >/dev/null 2>&1
        timeout $(budget 60) python3 bench/cuda/torch_bench.py --only matmul --iters 50 --json "$LOGS/torch_mm_$r.json" >/dev/null 2>&1
    done
    python3 - "$LOGS" <<'PY' | tee "$LOGS/matmul_repeats.txt"
import glob, json, statistics, sys
def runs(side):
    by_case = {}
    for f in sorted(glob.glob(f"{sys.argv[1]}/{side}_mm_*.json")):
        for r in json.load(open(f))["results"]:
            by_case.setdefault(r["case"], []).append(r["value"])
    return by_case
wick, torch = runs("wick"), runs("torch")
print(f"{'case':24} {'wick TFLOP/s, each run':34} {'torch TFLOP/s, each run':34} median ratio")
for case, w in wick.items():
    t = torch.get(case, [])
    if not t:
        continue
    ratios = [a / b for a, b in zip(w, t)]
    print(f"{case:24} {' '.join(f'{v:6.1f}' for v in w):34} {' '.join(f'{v:6.1f}' for v in t):34} {statistics.median(ratios):.3f}")
PY
fi

if [[ "${WICK_PROFILE:-0}" == 1 ]]; then
    step "kernel profile (ncu)"
    timeout $(budget 300) bash scripts/device-profile.sh "$RUN" "$LOGS" 2>&1 | tee "$LOGS/profile.txt"
fi

step "done"
echo "$tests_line"
if [[ -f "$LOGS/wick_bench.json" && -f "$LOGS/torch_bench.json" ]]; then
    python3 bench/cuda/report.py "$LOGS/wick_bench.json" "$LOGS/torch_bench.json" "$LOGS/cuda_bench.json" | tee "$LOGS/table.txt"
fi
