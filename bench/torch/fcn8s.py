"""An independent PyTorch FCN-8s with Caffe semantics, the reference for fcn's numerics.

Written from the paper's reference net (voc-fcn8s/net.py in Long & Shelhamer's fcn.berkeleyvision.org),
not from fcn's compiler: VGG16 with conv1_1 padded by 100, ceil-mode max pooling, fc6/fc7 as
convolutions, bilinear deconvolutions without bias, and the crop offsets 5, 9 and 31 hard-coded
here on purpose (fcn infers them; this file must not).

Layout is Caffe's: NCHW blobs, conv weights (out, in/group, kh, kw), deconv weights
(in, out/group, kh, kw) with no kernel flip, which is exactly what torch's conv2d and
conv_transpose2d take.

Weights come from an fcn model directory (`fcn compile ... -o DIR`): DIR/model.json's
weightsManifest names every weight `<layer>/kernel` or `<layer>/bias` in tfjs layout
(conv kernel [kh, kw, in/group, out], deconv kernel [kh, kw, out/group, in]); the weights
are the manifest's .bin files concatenated in manifest order. Matching is by layer name only.

Usage: /usr/bin/python3 bench/torch/fcn8s.py MODEL_DIR INPUT.npy [-o SCORES.npy] [--blobs DIR]
  INPUT.npy is [C, H, W] float32, fed without preprocessing; SCORES.npy is [21, H, W] float32.
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

# VGG16's convolutions: (name, out channels, kernel, pad); the 100 on conv1_1 is FCN's.
VGG = [
    ("conv1_1", 64, 3, 100), ("conv1_2", 64, 3, 1), "pool1",
    ("conv2_1", 128, 3, 1), ("conv2_2", 128, 3, 1), "pool2",
    ("conv3_1", 256, 3, 1), ("conv3_2", 256, 3, 1), ("conv3_3", 256, 3, 1), "pool3",
    ("conv4_1", 512, 3, 1), ("conv4_2", 512, 3, 1), ("conv4_3", 512, 3, 1), "pool4",
    ("conv5_1", 512, 3, 1), ("conv5_2", 512, 3, 1), ("conv5_3", 512, 3, 1), "pool5",
    ("fc6", 4096, 7, 0), ("fc7", 4096, 1, 0),
]
PREFIX = "vgg."  # the .fcn instance name of the backbone
CLASSES = 21
# Crop offsets of the reference FCN-8s (FCN.md: "FCN-8s: 5, 9 and 31").
CROP_POOL4, CROP_POOL3, CROP_FINAL = 5, 9, 31
# The upsampling deconvolutions: name -> (kernel, stride).
DECONVS = {"upscore2": (4, 2), "upscore_pool4": (4, 2), "upscore8": (16, 8)}
SCORES = {"score_fr": 4096, "score_pool4": 512, "score_pool3": 256}

DTYPES = {"float32": np.float32, "int32": np.int32}


def load_tfjs_weights(model_dir):
    """Every weight of a tfjs layers-model directory, by manifest name, as numpy arrays (tfjs layout)."""
    with open(os.path.join(model_dir, "model.json")) as f:
        model = json.load(f)
    weights = {}
    for group in model["weightsManifest"]:
        blob = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            if "quantization" in spec:
                raise ValueError(f"{spec['name']}: quantized weights are not supported")
            dtype = np.dtype(DTYPES[spec["dtype"]]).newbyteorder("<")
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            arr = np.frombuffer(blob, dtype=dtype, count=count, offset=offset).reshape(spec["shape"])
            weights[spec["name"]] = arr
            offset += count * dtype.itemsize
        if offset != len(blob):
            raise ValueError(f"weights group {group['paths']}: manifest covers {offset} bytes of {len(blob)}")
    return weights


def caffe_pool_size(size, kernel, stride, pad=0):
    """Caffe's pooling output size: ceil rounding, minus one if the last window starts in the padding."""
    out = int(math.ceil((size + 2 * pad - kernel) / stride)) + 1
    if pad > 0 and (out - 1) * stride >= size + pad:
        out -= 1
    return out


