"""The PyTorch side of the side-by-side benchmark: the reference FCN-8s (fcn8s.py) on this CPU.

Times, after one warm-up, the median of --runs forward passes at --input (default 500x500) and
of --runs training steps at --train-input (default 256x256), with torch.set_num_threads(--threads,
default 2), and prints JSON shaped like `fcn bench --json`:
  {"forward_ms", "train_step_ms", "backend", "input", "train_input", "gflops", "flops", "runs", ...}
gflops is the forward FLOP count (2 per multiply-add, convolutions and deconvolutions only, as
fcn's compiler counts) over the forward time.

The training step is the one fcn's Trainer takes: forward in training mode (dropout on),
Caffe's SoftmaxWithLoss with ignore label 255 and normalize: false (sum over pixels / batch),
backward, then SGD with momentum 0.99, lr 1e-14, weight decay 5e-4, biases at twice the rate
and no decay, the bilinear deconvolutions frozen (lr 0: no gradient). Labels are uniform
random classes, the input N(0, 50²), as in fcn's bench.

Weights: random by default (MSRA convs, bilinear deconvs, zero biases); --model DIR loads an
fcn model directory instead. Timings on a shared machine are noisy: read medians, not minima.

Run: /usr/bin/python3 bench/torch/bench.py [--input 500x500] [--train-input 256x256] [--runs 3]
  [--threads 2] [--model DIR] [--no-train]
"""

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcn8s  # noqa: E402


def bilinear(k):
    """FCN's bilinear upsampling kernel along one axis (FCN.md)."""
    factor = (k + 1) // 2
    centre = factor - 1 if k % 2 == 1 else factor - 0.5
    return 1 - np.abs(np.arange(k) - centre) / factor


def random_weights(seed=0):
    """Weights of the reference FCN-8s in tfjs layout (what fcn8s.FCN8s takes), initialised as fcn does."""
    rng = np.random.default_rng(seed)
    w = {}

    def conv(name, cin, cout, k):
        w[f"{name}/kernel"] = (rng.standard_normal((k, k, cin, cout), dtype=np.float32) * np.sqrt(2 / (k * k * cin))).astype(np.float32)
        w[f"{name}/bias"] = np.zeros(cout, np.float32)

    cin = 3
    for item in fcn8s.VGG:
        if isinstance(item, tuple):
            conv(fcn8s.PREFIX + item[0], cin, item[1], item[2])
            cin = item[1]
    for name, c in fcn8s.SCORES.items():
        conv(name, c, fcn8s.CLASSES, 1)
    for name, (k, _) in fcn8s.DECONVS.items():
        kernel = np.zeros((k, k, fcn8s.CLASSES, fcn8s.CLASSES), np.float32)
        b = np.outer(bilinear(k), bilinear(k))
        for c in range(fcn8s.CLASSES):
            kernel[:, :, c, c] = b
        w[f"{name}/kernel"] = kernel
    return w


def forward_flops(h, w):
    """Forward FLOPs at h×w: 2·weights·output area per conv, 2·weights·input area per deconv (fcn's rule)."""
    flops, cin = 0, 3

    def conv_out(n, k, p):
        return n + 2 * p - k + 1

    def pool_out(n):
        return -(-(n - 2) // 2) + 1

    sizes = {}
    for item in fcn8s.VGG:
        if isinstance(item, str):
            h, w = pool_out(h), pool_out(w)
            sizes[item] = (h, w, cin)
            continue
        _, cout, k, p = item
        h, w = conv_out(h, k, p), conv_out(w, k, p)
        flops += 2 * k * k * cin * cout * h * w
        cin = cout
    c = fcn8s.CLASSES
    flops += 2 * cin * c * h * w  # score_fr
    up2 = (2 * (h - 1) + 4, 2 * (w - 1) + 4)
    flops += 2 * 16 * c * c * h * w  # upscore2 (on score_fr's area)
    ph, pw, pc = sizes["pool4"]
    flops += 2 * pc * c * ph * pw  # score_pool4
    flops += 2 * 16 * c * c * up2[0] * up2[1]  # upscore_pool4
    up4 = (2 * (up2[0] - 1) + 4, 2 * (up2[1] - 1) + 4)
    ph, pw, pc = sizes["pool3"]
    flops += 2 * pc * c * ph * pw  # score_pool3
    flops += 2 * 256 * c * c * up4[0] * up4[1]  # upscore8
    return flops


def median_ms(runs, f):
    """Median wall time of `runs` calls of f after one warm-up call, in ms."""
    f()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), times


def size(text):
    h, w = (int(v) for v in text.lower().split("x"))
    return h, w


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", type=size, default=(500, 500))
    ap.add_argument("--train-input", type=size, default=(256, 256))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model", help="an fcn model directory (default: random weights)")
    ap.add_argument("--no-train", action="store_true")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    weights = fcn8s.load_tfjs_weights(args.model) if args.model else random_weights()
    net = fcn8s.FCN8s(weights)
    del weights

    h, w = args.input
    x = torch.randn(1, 3, h, w) * 50
    with torch.no_grad():
        forward_ms, forward_all = median_ms(args.runs, lambda: net.forward(x))
    flops = forward_flops(h, w)
    result = {
        "net": "voc_fcn8s",
        "forward_ms": round(forward_ms, 2),
        "backend": f"pytorch {torch.__version__} cpu, {torch.get_num_threads()} threads",
        "input": [h, w],
        "gflops": round(flops / 1e9 / (forward_ms / 1000), 2),
        "flops": flops,
        "runs": args.runs,
        "forward_runs_ms": [round(t, 1) for t in forward_all],
    }

    if not args.no_train:
        th, tw = args.train_input
        params = net.parameters()
        frozen = set(f"{name}/kernel" for name in fcn8s.DECONVS)  # lr 0 in the .fcn: no gradient at all
        weights_, biases = [], []
        for name, p in params.items():
            if name in frozen:
                continue
            p.requires_grad_(True)
            (biases if name.endswith("/bias") else weights_).append(p)
        lr = 1e-14
        opt = torch.optim.SGD(
            [
                {"params": weights_, "lr": lr, "weight_decay": 5e-4},
                {"params": biases, "lr": 2 * lr, "weight_decay": 0.0},
            ],
            lr=lr,
            momentum=0.99,
        )
        xt = torch.randn(1, 3, th, tw) * 50
        labels = torch.randint(0, fcn8s.CLASSES, (1, th, tw))

        def step():
            opt.zero_grad(set_to_none=True)
            score = net.forward(xt, train=True)
            # normalize: false = Caffe's BATCH_SIZE normalisation: sum over pixels / N
            loss = F.cross_entropy(score, labels, ignore_index=255, reduction="sum") / score.shape[0]
            loss.backward()
            opt.step()

        train_ms, train_all = median_ms(args.runs, step)
        result["train_step_ms"] = round(train_ms, 2)
        result["train_input"] = [th, tw]
        result["train_runs_ms"] = [round(t, 1) for t in train_all]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
