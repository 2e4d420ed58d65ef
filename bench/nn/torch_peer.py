"""The PyTorch side of bench/nn: times the same cases as nn_bench.cpp and prints one JSON object
per line: {"case": ..., "ms": median milliseconds}; the first line names the version. Run with Debian's
/usr/bin/python3 (PyTorch 1.13) here.

usage: torch_peer.py THREADS BUDGET_SECONDS [wall|cpu]   (cpu: the thread's CPU time; 1 thread only)
"""
import json
import sys
import time

import torch


CLOCK = time.perf_counter


def median_ms(fn, budget):
    fn()
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (len(times) < 300 and time.perf_counter() - start < budget):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    times.sort()
    return times[len(times) // 2] * 1e3


def main():
    global CLOCK
    threads = int(sys.argv[1])
    budget = float(sys.argv[2])
    if len(sys.argv) > 3 and sys.argv[3] == "cpu":
        CLOCK = time.thread_time
    torch.set_num_threads(threads)
    print(json.dumps({"case": "version " + torch.__version__, "ms": 0}), flush=True)
    torch.manual_seed(0)
    with torch.no_grad():
        x = torch.randn(32, 3, 32, 32)
        w = torch.randn(64, 3, 3, 3)
        b = torch.randn(64)
        cases = {
            "conv2d N32 3->64 32x32 3x3 pad1": lambda: torch.nn.functional.conv2d(x, w, b, padding=1),
        }
        rows = torch.randn(4096, 1024)
        g = torch.randn(1024)
        beta = torch.randn(1024)
        cases["softmax 4096x1024"] = lambda: torch.softmax(rows, 1)
        cases["layer_norm 4096x1024"] = lambda: torch.nn.functional.layer_norm(rows, (1024,), g, beta)
        cases["copy 4096x1024 (clone)"] = lambda: rows.clone()
        # The backward kernels autograd calls, on the forward's saved results.
        grad = torch.randn(4096, 1024)
        soft = torch.softmax(rows, 1)
        _, mean, rstd = torch.native_layer_norm(rows, (1024,), g, beta, 1e-5)
        cases["softmax backward 4096x1024"] = lambda: torch._softmax_backward_data(grad, soft, 1, torch.float32)
        cases["layer_norm backward 4096x1024"] = lambda: torch.ops.aten.native_layer_norm_backward(
            grad, rows, (1024,), mean, rstd, g, beta, [True, True, True])
        for name, fn in cases.items():
            print(json.dumps({"case": name, "ms": median_ms(fn, budget)}), flush=True)


if __name__ == "__main__":
    main()
