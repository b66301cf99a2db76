"""Net surgery on a full-size VGG16 classifier: `fcn transplant` into nets/voc-fcn32s.fcn.

A V1 caffemodel (legacy 4-D blobs, as the 2014 VGG_ILSVRC_16_layers.caffemodel: an inner
product is 1 x 1 x out x in) with random weights is written by Google's protobuf; fcn
transplants it into nets/voc-fcn32s.fcn. Checked here, independently of fcn:
- vgg.fc6/kernel is exactly fc6's (4096, 25088) weights reshaped to (4096, 512, 7, 7) and laid
  out as tfjs's [7, 7, 512, 4096]; vgg.fc7/kernel is fc7's (4096, 4096) as [1, 1, 4096, 4096];
- every conv kernel and bias is exactly the caffemodel's;
- fc8 (1000 classes) is reported unexpected, score_fr and upscore are initialised.
Peak RSS of fcn transplant is measured by GNU time.

Run from the repo root (after npm run build): /usr/bin/python3 bench/torch/check-transplant.py [--keep DIR]
"""

import argparse
import importlib
import json
import os
import shutil
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcn8s  # noqa: E402

check_caffemodel = importlib.import_module("check-caffemodel")
check_scores = importlib.import_module("check-scores")

CONVOLUTION, INNER_PRODUCT = 4, 14


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", help="work directory to keep")
    args = ap.parse_args(argv)
    work = args.keep or tempfile.mkdtemp(prefix="fcn-transplant-")
    os.makedirs(work, exist_ok=True)
    try:
        pb = check_caffemodel.compile_proto(work)
        rng = np.random.default_rng(2)
        layers = {}
        cin = 3
        for item in fcn8s.VGG[:-2]:
            if isinstance(item, tuple):
                name, cout, k, _ = item
                layers[name] = (CONVOLUTION, [rng.standard_normal((cout, cin, k, k), np.float32), rng.standard_normal(cout, np.float32)])
                cin = cout
        for name, n_in, n_out in [("fc6", 512 * 7 * 7, 4096), ("fc7", 4096, 4096), ("fc8", 4096, 1000)]:
            layers[name] = (INNER_PRODUCT, [rng.standard_normal((n_out, n_in), np.float32), rng.standard_normal(n_out, np.float32)])
        net = pb.NetParameter(name="VGG_ILSVRC_16_layers")
        t0 = time.time()
        for name, (kind, blobs) in layers.items():
            layer = net.layers.add(name=name, type=kind)
            for b in blobs:
                n, c, h, w = ([1] * 4 + list(b.shape))[-4:]
                blob = layer.blobs.add(num=n, channels=c, height=h, width=w)
                blob.data.extend(b.ravel())
        model = os.path.join(work, "VGG_ILSVRC_16_layers.caffemodel")
        with open(model, "wb") as f:
            f.write(net.SerializeToString())
        del net
        print(f"wrote {model}: {os.path.getsize(model):,} bytes in {time.time() - t0:.0f} s", flush=True)
        out = os.path.join(work, "vgg16-fcn32s")
        cmd = ["/usr/bin/time", "-f", "peak-rss-kib %M", "node", "bin/fcn.js", "transplant", model, "nets/voc-fcn32s.fcn", "-o", out, "--json"]
        r, secs = check_scores.run(cmd)
        peak = int(r.stderr.split("peak-rss-kib ")[1].split()[0]) / 1024
        report = json.loads(r.stdout)
        print(f"fcn transplant: {secs:.1f} s, peak RSS {peak:.0f} MiB", flush=True)
        print("reshaped:", [(x["layer"], x["detail"]) for x in report["reshaped"]])
        print("missing:", [(x["layer"], x["detail"]) for x in report["missing"]])
        print("unexpected:", report["unexpected"])
        weights = fcn8s.load_tfjs_weights(out)
        failures = []
        for name, (kind, blobs) in layers.items():
            if name == "fc8":
                continue
            w = blobs[0] if kind == CONVOLUTION else blobs[0].reshape(blobs[0].shape[0], -1, 7 if name == "fc6" else 1, 7 if name == "fc6" else 1)
            want = np.ascontiguousarray(w.transpose(2, 3, 1, 0))
            got = weights[f"vgg.{name}/kernel"]
            if got.shape != want.shape or not np.array_equal(got, want):
                failures.append(f"vgg.{name}/kernel")
            if not np.array_equal(weights[f"vgg.{name}/bias"], blobs[1]):
                failures.append(f"vgg.{name}/bias")
        ok = not failures and [x["layer"] for x in report["reshaped"]] == ["vgg.fc6", "vgg.fc7"]
        print("PASS: every kernel and bias exactly the caffemodel's (fc6, fc7 reshaped)" if ok else f"FAIL: {failures}")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
