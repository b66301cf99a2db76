/**
 * bench.py, the PyTorch side of `fcn bench`: times the exported package's net (model.py, the
 * same net as fcn's) as fcn's bench times it, and prints one line of JSON. The loss and the
 * parameter groups are train.py's.
 * Forward: the median of --runs passes after a warm-up, under no_grad. Training step: forward,
 * Caffe's softmax loss over every loss of the net (ignore label, normalised by the counted
 * pixels or the batch size, weighted), backward, and SGD with fcn bench's settings (lr 1e-14,
 * momentum 0.99, weight decay 5e-4, each parameter's lr and decay multipliers; frozen ones left
 * out). The input is N(0, 50²) at batch 1, the labels uniform over the classes.
 */
export const BENCH_PY = `"""fcn bench's PyTorch side (written by fcn): times model.py's net, prints JSON."""
import argparse
import json
import statistics
import sys
import time

import torch

import model
from train import loss_sum, param_groups


def median_ms(runs, f):
    f()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    h, w = (int(v) for v in args.input.split("x"))
    net = model.load(True)
    names = [i["name"] for i in model.INPUTS]
    xs = {i["name"]: torch.randn(1, i["channels"], h, w) * 50 for i in model.INPUTS}
    feed = [xs[n] for n in names]
    net.eval()
    with torch.no_grad():
        forward_ms = median_ms(args.runs, lambda: net(*feed))
    result = {"forward_ms": round(forward_ms, 2), "version": torch.__version__, "threads": torch.get_num_threads()}
    if args.train:
        net.train()
        opt = torch.optim.SGD(param_groups(net, argparse.Namespace(lr=1e-14, weight_decay=5e-4)), lr=1e-14, momentum=0.99)
        with torch.no_grad():
            out = net(*feed, outputs=True)
        labels = {}
        for loss in model.LOSSES:
            s = out[loss["score"]]
            labels[loss["name"]] = torch.randint(0, s.shape[1], (s.shape[0],) + tuple(s.shape[2:]))
        del out

        def step():
            opt.zero_grad(set_to_none=True)
            out = net(*feed, outputs=True)
            total = 0.0
            for loss in model.LOSSES:
                value, count = loss_sum(out[loss["score"]], labels[loss["name"]], loss)
                normaliser = count.to(torch.float32).clamp(min=1) if loss["normalize"] else 1.0
                total = total + value * loss["weight"] / normaliser
            total.backward()
            opt.step()

        result["train_step_ms"] = round(median_ms(args.runs, step), 2)
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main()
    except MemoryError:
        sys.exit("out of memory")
`;
