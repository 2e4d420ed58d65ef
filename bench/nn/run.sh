#!/bin/sh
# Builds and runs the NN benchmark (conv2d, softmax, layer_norm) with PyTorch (/usr/bin/python3) as the
# peer in the same run. Writes artifacts/bench/nn.json. Arguments: --threads N --budget SECONDS.
set -e
cd "$(dirname "$0")/../.."
cmake -S native -B artifacts/obj/native/Release -G Ninja -DCMAKE_BUILD_TYPE=Release -DWICK_BUILD_BENCH=ON >/dev/null
cmake --build artifacts/obj/native/Release --target wick_nn_bench
mkdir -p artifacts/bench
exec artifacts/obj/native/Release/bench/nn/wick_nn_bench "$@"
