"""A VGG16 FCN-8s caffemodel with random weights, imported by `fcn import-weights`, against PyTorch.

1. Random weights in Caffe's layouts (conv (out, in, kh, kw), deconv (in, out, kh, kw)) under
   the reference FCN-8s's layer names, He-scaled so that every blob stays O(1)·input; biases
   N(0, 0.1²); the deconvolutions random too (a bilinear kernel would hide a flipped or
   transposed layout).
2. The caffemodel is written by Google's protobuf (protoc on caffe_subset.proto), not by
   protobufjs, which fcn decodes with: about 537 MB.
3. `node bin/fcn.js import-weights MODEL --net nets/voc-fcn8s.fcn -o DIR`; its peak RSS is
   measured by GNU time.
4. For each size, `fcn predict DIR x.npy --scores` against fcn8s.py's FCN8s fed the same numpy
   arrays (no fcn file in between): max |fcn − torch| / max |torch| must be below 1e-4.

Run from the repo root (after npm run build): /usr/bin/python3 bench/torch/check-caffemodel.py
  [--sizes 96x128,250x180] [--seed 1] [--keep DIR]
"""

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcn8s  # noqa: E402

check_scores = importlib.import_module("check-scores")  # its run() and rel_error()
run, rel_error = check_scores.run, check_scores.rel_error

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 1e-4


def compile_proto(work):
    subprocess.run(["protoc", f"--proto_path={HERE}", f"--python_out={work}", "caffe_subset.proto"], check=True)
    sys.path.insert(0, work)
    import caffe_subset_pb2  # noqa: E402

    return caffe_subset_pb2


def caffe_weights(rng):
    """Layer name -> list of numpy blobs in Caffe's layout."""
    layers = {}
    cin = 3
    for item in fcn8s.VGG:
        if isinstance(item, str):
            continue
        name, cout, k, _ = item
        fan_in = cin * k * k
        w = rng.standard_normal((cout, cin, k, k)) * np.sqrt(2.0 / fan_in)
        layers[name] = [w.astype(np.float32), (0.1 * rng.standard_normal(cout)).astype(np.float32)]
        cin = cout
    for name, c in fcn8s.SCORES.items():
        w = rng.standard_normal((fcn8s.CLASSES, c, 1, 1)) * np.sqrt(1.0 / c)
        layers[name] = [w.astype(np.float32), (0.1 * rng.standard_normal(fcn8s.CLASSES)).astype(np.float32)]
    for name, (k, s) in fcn8s.DECONVS.items():
        # Each output pixel sums about (k/s)² taps of each input channel.
        w = rng.standard_normal((fcn8s.CLASSES, fcn8s.CLASSES, k, k)) * np.sqrt(1.0 / (fcn8s.CLASSES * (k / s) ** 2))
        layers[name] = [w.astype(np.float32)]
    return layers


def write_caffemodel(pb, layers, path):
    net = pb.NetParameter(name="voc-fcn8s-random")
    for name, blobs in layers.items():
        layer = net.layer.add(name=name, type="Deconvolution" if name in fcn8s.DECONVS else "Convolution")
        for b in blobs:
            blob = layer.blobs.add()
            blob.shape.dim.extend(b.shape)
            blob.data.extend(b.ravel())
    with open(path, "wb") as f:
        f.write(net.SerializeToString())


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="96x128,250x180")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="work directory to keep")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    work = args.keep or tempfile.mkdtemp(prefix="fcn-caffemodel-")
    os.makedirs(work, exist_ok=True)
    try:
        pb = compile_proto(work)
        layers = caffe_weights(np.random.default_rng(args.seed))
        model = os.path.join(work, "voc-fcn8s-random.caffemodel")
        t0 = time.time()
        write_caffemodel(pb, layers, model)
        print(f"wrote {model}: {os.path.getsize(model):,} bytes in {time.time() - t0:.0f} s", flush=True)
        out = os.path.join(work, "model")
        shutil.rmtree(out, ignore_errors=True)
        # GNU time measures the node process alone (getrusage's children count would include
        # this process's own pages, inherited at fork).
        r, secs = run(["/usr/bin/time", "-f", "peak-rss-kib %M", "node", "bin/fcn.js", "import-weights", model, "--net", "nets/voc-fcn8s.fcn", "-o", out, "--json"])
        peak = int(r.stderr.split("peak-rss-kib ")[1].split()[0]) / 1024
        print(f"fcn import-weights: {secs:.1f} s, peak RSS {peak:.0f} MiB", flush=True)
        # The reference takes tfjs-layout weights by .fcn name; give it Caffe's arrays transposed by numpy.
        tfjs = {}
        for name, blobs in layers.items():
            key = (fcn8s.PREFIX + name) if name.startswith(("conv", "fc")) else name
            tfjs[f"{key}/kernel"] = np.ascontiguousarray(blobs[0].transpose(2, 3, 1, 0))
            if len(blobs) > 1:
                tfjs[f"{key}/bias"] = blobs[1]
        ref_net = fcn8s.FCN8s(tfjs)
        bad = 0
        for size in args.sizes.split(","):
            h, w = (int(v) for v in size.lower().split("x"))
            x = (50 * np.random.default_rng(args.seed * 1000 + h).standard_normal((3, h, w))).astype(np.float32)
            inp, scores = os.path.join(work, f"x{h}x{w}.npy"), os.path.join(work, f"s{h}x{w}.npy")
            np.save(inp, x)
            _, fcn_s = run(["node", "bin/fcn.js", "predict", out, inp, "--scores", scores, "-o", os.path.join(work, "l.png")])
            ours = np.load(scores)
            with torch.no_grad():
                ref = ref_net.forward(torch.from_numpy(x)[None])[0].numpy()
            err = rel_error(ours, ref)[0] if ours.shape == ref.shape else float("inf")
            agree = float(np.mean(ours.argmax(0) == ref.argmax(0))) if ours.shape == ref.shape else 0.0
            print(
                f"{h}x{w}: scores {list(ref.shape)}, max |score| {np.abs(ref).max():.4g}, max rel error {err:.3g}, "
                f"argmax agreement {agree:.6f}, fcn predict {fcn_s:.1f} s",
                flush=True,
            )
            bad += err >= TOLERANCE
        print(f"{'FAIL' if bad else 'PASS'}: every size below {TOLERANCE:g}" if not bad else f"FAIL: {bad} sizes")
        return 1 if bad else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
