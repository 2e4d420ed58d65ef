#!/usr/bin/python3
"""The PyTorch side of bench/Wick.Bench: measures the cases named on the command line with Debian's
python3-torch (1.13, run with /usr/bin/python3 and OPENBLAS_CORETYPE=SkylakeX) and prints one JSON
object {case: value} in the units Wick.Bench uses (null for a case it does not know). Warm-up, then
the median of several samples, as on the Wick side.
"""
import argparse
import json
import statistics
import time

import torch

N = 16 << 20
CLOCK = time.perf_counter


def per_call(body, calls=1, warmup=3, samples=11):
    for _ in range(warmup):
        for _ in range(calls):
            body()
    times = []
    for _ in range(samples):
        t0 = CLOCK()
        for _ in range(calls):
            body()
        times.append((CLOCK() - t0) / calls)
    return statistics.median(times)


def add_1elem_overhead():
    a, b = torch.ones(1), torch.full((1,), 2.0)

    def body():
        c = a + b
        del c

    return per_call(body, calls=200_000, samples=7) * 1e9


def add_16M_alloc():
    a, b = torch.ones(N), torch.ones(N)
    return per_call(lambda: a + b, samples=21) * 1e3


def add_16M_inplace():
    a, b = torch.ones(N), torch.ones(N)
    return per_call(lambda: a.add_(b), samples=21) * 1e3


def sum_16M():
    a = torch.ones(N)
    return per_call(lambda: a.sum(), samples=21) * 1e3


def sum_dim0_4096x4096():
    a = torch.ones(4096, 4096)
    return per_call(lambda: a.sum(0), samples=21) * 1e3


def unary(fn):
    def case():
        a = torch.randn(N)
        return per_call(lambda: fn(a), samples=11) * 1e3
    return case


CASES = {
    "add_1elem_overhead": add_1elem_overhead,
    "add_16M_alloc": add_16M_alloc,
    "add_16M_inplace": add_16M_inplace,
    "sum_16M": sum_16M,
    "sum_dim0_4096x4096": sum_dim0_4096x4096,
    "exp_16M": unary(torch.exp),
    "tanh_16M": unary(torch.tanh),
    "gelu_16M": unary(torch.nn.functional.gelu),
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--cases", default=",".join(CASES))
    p.add_argument("--cpu-time", action="store_true", help="process CPU time instead of wall-clock time")
    args = p.parse_args()
    global CLOCK
    if args.cpu_time:
        CLOCK = time.process_time
    torch.set_num_threads(args.threads)
    out = {}
    with torch.no_grad():
        for name in args.cases.split(","):
            fn = CASES.get(name)
            out[name] = fn() if fn else None
    print(json.dumps(out))


if __name__ == "__main__":
    main()
