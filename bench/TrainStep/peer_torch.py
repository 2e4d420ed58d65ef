# The PyTorch peer of bench/TrainStep: the same training steps (zero grad, forward, cross-entropy, backward,
# SGD step) on the same shapes, timed the same way (median of the step times after warm-up).
# Run by the bench with Debian's python3-torch: /usr/bin/python3 peer_torch.py <threads> <steps> [wall|cpu]
# (cpu: process CPU time per step, like the bench's --cpu-time).
# Prints one line per case: "<case> <median ms>".
import statistics
import sys
import time

import torch
import torch.nn as nn

threads = int(sys.argv[1])
steps = int(sys.argv[2])
clock = time.process_time if len(sys.argv) > 3 and sys.argv[3] == "cpu" else time.perf_counter
torch.set_num_threads(threads)
torch.manual_seed(0)
print(f"version {torch.__version__}", flush=True)


def mlp():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 10))


def bench(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    warm_until = time.perf_counter() + 2
    i = 0
    while i < max(50, steps // 10) or time.perf_counter() < warm_until:
        step()
        i += 1
    times = []
    for _ in range(steps):
        t0 = clock()
        step()
        times.append((clock() - t0) * 1000)
    return statistics.median(times)


x = torch.randn(128, 784)
y = torch.randint(0, 10, (128,))
print(f"mlp {bench(mlp(), x, y):.4f}", flush=True)
x = torch.randn(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))
print(f"cnn {bench(cnn(), x, y):.4f}", flush=True)
