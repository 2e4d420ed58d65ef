#!/bin/sh
# Builds the native library with the GEMM benchmark and runs it: sgemm 64^3 .. 2048^3, 1 and 2 threads,
# against OpenBLAS in the same run. Writes artifacts/bench/gemm.json. Extra arguments go to the program
# (--sizes 64,1024 --budget 2).
set -e
cd "$(dirname "$0")/../.."
cmake -S native -B artifacts/obj/native/Release -G Ninja -DCMAKE_BUILD_TYPE=Release -DWICK_BUILD_BENCH=ON >/dev/null
cmake --build artifacts/obj/native/Release --target wick_gemm_bench
mkdir -p artifacts/bench
exec artifacts/obj/native/Release/bench/wick_gemm_bench "$@"
