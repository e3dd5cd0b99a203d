#!/usr/bin/env python3
"""PyTorch baseline for dnnspace's MLP training and inference (docs/experiments.md).

Reads the IDX files itself (no torchvision). Two modes:
  train: SGD on softmax cross-entropy, per-epoch loss / train / test accuracy as JSON lines
  bench: training throughput at a batch size and inference throughput over the test set
"""
import argparse
import gzip
import json
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
    model = make_mlp(args.sizes, args.activation)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)
    epochs = []
    for epoch in range(1, args.epochs + 1):
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
            correct += (logits.argmax(1) == yb).sum().item()
        row = {"epoch": epoch, "loss": loss_sum / len(x_train), "train_accuracy": correct / len(x_train),
               "test_accuracy": accuracy(model, x_test, y_test)}
        print(json.dumps(row), flush=True)
        epochs.append(row)
    return {"epochs": epochs}


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
            start = time.perf_counter()
            for i in range(0, len(x_test), batch):
                model(x_test[i:i + batch]).argmax(1)
            result[f"infer_batch_{batch}"] = len(x_test) / (time.perf_counter() - start)
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("mode", choices=["train", "bench"])
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
    p.add_argument("--json")
    args = p.parse_args()
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
