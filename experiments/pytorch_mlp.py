#!/usr/bin/env python3
"""PyTorch baseline for dnnspace's MLP training and inference (docs/experiments.md).

Reads the IDX files itself (no torchvision). Three modes:
  train: SGD on softmax cross-entropy, per-epoch loss / train / test accuracy as JSON lines
  bench: training throughput at a batch size and inference throughput over the test set
  compare: largest differences between two weights files in dnnspace's format

With --dnnspace-start, train starts from the initial weights and uses the batch order that
`dnnspace train --seed S` uses (its SplitMix64 generator, reproduced bit for bit below), so
that the two trainings can be compared step by step rather than only statistically.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"{directory}: no {stem}[.gz]")


def load(directory):
    def images(stem):
        return torch.from_numpy(read_idx(find(directory, stem)).reshape(-1, 784).astype(np.float32) / 255.0)

    def labels(stem):
        return torch.from_numpy(read_idx(find(directory, stem)).astype(np.int64))

    return (images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte"),
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


MASK64 = (1 << 64) - 1


class SplitMix64:
    """dnnspace's generator (include/dnnspace/engine/rng.hpp), bit for bit."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def below(self, bound):
        return self.next() % bound


# Trainer's batch-order stream: SplitMix64(seed ^ this) (src/engine/trainer.cpp).
SHUFFLE_STREAM = 0x5DEECE66D


def dnnspace_init(model, seed):
    """make_sequential's weights: per layer, weight [out, in] then bias, each value
    float32((2 u - 1) / sqrt(fan_in)) with u the generator's next uniform in [0, 1)."""
    rng = SplitMix64(seed)
    with torch.no_grad():
        for layer in model:
            if not isinstance(layer, torch.nn.Linear):
                continue
            bound = 1.0 / math.sqrt(layer.in_features)
            for tensor in (layer.weight, layer.bias):
                values = [(2.0 * rng.uniform() - 1.0) * bound for _ in range(tensor.numel())]
                tensor.copy_(torch.tensor(np.array(values, dtype=np.float64).astype(np.float32)).reshape(tensor.shape))


def dnnspace_order(rng, n):
    """Trainer::train_epoch's Fisher-Yates shuffle of 0..n-1."""
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.below(i + 1)
        order[i], order[j] = order[j], order[i]
    return torch.tensor(order, dtype=torch.int64)


def write_weights(path, model, name, activation):
    """dnnspace's weights file (docs/engine.md): DNNSWTS1, name, activation, parameters."""
    def text(t):
        b = t.encode()
        return struct.pack("<I", len(b)) + b

    params = []
    linear = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
    for i, layer in enumerate(linear):
        params += [(f"fc{i + 1}.weight", layer.weight), (f"fc{i + 1}.bias", layer.bias)]
    out = b"DNNSWTS1" + text(name) + text(activation) + struct.pack("<I", len(params))
    for pname, t in params:
        v = t.detach().contiguous().numpy().astype("<f4")
        out += text(pname) + struct.pack("<I", v.ndim) + struct.pack("<" + "q" * v.ndim, *v.shape) + v.tobytes()
    with open(path, "wb") as f:
        f.write(out)


