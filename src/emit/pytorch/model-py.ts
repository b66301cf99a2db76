/**
 * IR → model.py: a torch.nn.Module whose forward is the net's inference graph, written out
 * layer by layer (one line per layer, crop offsets as commented constants), with `load()`
 * filling it from weights.npz. Also lists what train.py needs: each parameter's lr and decay
 * multipliers, the losses, the inputs' mean and channel order, the solver.
 */
import type { LayerType } from '../../compiler/layers/types.js';
import { scoreOutput } from '../../runtime/info.js';
import { imageInputs, inferenceLayers, type ExportNet, type NodeOf } from '../net.js';
import { PY_LAYERS, type PyLayerContext, type PyParam } from './layers.js';
import { PyNames, py } from './names.js';

/** The Python source of model.py and the parameters it declares (in weights.npz's order). */
export interface PyModel {
  source: string;
  params: PyParam[];
}

function translate<T extends LayerType>(node: NodeOf<T>, c: Omit<PyLayerContext<T>, 'node'>): string[] {
  return (PY_LAYERS[node.op as T] as (c: PyLayerContext<T>) => string[])({ ...c, node });
}

/** Caffe's fan_in of a blob: count / shape[0]. */
const fanIn = (shape: number[]): number => shape.slice(1).reduce((a, b) => a * b, 1);

const HELPERS = String.raw`
def caffe_pool(x, method, kernel, stride, pad, ceil=True):
    """Caffe's pooling. The output size rounds up (ceil) and drops a last window that would start
    in the padding; the input is padded after its end so that exactly those windows exist. Max
    pooling ignores the padding; average pooling divides by the window clipped to the padded
    input [-pad, size + pad), Caffe's divisor."""
    h, w = x.shape[2], x.shape[3]
    oh, ow = (pool_size(s, k, st, p, ceil) for s, k, st, p in zip((h, w), kernel, stride, pad))
    bottom = max(0, (oh - 1) * stride[0] + kernel[0] - h - pad[0])
    right = max(0, (ow - 1) * stride[1] + kernel[1] - w - pad[1])
    if method == "max":
        padded = F.pad(x, (pad[1], right, pad[0], bottom), value=float("-inf"))
        return F.max_pool2d(padded, kernel, stride)[:, :, :oh, :ow]
    padded = F.pad(x, (pad[1], right, pad[0], bottom))
    total = F.avg_pool2d(padded, kernel, stride)[:, :, :oh, :ow] * (kernel[0] * kernel[1])
    dh = [min(i * stride[0] - pad[0] + kernel[0], h + pad[0]) - (i * stride[0] - pad[0]) for i in range(oh)]
    dw = [min(j * stride[1] - pad[1] + kernel[1], w + pad[1]) - (j * stride[1] - pad[1]) for j in range(ow)]
    divisor = torch.tensor(dh, dtype=x.dtype, device=x.device)[:, None] * torch.tensor(dw, dtype=x.dtype, device=x.device)
    return total / divisor


def pool_size(size, kernel, stride, pad, ceil):
    """Caffe's pooled size along one axis."""
    if not ceil:
        return (size + 2 * pad - kernel) // stride + 1
    out = -(-(size + 2 * pad - kernel) // stride) + 1
    if pad > 0 and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def crop(x, like, offset):
    """Caffe's Crop on H and W: x cut to like's size, starting at offset."""
    h, w = like.shape[2], like.shape[3]
    if offset[0] + h > x.shape[2] or offset[1] + w > x.shape[3]:
        raise ValueError("cannot crop %s to %dx%d at offset %s: the input is too small" % (tuple(x.shape[2:]), h, w, offset))
    return x[:, :, offset[0] : offset[0] + h, offset[1] : offset[1] + w]


def bilinear(shape, group):
    """FCN's bilinear upsampling kernel: on the diagonal (channel c to channel c), zero elsewhere."""
    w = torch.zeros(shape)
    kh, kw = shape[2], shape[3]
    def axis(k):
        factor = (k + 1) // 2
        centre = factor - 1 if k % 2 == 1 else factor - 0.5
        return 1 - (torch.arange(k, dtype=torch.float32) - centre).abs() / factor
    filt = axis(kh)[:, None] * axis(kw)[None, :]
    per_group = shape[0] // group
    for i in range(shape[0]):
        j = i % per_group
        if j < shape[1]:
            w[i, j] = filt
    return w
`;

const LOADER = String.raw`
def initial(p):
    """The value load(weights=False) starts a parameter at: Caffe's fillers."""
    shape, init = p["shape"], p["init"]
    kind = init["kind"]
    if kind == "constant":
        return torch.full(shape, float(init["value"]))
    if kind == "zeros":
        return torch.zeros(shape)
    if kind == "ones":
        return torch.ones(shape)
    if kind == "gaussian":
        return torch.randn(shape) * init["std"] + init["mean"]
    if kind == "msra":
        return torch.randn(shape) * math.sqrt(2.0 / p["fan_in"])
    if kind == "xavier":
        a = math.sqrt(3.0 / p["fan_in"])
        return torch.empty(shape).uniform_(-a, a)
    if kind == "bilinear":
        return bilinear(shape, p["group"])
    raise ValueError("unknown initialiser %s" % kind)


def read_weights(net, path):
    """Fills net from an .npz of Caffe-layout arrays keyed layer/role (weights.npz, or a checkpoint of train.py)."""
    with np.load(path) as npz:
        state = {}
        for p in PARAMS:
            if p["key"] not in npz.files:
                raise KeyError("%s has no array %s" % (path, p["key"]))
            value = npz[p["key"]]
            if tuple(value.shape) != tuple(p["shape"]):
                raise ValueError("%s: %s is %s, the net needs %s" % (path, p["key"], value.shape, tuple(p["shape"])))
            state[p["attr"]] = torch.from_numpy(np.ascontiguousarray(value, dtype=np.float32))
    net.load_state_dict(state)
    return net


def write_weights(net, path):
    """Saves net's parameters and statistics as read_weights reads them (numpy's .npz)."""
    state = net.state_dict()
    np.savez(path, **{p["key"]: state[p["attr"]].detach().cpu().numpy() for p in PARAMS})


def load(weights=True):
    """The net as a torch.nn.Module: with the exported weights, or freshly initialised (weights=False)."""
    net = Net()
    if weights is True:
        return read_weights(net, WEIGHTS)
    if weights:
        return read_weights(net, weights)
    with torch.no_grad():
        for p in PARAMS:
            getattr(net, p["attr"]).copy_(initial(p))
    return net
`;

