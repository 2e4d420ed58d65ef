#!/bin/sh
# The CPU checks this machine cannot do (it has no AVX-512), for a machine that can: run from the
# repository root on the GPU machine's host CPU. Builds the native library, runs the native tests on
# every ISA the CPU has (the GEMM and row kernels against float64 references), then sgemm on 1 and 2
# cores with PyTorch's CPU matmul as the peer, and a few AVX-512 blockings. Writes $OUT/cpu_check.log.
OUT=${OUT:-/tmp}
LOG="$OUT/cpu_check.log"
{
git log -1 --oneline 2>/dev/null
grep -m1 'model name' /proc/cpuinfo; nproc
echo "flags: $(grep -m1 -o -w 'avx2\|fma\|avx512f\|avx512bw\|avx512vl\|avx512_bf16\|amx_tile' /proc/cpuinfo | sort -u | tr '\n' ' ')"
test -d native/src/cpu/gemm || { echo "not the kernels-gemm-nn tree: nothing to check"; exit 3; }
GEN="-G Ninja"; command -v ninja >/dev/null || GEN=""
cmake -S native -B /tmp/wb $GEN -DCMAKE_BUILD_TYPE=Release -DWICK_BUILD_BENCH=ON -DWICK_CUDA=OFF >/dev/null &&
  cmake --build /tmp/wb -j 16 >/tmp/build.log 2>&1 || { tail -30 /tmp/build.log; exit 4; }
for isa in scalar avx2 avx512; do echo "== native tests, WICK_CPU_ISA=$isa"; WICK_CPU_ISA=$isa /tmp/wb/tests/wick_native_tests | grep -v '^  gemm: this' | tail -4; done
P1="taskset -c 0"; P2="taskset -c 0,1"
taskset -c 0 true 2>/dev/null || { P1=""; P2=""; echo "(taskset unavailable: threads not pinned)"; }
echo "== sgemm, Wick on core 0 / cores 0-1"
$P1 /tmp/wb/bench/wick_gemm_bench --threads 1 --budget 0.4 --json "$OUT/gemm_1t.json"
$P2 /tmp/wb/bench/wick_gemm_bench --threads 2 --budget 0.4 --json "$OUT/gemm_2t.json"
echo "== avx512 blocking at 1024 (mc,kc,nc), 1 core"
for b in 192,256,4096 144,384,4096 240,320,4096 96,512,4096 384,192,4096; do
  printf '%s ' "$b"; $P1 /tmp/wb/bench/wick_gemm_bench --threads 1 --sizes 1024 --budget 0.4 --blocking "$b" --json /tmp/x.json | grep '\^3'
done
echo "== conv2d / softmax / layer_norm against this machine's PyTorch, 1 core"
WICK_BENCH_PYTHON=python3 $P1 /tmp/wb/bench/nn/wick_nn_bench --threads 1 --budget 0.4 --rounds 2 --json "$OUT/nn_1t.json"
echo "== PyTorch CPU sgemm peer (GFLOP/s), same cores"
for t in 1 2; do
  P=$P1; [ "$t" = 2 ] && P=$P2
  $P python3 - "$t" <<'PY'
import sys, time, torch
t = int(sys.argv[1]); torch.set_num_threads(t)
for n in (64, 128, 256, 1024, 2048):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3): a @ b
    ts = []
    end = time.perf_counter() + 0.4
    while len(ts) < 5 or (time.perf_counter() < end and len(ts) < 300):
        t0 = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t0)
    ts.sort()
    print(f"torch {torch.__version__} sgemm {n}^3 {t}T {2 * n ** 3 / ts[len(ts) // 2] * 1e-9:.1f} GFLOP/s", flush=True)
PY
done
} 2>&1 | tee "$LOG"