class FCN8s:
    """FCN-8s as plain functions over a weight dict; `forward` returns every blob by Caffe name."""

    def __init__(self, weights, device="cpu"):
        self.p = {}
        used = set()

        def take(name):
            if name not in weights:
                raise KeyError(f"the model directory has no weight {name}")
            used.add(name)
            return torch.from_numpy(np.array(weights[name], dtype=np.float32)).to(device)

        def conv(layer, cin, cout, k):
            w = take(f"{layer}/kernel")
            if tuple(w.shape) != (k, k, cin, cout):
                raise ValueError(f"{layer}/kernel has shape {tuple(w.shape)}, expected {(k, k, cin, cout)}")
            # tfjs [kh, kw, in, out] -> Caffe/torch (out, in, kh, kw)
            self.p[f"{layer}/kernel"] = w.permute(3, 2, 0, 1).contiguous()
            self.p[f"{layer}/bias"] = take(f"{layer}/bias")

        cin = 3
        for item in VGG:
            if isinstance(item, tuple):
                name, cout, k, _ = item
                conv(PREFIX + name, cin, cout, k)
                cin = cout
        for name, c in SCORES.items():
            conv(name, c, CLASSES, 1)
        for name, (k, _) in DECONVS.items():
            w = take(f"{name}/kernel")
            if tuple(w.shape) != (k, k, CLASSES, CLASSES):
                raise ValueError(f"{name}/kernel has shape {tuple(w.shape)}")
            if f"{name}/bias" in weights:
                raise ValueError(f"{name} has a bias; the reference deconvolutions have none")
            # tfjs [kh, kw, out, in] -> Caffe/torch deconv (in, out, kh, kw)
            self.p[f"{name}/kernel"] = w.permute(3, 2, 0, 1).contiguous()
        extra = sorted(set(weights) - used)
        if extra:
            raise ValueError(f"weights the reference FCN-8s does not have: {', '.join(extra)}")

    def parameters(self):
        """The weight tensors, by name (Caffe layout)."""
        return self.p

    def _conv(self, x, layer, pad):
        return F.conv2d(x, self.p[f"{layer}/kernel"], self.p[f"{layer}/bias"], stride=1, padding=pad)

    @staticmethod
    def _pool(x):
        h, w = x.shape[2], x.shape[3]
        y = F.max_pool2d(x, kernel_size=2, stride=2, ceil_mode=True)
        # torch's ceil_mode must agree with Caffe's rule; checked, not assumed.
        assert tuple(y.shape[2:]) == (caffe_pool_size(h, 2, 2), caffe_pool_size(w, 2, 2)), (x.shape, y.shape)
        return y

    def _deconv(self, x, name):
        k, s = DECONVS[name]
        y = F.conv_transpose2d(x, self.p[f"{name}/kernel"], stride=s)
        # Caffe's deconvolution size s·(H − 1) + k − 2p, p = 0 here
        assert tuple(y.shape[2:]) == (s * (x.shape[2] - 1) + k, s * (x.shape[3] - 1) + k)
        return y

    @staticmethod
    def _crop(x, like, offset):
        h, w = like.shape[2], like.shape[3]
        assert offset + h <= x.shape[2] and offset + w <= x.shape[3], (x.shape, like.shape, offset)
        return x[:, :, offset : offset + h, offset : offset + w]

    def forward(self, data, train=False, dropout=0.5, keep=False):
        """Scores [N, 21, H, W] for data [N, C, H, W]; with keep=True, (scores, blobs by name)."""
        blobs = {}

        def put(name, t):
            if keep:
                blobs[name] = t
            return t

        x = data
        pools = {}
        for item in VGG:
            if isinstance(item, str):
                x = pools[item] = put(PREFIX + item, self._pool(x))
                continue
            name, _, _, pad = item
            x = put(PREFIX + name, self._conv(x, PREFIX + name, pad))
            x = put(PREFIX + name.replace("conv", "relu").replace("fc", "relu"), F.relu(x))
            if name.startswith("fc"):
                x = put(PREFIX + name.replace("fc", "drop"), F.dropout(x, dropout, training=train))
        pool3, pool4 = pools["pool3"], pools["pool4"]
        score_fr = put("score_fr", self._conv(x, "score_fr", 0))
        upscore2 = put("upscore2", self._deconv(score_fr, "upscore2"))
        score_pool4 = put("score_pool4", self._conv(pool4, "score_pool4", 0))
        score_pool4c = put("score_pool4c", self._crop(score_pool4, upscore2, CROP_POOL4))
        fuse_pool4 = put("fuse_pool4", upscore2 + score_pool4c)
        upscore_pool4 = put("upscore_pool4", self._deconv(fuse_pool4, "upscore_pool4"))
        score_pool3 = put("score_pool3", self._conv(pool3, "score_pool3", 0))
        score_pool3c = put("score_pool3c", self._crop(score_pool3, upscore_pool4, CROP_POOL3))
        fuse_pool3 = put("fuse_pool3", upscore_pool4 + score_pool3c)
        upscore8 = put("upscore8", self._deconv(fuse_pool3, "upscore8"))
        score = put("score", self._crop(upscore8, data, CROP_FINAL))
        return (score, blobs) if keep else score


def load(model_dir, device="cpu"):
    """The reference FCN-8s with the weights of an fcn model directory."""
    return FCN8s(load_tfjs_weights(model_dir), device)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_dir")
    ap.add_argument("input", help="[C, H, W] float32 .npy, fed as is")
    ap.add_argument("-o", "--output", help="write the scores [21, H, W] float32 here")
    ap.add_argument("--blobs", help="write every blob as DIR/<name>.npy ([C, H, W] float32)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    net = load(args.model_dir)
    x = np.load(args.input)
    if x.ndim != 3 or x.dtype != np.float32:
        sys.exit(f"{args.input}: expected a [C, H, W] float32 array, got {x.dtype} {list(x.shape)}")
    with torch.no_grad():
        score, blobs = net.forward(torch.from_numpy(x)[None], keep=True) if args.blobs else (net.forward(torch.from_numpy(x)[None]), {})
    if args.output:
        np.save(args.output, score[0].numpy().astype(np.float32))
    if args.blobs:
        os.makedirs(args.blobs, exist_ok=True)
        for name, t in blobs.items():
            np.save(os.path.join(args.blobs, name + ".npy"), t[0].numpy().astype(np.float32))
    s = score[0].numpy()
    print(f"scores {list(s.shape)}  max |score| {np.abs(s).max():.6g}")


if __name__ == "__main__":
    main(sys.argv[1:])
