#!/usr/bin/python3
"""Peer measurements with PyTorch (Debian's python3-torch 1.13, CPU), run by bench/Wick.Bench in the same run.

Usage: /usr/bin/python3 bench/peers/torch_autograd.py <suite>
Prints one "case<TAB>value" line per case (times in ns). Each suite mirrors the C# suite of the same name.
"""
import statistics
import sys
import time

import torch

torch.set_num_threads(1)


def median_ns(rounds, per_round, body):
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        body()
        samples.append((time.perf_counter_ns() - t0) / per_round)
    return statistics.median(samples)


def time_adds(a, b):
    per_round = 20000

    def body():
        for _ in range(per_round):
            c = a + b  # noqa: F841 (freed, with its graph node, when rebound)

    for _ in range(5):
        body()
    return median_ns(31, per_round, body)


def chain_backward(length=1000):
    x = torch.ones(1, requires_grad=True)
    samples = []
    for r in range(230):
        y = x
        for _ in range(length):
            y = y * 1.0001
        t0 = time.perf_counter_ns()
        y.backward()
        ns = time.perf_counter_ns() - t0
        if r >= 30:
            samples.append(ns)
        x.grad = None
    return statistics.median(samples)


def autograd():
    a = torch.tensor([1.0])
    b = torch.tensor([2.0])
    yield "add_no_grad", time_adds(a, b)
    a.requires_grad_(True)
    b.requires_grad_(True)
    assert (a + b).grad_fn is not None
    yield "add_recorded", time_adds(a, b)
    yield "chain_backward", chain_backward()


SUITES = {"autograd": autograd}

if __name__ == "__main__":
    for name in sys.argv[1:] or SUITES:
        for case, value in SUITES[name]():
            print(f"{case}\t{value:.1f}", flush=True)
