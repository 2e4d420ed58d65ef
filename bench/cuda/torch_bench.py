"""PyTorch's side of the GPU benchmarks (bench/Wick.Bench.Cuda measures Wick's): the same cases,
the same sizes, timed the same way (CUDA events, median of repeated runs after warm-up).
Usage: python3 torch_bench.py [--json path] [--quick] [--only SECTION] [--iters N]
Sections (as Wick.Bench.Cuda's): elementwise, matmul, rows, steps, cnn-layers, conv."""
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


def train_step(name, make, input_shape, dev, iters, autocast=None):
    """Steps per second of one forward, backward and SGD-momentum step (cross-entropy over 10 classes);
    autocast: the forward and the loss run under CUDA autocast with that dtype."""
    torch.manual_seed(0)
    model = make().to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randn(*input_shape, device=dev)
    y = torch.randint(0, 10, (input_shape[0],), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=autocast or torch.float16, enabled=autocast is not None):
            loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    ms = median_ms(step, iters)
    return (name, "steps/s", 1000 / ms, ms)


def conv_dtypes(batch, dev, iters):
    """One 3x3 convolution of a ResNet stage (64 -> 64, 56x56), forward + backward, in each floating dtype."""
    results = []
    for name, dtype in (("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16)):
        torch.manual_seed(0)
        conv = torch.nn.Conv2d(64, 64, 3, padding=1).to(dev, dtype)
        x32 = torch.randn(batch, 64, 56, 56, device=dev)
        x = x32.to(dtype).requires_grad_()
        g = x32.to(dtype)

        def both():
            conv.zero_grad(set_to_none=True)
            x.grad = None
            conv(x).backward(g)

        ms = median_ms(both, iters)
        results.append((f"conv 64->64 3x3 56x56 b{batch} {name} fwd+bwd", "calls/s", 1000 / ms, ms))
    return results


def cnn_layers(batch, dev, iters):
    """Each layer of the CNN alone on the activations it sees: forward as in training, and forward + backward."""
    nn = torch.nn
    layers = [
        ("conv1 1->32 28x28", lambda: nn.Conv2d(1, 32, 3, padding=1), (batch, 1, 28, 28)),
        ("bn1 32ch 28x28", lambda: nn.BatchNorm2d(32), (batch, 32, 28, 28)),
        ("relu 32ch 28x28", lambda: nn.ReLU(), (batch, 32, 28, 28)),
        ("pool1 32ch 28x28", lambda: nn.MaxPool2d(2), (batch, 32, 28, 28)),
        ("conv2 32->64 14x14", lambda: nn.Conv2d(32, 64, 3, padding=1), (batch, 32, 14, 14)),
        ("bn2 64ch 14x14", lambda: nn.BatchNorm2d(64), (batch, 64, 14, 14)),
        ("pool2 64ch 14x14", lambda: nn.MaxPool2d(2), (batch, 64, 14, 14)),
        ("linear 3136->10", lambda: nn.Linear(64 * 7 * 7, 10), (batch, 64 * 7 * 7)),
    ]
    results = []
    torch.manual_seed(0)
    for name, make, shape in layers:
        layer = make().to(dev)
        x = torch.randn(*shape, device=dev, requires_grad=True)
        g = torch.randn_like(layer(x))

        def both():
            layer.zero_grad(set_to_none=True)
            x.grad = None
            layer(x).backward(g)

        fwd = median_ms(lambda: layer(x), iters)
        fb = median_ms(both, iters)
        results.append((f"cnn b{batch} {name} fwd", "calls/s", 1000 / fwd, fwd))
        results.append((f"cnn b{batch} {name} fwd+bwd", "calls/s", 1000 / fb, fb))
    logits = torch.randn(batch, 10, device=dev, requires_grad=True)
    target = torch.randint(0, 10, (batch,), device=dev)
    ce = nn.CrossEntropyLoss()

    def ce_both():
        logits.grad = None
        ce(logits, target).backward()

    fb = median_ms(ce_both, iters)
    results.append((f"cnn b{batch} cross-entropy fwd+bwd", "calls/s", 1000 / fb, fb))
    return results


SECTIONS = ("elementwise", "matmul", "rows", "steps", "cnn-layers", "conv")


def main():
    quick = "--quick" in sys.argv
    out = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    if only is not None and only not in SECTIONS:
        sys.exit(f"torch_bench.py: unknown section '{only}' (sections: {', '.join(SECTIONS)})")
    want = lambda section: only is None or only == section
    dev = torch.device("cuda:0")
    props = torch.cuda.get_device_properties(dev)
    print(f"device: {props.name}, torch {torch.__version__}")
    results = []
    n = 1 << 24 if quick else 1 << 28
    iters = int(sys.argv[sys.argv.index("--iters") + 1]) if "--iters" in sys.argv else (5 if quick else 20)
    if want("elementwise"):
        elementwise(results, n, dev, iters)
    if want("matmul"):
        matmul(results, 2048 if quick else 8192, dev, iters)
    if want("rows"):
        rows_section(results, n, dev, iters)
    mlp_batch, cnn_batch = (512, 64) if quick else (4096, 512)
    if want("steps"):
        steps(results, mlp_batch, cnn_batch, dev, iters)
    if want("cnn-layers"):
        results.extend(cnn_layers(cnn_batch, dev, iters))
        torch.cuda.empty_cache()
    if want("conv"):
        results.extend(conv_dtypes(8 if quick else 64, dev, iters))
        torch.cuda.empty_cache()

    for case, unit, value, ms in results:
        print(f"{case:<40} {value:10.1f} {unit:<8} ({ms:.3f} ms)")
    if out:
        with open(out, "w") as f:
            json.dump({"device": props.name, "torch": torch.__version__,
                       "results": [{"case": c, "unit": u, "value": v, "ms": t} for c, u, v, t in results]}, f)


def elementwise(results, n, dev, iters):
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


def matmul(results, m, dev, iters):
    flops = 2.0 * m ** 3
    for name, dtype, tf32 in (("f32", torch.float32, False), ("tf32", torch.float32, True), ("bf16", torch.bfloat16, False)):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        x = torch.randn(m, m, device=dev, dtype=dtype)
        y = torch.randn(m, m, device=dev, dtype=dtype)
        ms = median_ms(lambda: torch.matmul(x, y), iters)
        results.append((f"matmul {m}^3 {name}", "TFLOP/s", flops / ms / 1e9, ms))
    torch.backends.cuda.matmul.allow_tf32 = False
    del x, y
    torch.cuda.empty_cache()


def rows_section(results, n, dev, iters):
    cols = 4096
    rows = n // 4 // cols
    x = torch.randn(rows, cols, device=dev)
    moved = 2.0 * rows * cols * 4
    ms = median_ms(lambda: torch.softmax(x, 1), iters)
    results.append((f"softmax {rows}x{cols} f32", "GB/s", moved / ms / 1e6, ms))
    ms = median_ms(lambda: torch.nn.functional.layer_norm(x, (cols,)), iters)
    results.append((f"layer_norm {rows}x{cols} f32", "GB/s", moved / ms / 1e6, ms))
    del x
    torch.cuda.empty_cache()


def steps(results, mlp_batch, cnn_batch, dev, iters):
    nn = torch.nn
    results.append(train_step(f"mlp 784-512-512-10 b{mlp_batch} train step",
                              lambda: nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                                                    nn.Linear(512, 10)), (mlp_batch, 784), dev, iters))
    results.append(train_step(f"cnn conv-bn-relu-pool x2 b{cnn_batch} train step",
                              lambda: nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                                                    nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64),
                                                    nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 7 * 7, 10)),
                              (cnn_batch, 1, 28, 28), dev, iters))

    cnn = lambda: nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                                nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                                nn.Flatten(), nn.Linear(64 * 7 * 7, 10))
    results.append(train_step(f"cnn conv-bn-relu-pool x2 b{cnn_batch} autocast f16 train step", cnn, (cnn_batch, 1, 28, 28),
                              dev, iters, autocast=torch.float16))


if __name__ == "__main__":
    main()
