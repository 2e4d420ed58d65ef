"""PyTorch's side of the GPU benchmarks (bench/Wick.Bench.Cuda measures Wick's): the same cases,
the same sizes, timed the same way (CUDA events, median of repeated runs after warm-up).
Usage: python3 torch_bench.py [--json path] [--quick]"""
import json
import sys

import torch


def median_ms(op, iters):
    for _ in range(3):
        op()
    torch.cuda.synchronize()
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(iters):
        start.record()
        op()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2]


def main():
    quick = "--quick" in sys.argv
    out = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    dev = torch.device("cuda:0")
    props = torch.cuda.get_device_properties(dev)
    print(f"device: {props.name}, torch {torch.__version__}")
    results = []
    n = 1 << 24 if quick else 1 << 28
    iters = 5 if quick else 20
    a = torch.rand(n, device=dev)
    b = torch.rand(n, device=dev)
    c = torch.empty(n, device=dev)
    nbytes = n * 4.0
    ms = median_ms(lambda: c.copy_(a), iters)
    results.append((f"copy {n >> 20}M f32 (device to device)", "GB/s", 2 * nbytes / ms / 1e6, ms))
    ms = median_ms(lambda: a + b, iters)
    results.append((f"add {n >> 20}M f32", "GB/s", 3 * nbytes / ms / 1e6, ms))
    ms = median_ms(lambda: a.sum(), iters)
    results.append((f"sum {n >> 20}M f32", "GB/s", nbytes / ms / 1e6, ms))
    del a, b, c
    torch.cuda.empty_cache()

    m = 2048 if quick else 8192
    flops = 2.0 * m ** 3
    for name, dtype, tf32 in (("f32", torch.float32, False), ("tf32", torch.float32, True), ("bf16", torch.bfloat16, False)):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        x = torch.randn(m, m, device=dev, dtype=dtype)
        y = torch.randn(m, m, device=dev, dtype=dtype)
        ms = median_ms(lambda: torch.matmul(x, y), iters)
        results.append((f"matmul {m}^3 {name}", "TFLOP/s", flops / ms / 1e9, ms))
    torch.backends.cuda.matmul.allow_tf32 = False

    for case, unit, value, ms in results:
        print(f"{case:<40} {value:10.1f} {unit:<8} ({ms:.3f} ms)")
    if out:
        with open(out, "w") as f:
            json.dump({"device": props.name, "torch": torch.__version__,
                       "results": [{"case": c, "unit": u, "value": v, "ms": t} for c, u, v, t in results]}, f)


if __name__ == "__main__":
    main()
