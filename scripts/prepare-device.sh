#!/usr/bin/env bash
# Runs HERE, on the CPU machine (the GPU machine has no .NET SDK): publishes the test project
# (its own NUnit runner) and the GPU benchmark self-contained for linux-x64 into one folder,
# checks that the runner starts, and packs it into .device/runner.tar.xz (gitignored). Then run
#   device tool: command "bash scripts/device-check.sh", carry [".device"]
# which builds libwick with CUDA there and runs the tests and benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
STAGE=.device/runner
rm -rf .device && mkdir -p "$STAGE"
common=(-c Release -r linux-x64 --self-contained true -p:DebugType=none -p:GenerateDocumentationFile=false)
echo "== publishing tests/Wick.Tests"
dotnet publish tests/Wick.Tests/Wick.Tests.csproj "${common[@]}" -o "$STAGE" >/tmp/prepare-device-tests.log 2>&1 ||
    { tail -30 /tmp/prepare-device-tests.log; exit 1; }
echo "== publishing bench/Wick.Bench.Cuda into the same folder (shares the runtime files)"
dotnet publish bench/Wick.Bench.Cuda/Wick.Bench.Cuda.csproj "${common[@]}" -o "$STAGE" >/tmp/prepare-device-bench.log 2>&1 ||
    { tail -30 /tmp/prepare-device-bench.log; exit 1; }
# The GPU machine builds its own libwick.so and libwick_cuda.so (device-check.sh copies them in).
rm -f "$STAGE"/libwick_cuda.so
echo "== smoke test of the published runner (no GPU here: the CUDA tests report skipped)"
(cd "$STAGE" && ./Wick.Tests --filter "FullyQualifiedName~CudaDeviceTests" | grep -E "total:|failed:|succeeded:|skipped:")
(cd "$STAGE" && ./Wick.Bench.Cuda --quick || true) | head -2
echo "== packing"
tar -C .device -cf - runner | xz -T0 -6 >.device/runner.tar.xz
rm -rf "$STAGE"
size=$(du -m .device/runner.tar.xz | cut -f1)
tree=$(git ls-files -z | xargs -0 du -cm 2>/dev/null | tail -1 | cut -f1)
echo ".device/runner.tar.xz: ${size} MiB; tracked tree: ${tree} MiB; total $((size + tree)) MiB (limit 64)"
if (( size + tree > 60 )); then echo "too large for the device tool" >&2; exit 1; fi
