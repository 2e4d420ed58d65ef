#!/usr/bin/env bash
# Checks the CUDA backend (native/src/cuda) on a machine without CUDA: clang parses every .cu file
# in CUDA mode, for the host and for the device (sm_80, compiled down to PTX), against the API
# subset in native/src/cuda/emu/include and clang's own device headers; the .cpp files of the
# backend are parsed as C++. It catches syntax, type and overload errors, device code calling
# host-only functions, and it counts the kernels each file instantiates (the nvcc compile-time
# estimate). It cannot catch nvcc-only diagnostics or anything about the real headers' contents.
#
# Usage: scripts/cuda-syntax-check.sh [-v] [file.cu ...]     (CLANG=clang++-14 to pick a compiler)
# Exit status: 0 when every file passes.
set -u -o pipefail
cd "$(dirname "$0")/.."

CLANG=${CLANG:-clang++}
VERBOSE=0
if [[ "${1:-}" == "-v" ]]; then VERBOSE=1; shift; fi
if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "cuda-syntax-check: $CLANG not found (install clang, or set CLANG)" >&2
    exit 2
fi

SRC=native/src/cuda
OUT=${CUDA_CHECK_OUT:-artifacts/obj/cuda-check}
mkdir -p "$OUT"
COMMON=(-std=c++20 -Wall -Wextra -Wno-unused-parameter -Wno-unknown-cuda-version
        -isystem "$SRC/emu/include" -I native/include -I native/src)
CUDA=(-x cuda --cuda-gpu-arch=sm_80 -nocudainc -nocudalib -Xclang -target-feature -Xclang +ptx70
      -include "$SRC/emu/clang_prelude.h")

if [[ $# -gt 0 ]]; then files=("$@"); else files=("$SRC"/*.cu "$SRC"/*.cpp); fi

failed=0
total_kernels=0
start=$(date +%s)
printf '%-34s %8s %8s\n' "file" "kernels" "seconds"
for f in "${files[@]}"; do
    name=$(basename "$f")
    t0=$(date +%s.%N)
    log="$OUT/$name.log"
    kernels="-"
    if [[ "$f" == *.cu ]]; then
        ok=1
        "$CLANG" "${COMMON[@]}" "${CUDA[@]}" --cuda-host-only -fsyntax-only "$f" >"$log" 2>&1 || ok=0
        if [[ $ok == 1 ]]; then
            "$CLANG" "${COMMON[@]}" "${CUDA[@]}" --cuda-device-only -O2 -S -o "$OUT/${name%.cu}.ptx" "$f" >>"$log" 2>&1 || ok=0
        fi
        if [[ $ok == 1 ]]; then
            kernels=$(grep -c '^\.visible \.entry\|^\.entry\|^\.weak \.entry' "$OUT/${name%.cu}.ptx" || true)
            total_kernels=$((total_kernels + kernels))
        fi
    else
        ok=1
        "$CLANG" "${COMMON[@]}" -x c++ -fsyntax-only "$f" >"$log" 2>&1 || ok=0
    fi
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    if [[ $ok == 1 ]]; then
        printf '%-34s %8s %8s\n' "$name" "$kernels" "$secs"
        if [[ $VERBOSE == 1 && -s "$log" ]]; then cat "$log"; fi
    else
        printf '%-34s %8s %8s  FAILED\n' "$name" "$kernels" "$secs"
        grep -E 'error|note' "$log" | head -40
        failed=$((failed + 1))
    fi
done
end=$(date +%s)
echo "kernels instantiated: $total_kernels; files failed: $failed; $((end - start)) s"
[[ $failed == 0 ]]