/** model.py for `net`. */
export function pytorchModel(net: ExportNet, version: string): PyModel {
  const { ir, info } = net;
  const names = new PyNames();
  const vars = new Map<number, string>();
  const params: PyParam[] = [];
  const inputs = imageInputs(ir);
  for (const node of inputs) vars.set(node.id, names.take(node.name));
  const body: string[] = [];
  for (const layer of inferenceLayers(ir)) {
    const out = names.take(layer.name);
    const lines = translate(layer, {
      inputs: layer.inputs.map((i) => vars.get(i)!),
      out,
      net,
      param: (role, blob, spec, init, { group = 1, data = net.params.get(layer.name)![blob]!.data } = {}) => {
        const { shape } = net.params.get(layer.name)![blob]!;
        const attr = names.take(`${layer.name}_${role}`);
        params.push({
          key: `${layer.name}/${role}`,
          attr,
          shape,
          data,
          blob,
          ...(spec ? { spec } : {}),
          init,
          fanIn: fanIn(shape),
          group,
        });
        return `self.${attr}`;
      },
    });
    vars.set(layer.id, out);
    body.push(...lines);
  }
  const first = scoreOutput(info);
  const outputs = info.outputs.map((o) => `${py(o)}: ${vars.get(ir.byName.get(o)!)!}`);
  const args = inputs.map((n) => vars.get(n.id)!);
  const declare = params.map((p) =>
    p.spec
      ? `        self.${p.attr} = nn.Parameter(torch.zeros(${py(p.shape)}), requires_grad=${py(p.spec.lr > 0)})`
      : `        self.register_buffer(${py(p.attr)}, torch.zeros(${py(p.shape)}))`,
  );
  const table = params.map(
    (p) =>
      `    {"key": ${py(p.key)}, "attr": ${py(p.attr)}, "shape": ${py(p.shape)}, ` +
      (p.spec ? `"lr_mult": ${py(p.spec.lr)}, "decay_mult": ${py(p.spec.decay)}, ` : '"buffer": True, ') +
      `"init": ${py(p.init)}, "fan_in": ${p.fanIn}, "group": ${p.group}},`,
  );
  const losses = info.losses.map(
    (l) =>
      `    {"name": ${py(l.name)}, "score": ${py(l.score)}, "label": ${py(l.label)}, "ignore": ${py(l.ignore)}, ` +
      `"normalize": ${py(l.normalize)}, "weight": ${py(l.weight)}, "label_offset": ${py(l.labelOffset)}},`,
  );
  const inputSpecs = info.inputs.map(
    (i) =>
      `    {"name": ${py(i.name)}, "channels": ${i.channels}, "mean": ${py(i.mean ?? [])}, "order": ${py(i.order)}, "size": ${py(i.size)}},`,
  );
  const solver = Object.fromEntries(Object.entries(info.solver).filter(([, v]) => v !== undefined));
  const source = [
    `"""Net ${info.net}, exported by fcn ${version} from ${net.from}.`,
    '',
    'load(weights=True) -> torch.nn.Module. forward takes the raw NCHW float32 input that',
    "`fcn predict` takes from a .npy file (the mean and channel order of INPUTS are the caller's)",
    `and returns the scores of ${first}, NCHW; forward(..., outputs=True) returns every output by name.`,
    "Caffe's semantics: ceil-mode pooling, crops at the offsets fcn's compiler computed,",
    "deconvolution of Caffe's size, LRN with alpha divided by size, grouped and dilated convolution.",
    'Generated: edit the .fcn file and export again rather than this file.',
    '"""',
    'import math',
    'import os',
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    'WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights.npz")',
    '',
    `NET = ${py(info.net)}`,
    `INPUTS = [\n${inputSpecs.join('\n')}\n]`,
    `OUTPUTS = ${py(info.outputs)}`,
    `LOSSES = [\n${losses.join('\n')}\n]`,
    `SOLVER = ${py(solver)}`,
    '# Every parameter: its key in weights.npz, the module attribute, its Caffe-layout shape, its learning',
    '# multipliers (a buffer has none) and how load(weights=False) initialises it.',
    `PARAMS = [\n${table.join('\n')}\n]`,
    HELPERS,
    '',
    'class Net(nn.Module):',
    `    """${info.net}: the inference graph, one line per layer."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(declare.length ? declare : ['        pass']),
    '',
    `    def forward(self, ${args.join(', ')}, outputs=False):`,
    ...body.map((l) => `        ${l}`),
    `        named = {${outputs.join(', ')}}`,
    `        return named if outputs else named[${py(first)}]`,
    '',
    LOADER,
  ].join('\n');
  return { source, params };
}
