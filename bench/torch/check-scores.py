"""End-to-end numerical check of fcn's FCN-8s against the independent PyTorch reference (fcn8s.py).

For each size: a random raw [3, H, W] float32 input, `node bin/fcn.js predict DIR in.npy --scores`
on one side, fcn8s.py with the same model directory's weights on the other, and the maximum
relative error max|fcn − torch| / max|torch|. Passes when every error is below 1e-4.

Two weight sets are checked:
- as compiled (`fcn compile nets/voc-fcn8s.fcn -o DIR --seed S`): MSRA convs, bilinear deconvs;
- "scaled": the same directory with biases drawn N(0, 0.1²) (the compiled ones are all zero, so
  this exercises every bias path), the three deconvolution kernels replaced by Gaussian noise
  (bilinear kernels are symmetric and diagonal, so they cannot reveal a flipped kernel or
  swapped in/out channels), and every conv and deconv kernel divided by a per-layer factor
  chosen so that the layer's output (before its bias) has unit RMS on a 96×128 calibration
  input: a layer-wise, data-dependent rescaling done in PyTorch and written back as a tfjs
  model directory, so that every blob and the scores are O(1).

Run from the repo root: /usr/bin/python3 bench/torch/check-scores.py [--sizes 96x128,500x375]
  [--seed 1] [--backend wasm] [--keep DIR]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcn8s  # noqa: E402

TOLERANCE = 1e-4
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(cmd):
    """Runs a command from the repo root; fails loudly with its output."""
    t0 = time.time()
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"$ {' '.join(cmd)}\nexit {r.returncode}\n{r.stdout}{r.stderr}")
    return r, time.time() - t0


def rel_error(ours, ref):
    """max |ours − ref| / max |ref|, and where the worst element is."""
    diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
    where = np.unravel_index(np.argmax(diff), diff.shape)
    return float(diff.max() / np.abs(ref).max()), tuple(int(i) for i in where)


def write_scaled(src, dst, x, seed):
    """A copy of model dir `src` with random biases and kernels rescaled on input x (see module doc)."""
    with open(os.path.join(src, "model.json")) as f:
        model = json.load(f)
    weights = {k: v.copy() for k, v in fcn8s.load_tfjs_weights(src).items()}
    rng = np.random.default_rng(seed)
    for name in weights:
        if name.endswith("/bias"):
            weights[name] = (0.1 * rng.standard_normal(weights[name].shape)).astype(np.float32)
        elif name.split("/")[0] in fcn8s.DECONVS:
            weights[name] = rng.standard_normal(weights[name].shape).astype(np.float32)
    # Layer by layer in forward order: rescale each kernel so that its output has RMS 1 on x.
    vgg = [fcn8s.PREFIX + c[0] for c in fcn8s.VGG if isinstance(c, tuple)]
    head = ["score_fr", "upscore2", "score_pool4", "upscore_pool4", "score_pool3", "upscore8"]
    data = torch.from_numpy(x)[None]
    for layer in vgg + head:
        net = fcn8s.FCN8s(weights)
        with torch.no_grad():
            _, blobs = net.forward(data, keep=True)
        out = blobs[layer]
        bias = weights.get(f"{layer}/bias", np.zeros(out.shape[1], np.float32))
        b = torch.from_numpy(bias).view(1, -1, 1, 1)
        rms = float(torch.sqrt(torch.mean((out - b) ** 2)))
        weights[f"{layer}/kernel"] = (weights[f"{layer}/kernel"] / rms).astype(np.float32)
    os.makedirs(dst, exist_ok=True)
    for group in model["weightsManifest"]:
        with open(os.path.join(dst, group["paths"][0]), "wb") as f:
            for spec in group["weights"]:
                f.write(np.ascontiguousarray(weights[spec["name"]], dtype="<f4").tobytes())
        group["paths"] = group["paths"][:1]
    with open(os.path.join(dst, "model.json"), "w") as f:
        json.dump(model, f)
    shutil.copy(os.path.join(src, "fcn.json"), os.path.join(dst, "fcn.json"))


def compare_blobs(model_dir, x, work, tag, backend):
    """Every intermediate blob of both sides (bench/torch/dump-blobs.ts for fcn); prints the error per layer."""
    inp, out = os.path.join(work, f"{tag}.in.npy"), os.path.join(work, f"{tag}.blobs")
    cmd = ["npx", "tsx", "bench/torch/dump-blobs.ts", model_dir, inp, out] + (["--backend", backend] if backend else [])
    run(cmd)
    with torch.no_grad():
        _, blobs = fcn8s.load(model_dir).forward(torch.from_numpy(x)[None], keep=True)
    first_bad = None
    for name, t in blobs.items():
        ref = t[0].numpy()
        path = os.path.join(out, f"{name}.npy")
        if not os.path.exists(path):
            print(f"  {name:16s} missing on the fcn side")
            continue
        ours = np.load(path)
        if ours.shape != ref.shape:
            print(f"  {name:16s} shape {list(ours.shape)} vs reference {list(ref.shape)}")
            first_bad = first_bad or name
            continue
        err, where = rel_error(ours, ref) if np.abs(ref).max() > 0 else (float(np.abs(ours).max()), ())
        print(f"  {name:16s} {list(ref.shape)}  max|ref| {np.abs(ref).max():.4g}  rel error {err:.3g} at {where}")
        if err >= TOLERANCE:
            first_bad = first_bad or name
    print(f"  first disagreeing blob: {first_bad or 'none'}")
    if not os.environ.get("KEEP_BLOBS"):
        shutil.rmtree(out, ignore_errors=True)


def check(model_dir, x, work, tag, backend):
    """fcn predict vs the reference on x; returns a result row."""
    inp, out = os.path.join(work, f"{tag}.in.npy"), os.path.join(work, f"{tag}.scores.npy")
    np.save(inp, x)
    cmd = ["node", "bin/fcn.js", "predict", model_dir, inp, "--scores", out, "-o", os.path.join(work, f"{tag}.png"), "-v"]
    if backend:
        cmd += ["--backend", backend]
    r, fcn_s = run(cmd)
    chosen = re.search(r"backend: (\S+)", r.stderr)
    ours = np.load(out)
    t0 = time.time()
    with torch.no_grad():
        ref = fcn8s.load(model_dir).forward(torch.from_numpy(x)[None])[0].numpy()
    torch_s = time.time() - t0
    if ours.shape != ref.shape:
        return {"tag": tag, "error": f"shape {list(ours.shape)} vs reference {list(ref.shape)}"}
    err, where = rel_error(ours, ref)
    labels_agree = float(np.mean(ours.argmax(0) == ref.argmax(0)))
    return {
        "tag": tag,
        "backend": chosen.group(1) if chosen else None,
        "shape": list(ref.shape),
        "max_abs_score": float(np.abs(ref).max()),
        "max_rel_error": err,
        "worst_at": where,
        "argmax_agreement": labels_agree,
        "fcn_predict_s": round(fcn_s, 1),
        "torch_s": round(torch_s, 1),
    }


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="96x128,500x375", help="comma-separated HxW")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--backend", help="fcn's backend (default: fcn's choice)")
    ap.add_argument("--keep", help="work directory to keep (default: a temporary one, removed)")
    ap.add_argument("--no-scaled", action="store_true", help="only the weights as compiled")
    ap.add_argument("--blobs", action="store_true", help="compare every intermediate blob too (always on failure)")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    work = args.keep or tempfile.mkdtemp(prefix="fcn-check-")
    os.makedirs(work, exist_ok=True)
    try:
        model = os.path.join(work, "model")
        shutil.rmtree(model, ignore_errors=True)
        run(["node", "bin/fcn.js", "compile", "nets/voc-fcn8s.fcn", "-o", model, "--seed", str(args.seed)])
        scaled = None
        if not args.no_scaled:
            scaled = os.path.join(work, "scaled")
            shutil.rmtree(scaled, ignore_errors=True)
            calib = (50 * np.random.default_rng(args.seed).standard_normal((3, 96, 128))).astype(np.float32)
            write_scaled(model, scaled, calib, args.seed)
        rows = []
        for size in args.sizes.split(","):
            h, w = (int(v) for v in size.lower().split("x"))
            rng = np.random.default_rng(args.seed * 1000 + h * 7 + w)
            # Raw values of the size of mean-subtracted pixels.
            x = (50 * rng.standard_normal((3, h, w))).astype(np.float32)
            for tag, model_dir in [(f"compiled-{h}x{w}", model), (f"scaled-{h}x{w}", scaled)]:
                if not model_dir:
                    continue
                rows.append(check(model_dir, x, work, tag, args.backend))
                print(json.dumps(rows[-1]), flush=True)
                if args.blobs or "error" in rows[-1] or rows[-1]["max_rel_error"] >= TOLERANCE:
                    compare_blobs(model_dir, x, work, tag, args.backend)
        bad = [r for r in rows if "error" in r or r["max_rel_error"] >= TOLERANCE]
        print(f"{'FAIL' if bad else 'PASS'}: {len(rows) - len(bad)}/{len(rows)} below {TOLERANCE:g}")
        return 1 if bad else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