def read_weights(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"DNNSWTS1":
        raise SystemExit(f"{path}: not a dnnspace weights file")
    pos = 8

    def take(fmt):
        nonlocal pos
        values = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return values

    def text():
        nonlocal pos
        (n,) = take("<I")
        pos += n
        return data[pos - n:pos].decode()

    text(), text()
    params = {}
    for _ in range(take("<I")[0]):
        pname = text()
        (rank,) = take("<I")
        shape = take("<" + "q" * rank)
        count = int(np.prod(shape))
        params[pname] = np.frombuffer(data, dtype="<f4", count=count, offset=pos).reshape(shape)
        pos += 4 * count
    return params


def compare(args):
    a, b = read_weights(args.files[0]), read_weights(args.files[1])
    if a.keys() != b.keys():
        raise SystemExit("the files have different parameters")
    result = {}
    for pname in a:
        diff = np.abs(a[pname].astype(np.float64) - b[pname].astype(np.float64))
        scale = np.abs(a[pname]).max()
        result[pname] = {"max_abs_diff": float(diff.max()), "max_abs_value": float(scale),
                         "identical_fraction": float((diff == 0).mean())}
    return {"parameters": result}


def make_mlp(sizes, activation):
    act = {"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[activation]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(act())
    return torch.nn.Sequential(*layers)


def accuracy(model, x, y, batch=1000):
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def train(args, data):
    x_train, y_train, x_test, y_test = data
    if args.train_limit > 0:
        x_train, y_train = x_train[:args.train_limit], y_train[:args.train_limit]
    model = make_mlp(args.sizes, args.activation)
    if args.dnnspace_start:
        dnnspace_init(model, args.seed)
        order_rng = SplitMix64(args.seed ^ SHUFFLE_STREAM)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    # The batch order's generator is seeded from the global one after the initialisation, as
    # DataLoader(shuffle=True) does. Seeded with args.seed itself, it would replay the very
    # mt19937 stream that drew the initial weights (torch.manual_seed(args.seed) in main), so
    # the first epoch's order would be a function of fc1's weights.
    gen = torch.Generator().manual_seed(int(torch.randint(0, 2 ** 62, (1,)).item()))
    epochs, step_losses = [], []
    for epoch in range(1, args.epochs + 1):
        if args.dnnspace_start:
            order = dnnspace_order(order_rng, len(x_train))
        else:
            order = torch.randperm(len(x_train), generator=gen)
        loss_sum, correct = 0.0, 0
        for i in range(0, len(order), args.batch):
            idx = order[i:i + args.batch]
            xb, yb = x_train[idx], y_train[idx]
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            step_losses.append(loss.item())
            correct += (logits.argmax(1) == yb).sum().item()
        row = {"epoch": epoch, "loss": loss_sum / len(x_train), "train_accuracy": correct / len(x_train),
               "test_accuracy": accuracy(model, x_test, y_test)}
        print(json.dumps(row), flush=True)
        epochs.append(row)
    if args.weights_out:
        write_weights(args.weights_out, model, "mlp-" + "-".join(map(str, args.sizes)), args.activation)
    out = {"epochs": epochs}
    if args.step_losses:
        out["step_losses"] = step_losses
    return out


def bench(args, data):
    x_train, y_train, x_test, _ = data
    model = make_mlp(args.sizes, args.activation)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    result = {}
    for batch in args.train_batches:
        steps = max(20, args.train_samples // batch)
        def step(i):
            j = (i * batch) % (len(x_train) - batch)
            xb, yb = x_train[j:j + batch], y_train[j:j + batch]
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        for i in range(5):
            step(i)
        start = time.perf_counter()
        for i in range(steps):
            step(i)
        seconds = time.perf_counter() - start
        result[f"train_batch_{batch}"] = steps * batch / seconds
    with torch.no_grad():
        for batch in args.infer_batches:
            best = 0.0
            for _ in range(args.infer_repeats):  # the best of a few passes: a pass is short
                start = time.perf_counter()
                for i in range(0, len(x_test), batch):
                    model(x_test[i:i + batch]).argmax(1)
                best = max(best, len(x_test) / (time.perf_counter() - start))
            result[f"infer_batch_{batch}"] = best
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("mode", choices=["train", "bench", "compare"])
    p.add_argument("files", nargs="*", help="compare: two weights files")
    p.add_argument("--sizes", default="784-100-100-10")
    p.add_argument("--activation", default="sigmoid")
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--momentum", type=float, default=0.0)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--train-batches", default="1,64")
    p.add_argument("--infer-batches", default="1,1000")
    p.add_argument("--train-samples", type=int, default=20000)
    p.add_argument("--infer-repeats", type=int, default=3, help="bench: passes over the test set, the best counts")
    p.add_argument("--dnnspace-start", action="store_true",
                   help="train: dnnspace's initial weights and batch order for --seed")
    p.add_argument("--train-limit", type=int, default=0, help="train: only the first N training images")
    p.add_argument("--weights-out", help="train: save the final weights in dnnspace's format")
    p.add_argument("--step-losses", action="store_true", help="train: list every step's loss in the JSON")
    p.add_argument("--json")
    args = p.parse_args()
    if args.mode == "compare":
        if len(args.files) != 2:
            raise SystemExit("compare needs two weights files")
        print(json.dumps(compare(args), indent=2))
        return 0
    args.sizes = [int(s) for s in args.sizes.split("-")]
    args.train_batches = [int(b) for b in args.train_batches.split(",")]
    args.infer_batches = [int(b) for b in args.infer_batches.split(",")]
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    data = load(args.data)
    out = train(args, data) if args.mode == "train" else bench(args, data)
    out.update({"torch": torch.__version__, "threads": args.threads, "sizes": args.sizes,
                "activation": args.activation, "lr": args.lr, "momentum": args.momentum, "batch": args.batch})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    else:
        print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
