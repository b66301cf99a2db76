/**
 * train.py: trains the exported net with its solver under torchrun and
 * DistributedDataParallel (gloo on CPU, NCCL on GPUs), on the PASCAL VOC layout that
 * `fcn train` reads, and writes checkpoints in weights.npz's format, which
 * `fcn import-weights CKPT.npz --net NET.fcn -o MODEL_DIR` brings back into fcn. The same file
 * serves every net: it reads model.py's PARAMS, LOSSES, INPUTS and SOLVER.
 */

/** The text of train.py. */
export const TRAIN_PY = String.raw`"""Trains model.py's net with its solver, on one process or many (torchrun + DistributedDataParallel).

    python3 train.py --data VOCDIR --out RUN                          # one process
    torchrun --nproc_per_node 2 train.py --data VOCDIR --out RUN      # two processes on this machine
    torchrun --nnodes 2 --node_rank R --nproc_per_node 8 \
        --rdzv_backend c10d --rdzv_endpoint HOST:29500 train.py --data VOCDIR --out RUN

Caffe's training, as fcn trains: SGD with momentum, each parameter's lr and decay multipliers as
parameter groups (a multiplier of 0 freezes, as the bilinear upsampling layers usually are),
softmax loss with the ignore label, normalised by the counted pixels of the whole batch or by
the batch size, as the net says. A loss that reads crop(label) (U-Net's valid convolutions)
reads the label window under its smaller scores, at the offset fcn's compiler computed
(LOSSES' label_offset); a 1-channel input reads each image as grey, with OpenCV's weights, as
Caffe's is_color: false and fcn do. The batch (--batch, default the solver's) is split over the
processes; each process's loss is its part of the batch's, so the gradients are the batch's
whatever the number of processes. Checkpoints RUN/iter_N.npz hold the weights in weights.npz's
format: 'fcn import-weights RUN/iter_N.npz --net NET.fcn -o MODEL_DIR' brings them back to fcn.
"""
import argparse
import os
import random
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model  # noqa: E402

LOG_FLT_MIN = float(np.log(np.float32(1.1754943508222875e-38)))
VOC_COLORS = None


def parse():
    s = model.SOLVER
    p = argparse.ArgumentParser(description="train %s (exported by fcn) with its solver" % model.NET)
    p.add_argument("--data", required=True, help="a PASCAL VOC layout: JPEGImages/, SegmentationClass/, ImageSets/Segmentation/")
    p.add_argument("--split", default="train", help="ImageSets/Segmentation/SPLIT.txt (default train)")
    p.add_argument("--out", required=True, help="directory for the checkpoints iter_N.npz")
    p.add_argument("--iters", type=int, default=s.get("iters", 1000), help="steps (default the solver's)")
    p.add_argument("--batch", type=int, default=s.get("batch", 1), help="images per step over all processes")
    p.add_argument("--lr", type=float, default=s.get("lr", 1e-10), help="base learning rate")
    p.add_argument("--momentum", type=float, default=s.get("momentum", 0.99))
    p.add_argument("--weight-decay", type=float, default=s.get("weightDecay", 5e-4))
    p.add_argument("--lr-policy", default=s.get("lrPolicy", "fixed"), choices=["fixed", "poly", "step"])
    p.add_argument("--power", type=float, default=s.get("power", 0.9))
    p.add_argument("--gamma", type=float, default=s.get("gamma", 0.1))
    p.add_argument("--stepsize", type=int, default=s.get("stepsize", 1000))
    p.add_argument("--clip-gradients", type=float, default=s.get("clipGradients"), help="Caffe's clip_gradients: largest L2 norm of a step's gradients (default the solver's, else none)")
    p.add_argument("--seed", type=int, default=s.get("seed", 0), help="order of the images")
    p.add_argument("--snapshot", type=int, default=0, help="also write a checkpoint every N steps")
    p.add_argument("--weights", default=None, help="start from this .npz (default the exported weights.npz)")
    p.add_argument("--backend", default=None, help="gloo or nccl (default nccl on GPUs, gloo on CPU)")
    p.add_argument("--dump-grads", default=None, help="after the first step's backward pass, save the gradients here (.npz)")
    p.add_argument("--shuffle", action=argparse.BooleanOptionalAction, default=True, help="shuffle each epoch")
    return p.parse_args()


def voc_colors():
    """The VOC colour map: class index -> RGB, for labels saved as colour images."""
    colors = np.zeros((256, 3), dtype=np.uint8)
    for i in range(256):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        colors[i] = (r, g, b)
    return colors


class Voc:
    """The VOC layout that fcn train reads: JPEGImages/ID.(jpg|jpeg|png), SegmentationClass/ID.png."""

    def __init__(self, root, split):
        self.root = root
        with open(os.path.join(root, "ImageSets", "Segmentation", split + ".txt")) as f:
            self.ids = [line.strip() for line in f if line.strip()]
        if not self.ids:
            raise SystemExit("train.py: %s lists no images" % split)
        if len(model.INPUTS) != 1:
            raise SystemExit("train.py: the net has %d image inputs; the VOC layout feeds one" % len(model.INPUTS))
        self.input = model.INPUTS[0]

    def image(self, id_):
        from PIL import Image

        for ext in (".jpg", ".jpeg", ".png"):
            path = os.path.join(self.root, "JPEGImages", id_ + ext)
            if os.path.exists(path):
                rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)
                break
        else:
            raise SystemExit("train.py: no image JPEGImages/%s.jpg" % id_)
        if self.input["channels"] == 1:
            # OpenCV's cvtColor(RGB2GRAY): Rec. 601 luma in 14-bit fixed point, rounded.
            q = rgb.astype(np.int64)
            x = ((q[:, :, 0] * 4899 + q[:, :, 1] * 9617 + q[:, :, 2] * 1868 + 8192) >> 14)[:, :, None].astype(np.float32)
        elif self.input["channels"] == 3:
            x = rgb[:, :, ::-1] if self.input["order"] == "bgr" else rgb
        else:
            raise SystemExit("train.py: the net's input has %d channels; an image gives 3 (RGB) or 1 (grey)" % self.input["channels"])
        if self.input["mean"]:
            x = x - np.asarray(self.input["mean"], dtype=np.float32)
        return np.ascontiguousarray(x.transpose(2, 0, 1), dtype=np.float32)

    def label(self, id_):
        from PIL import Image

        global VOC_COLORS
        im = Image.open(os.path.join(self.root, "SegmentationClass", id_ + ".png"))
        if im.mode in ("P", "L"):
            return np.asarray(im, dtype=np.int64)
        rgb = np.asarray(im.convert("RGB"), dtype=np.int64)
        if VOC_COLORS is None:
            VOC_COLORS = {tuple(c): i for i, c in enumerate(voc_colors().tolist())}
            VOC_COLORS[(224, 224, 192)] = 255
        flat = rgb.reshape(-1, 3)
        out = np.array([VOC_COLORS.get(tuple(c), 255) for c in flat.tolist()], dtype=np.int64)
        return out.reshape(rgb.shape[:2])


def order(n, seed, epoch, shuffle):
    ids = list(range(n))
    if shuffle:
        random.Random(seed * 1000003 + epoch).shuffle(ids)
    return ids


def batch_indices(n, step, batch, seed, shuffle):
    """The dataset indices of a step's whole batch: epochs of a (seeded) order, one after another."""
    out = []
    for k in range(step * batch, (step + 1) * batch):
        epoch, i = divmod(k, n)
        out.append(order(n, seed, epoch, shuffle)[i])
    return out


def lr_at(args, step):
    if args.lr_policy == "poly":
        return args.lr * (1 - step / args.iters) ** args.power
    if args.lr_policy == "step":
        return args.lr * args.gamma ** (step // args.stepsize)
    return args.lr


def param_groups(net, args):
    """One group per parameter: its lr and decay multipliers (frozen parameters are left out)."""
    groups = []
    for p in model.PARAMS:
        if p.get("buffer") or p["lr_mult"] == 0:
            continue
        groups.append(
            {
                "params": [getattr(net, p["attr"])],
                "lr_mult": p["lr_mult"],
                "lr": args.lr * p["lr_mult"],
                "weight_decay": args.weight_decay * p["decay_mult"],
                "name": p["key"],
            }
        )
    return groups


def loss_sum(scores, labels, loss):
    """-sum of log p[label] over the counted pixels (Caffe clamps p at FLT_MIN), and their count."""
    if loss["label_offset"] is not None:
        # crop(label): the label window under the scores, at the compiler's offset.
        (oy, ox), (h, w) = loss["label_offset"], scores.shape[2:]
        if oy + h > labels.shape[1] or ox + w > labels.shape[2]:
            raise SystemExit(
                "train.py: %s's scores are %dx%d at offset %d, %d, but the labels are only %dx%d"
                % (loss["name"], h, w, oy, ox, labels.shape[1], labels.shape[2])
            )
        labels = labels[:, oy : oy + h, ox : ox + w]
    if scores.shape[2:] != labels.shape[1:]:
        raise SystemExit(
            "train.py: %s's scores are %s but the labels are %s" % (loss["name"], tuple(scores.shape[2:]), tuple(labels.shape[1:]))
        )
    logp = F.log_softmax(scores, 1)
    valid = torch.ones_like(labels, dtype=torch.bool) if loss["ignore"] is None else labels != loss["ignore"]
    safe = torch.where(valid, labels, torch.zeros_like(labels))
    picked = logp.gather(1, safe.unsqueeze(1)).squeeze(1).clamp(min=LOG_FLT_MIN)
    return -(picked * valid).sum(), valid.sum()


def main():
    args = parse()
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    if world > 1:
        dist.init_process_group(backend=args.backend or ("nccl" if cuda else "gloo"))
    device = torch.device("cuda", local) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    if args.batch % world:
        raise SystemExit("train.py: --batch %d does not split over %d processes" % (args.batch, world))
    data = Voc(args.data, args.split)
    net = model.load(args.weights or True).to(device)
    net.train()
    ddp = torch.nn.parallel.DistributedDataParallel(net, device_ids=[local] if cuda else None) if world > 1 else net
    opt = torch.optim.SGD(param_groups(net, args), lr=args.lr, momentum=args.momentum)
    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
    for step in range(args.iters):
        whole = batch_indices(len(data.ids), step, args.batch, args.seed, args.shuffle)
        mine = whole[rank::world]
        xs = [torch.from_numpy(data.image(data.ids[i])) for i in mine]
        ys = [torch.from_numpy(data.label(data.ids[i])) for i in mine]
        if any(x.shape != xs[0].shape for x in xs):
            raise SystemExit("train.py: a process's images must share one size; use --batch %d per process" % world)
        x = torch.stack(xs).to(device)
        y = torch.stack(ys).to(device)
        for g in opt.param_groups:
            g["lr"] = lr_at(args, step) * g["lr_mult"]
        out = ddp(x, outputs=True)
        total = 0.0
        for loss in model.LOSSES:
            value, count = loss_sum(out[loss["score"]], y, loss)
            if loss["normalize"]:
                count = count.to(torch.float32)
                if world > 1:
                    dist.all_reduce(count)
                normaliser = count.clamp(min=1)
            else:
                normaliser = float(args.batch)
            total = total + value * loss["weight"] / normaliser
        opt.zero_grad()
        # DistributedDataParallel averages the gradients over processes; each process's loss is its part of the batch's.
        (total * world).backward()
        if args.dump_grads and step == 0 and rank == 0:
            np.savez(args.dump_grads, **{p["key"]: getattr(net, p["attr"]).grad.cpu().numpy() for p in model.PARAMS if not p.get("buffer") and getattr(net, p["attr"]).grad is not None})
        if args.clip_gradients:
            # Caffe's ClipGradients: all gradients together, before weight decay (SGD adds it in step()).
            torch.nn.utils.clip_grad_norm_([q for g in opt.param_groups for q in g["params"]], args.clip_gradients)
        opt.step()
        reported = total.detach() * world
        if world > 1:
            dist.all_reduce(reported)
        if rank == 0:
            print("step %d/%d loss %.6g lr %.3g" % (step + 1, args.iters, float(reported) / world, lr_at(args, step)), flush=True)
            if args.snapshot and (step + 1) % args.snapshot == 0 and step + 1 < args.iters:
                model.write_weights(net, os.path.join(args.out, "iter_%d.npz" % (step + 1)))
    if rank == 0:
        path = os.path.join(args.out, "iter_%d.npz" % args.iters)
        model.write_weights(net, path)
        print("wrote %s" % path, flush=True)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
