/**
 * Each fcn layer type as PyTorch code in `forward`, with Caffe's semantics (model.py's helpers
 * `caffe_pool` and `crop` carry what torch does not do by itself), and the parameters each
 * layer owns. Caffe's weight layouts are torch's: conv (out, in/g, kh, kw), deconv
 * (in, out/g, kh, kw), inner product (out, in). The table is exhaustive over LayerType: a new
 * layer type does not compile until it is mapped.
 */
import type { Init, LayerType, ParamSpec } from '../../compiler/layers/types.js';
import { batchNormStats, blobsOf, cropOffset, type ExportNet, type NodeOf } from '../net.js';
import { py } from './names.js';

/** A parameter (or, for batch norm's statistics, a buffer) of the module. */
export interface PyParam {
  /** The key in weights.npz and in checkpoints: `layer/role`. */
  key: string;
  /** The module attribute. */
  attr: string;
  shape: number[];
  /** Its values, from the model (Caffe layout). */
  data: Float32Array;
  /** Learning settings; undefined for a buffer. */
  spec?: ParamSpec;
  /** How load(weights=False) fills it. */
  init: Init | { kind: 'zeros' } | { kind: 'ones' };
  /** Which of the layer's Caffe blobs it is. */
  blob: number;
  /** Caffe's fan_in (xavier, msra), and the group count of a bilinear kernel. */
  fanIn: number;
  group: number;
}

export interface PyLayerContext<T extends LayerType> {
  node: NodeOf<T>;
  /** Python expressions of the inputs. */
  inputs: string[];
  /** The variable the layer assigns. */
  out: string;
  net: ExportNet;
  /**
   * Declares a parameter of this layer; returns its expression (`self.conv1_1_weight`). Its
   * values are the blob's unless `data` is given (batch norm's statistics, divided by the factor).
   */
  param: (
    role: string,
    blob: number,
    spec: ParamSpec | undefined,
    init: PyParam['init'],
    options?: { group?: number; data?: Float32Array },
  ) => string;
}

type Translate<T extends LayerType> = (c: PyLayerContext<T>) => string[];

function convLike<T extends 'conv' | 'deconv'>(fn: 'F.conv2d' | 'F.conv_transpose2d'): Translate<T> {
  return (c) => {
    const node = c.node as NodeOf<'conv' | 'deconv'>;
    const p = node.params;
    blobsOf(c.net, node, p.biasTerm ? 2 : 1);
    const w = c.param('weight', 0, p.weight, p.weight.init, { group: p.group });
    const b = p.biasTerm ? c.param('bias', 1, p.bias, p.bias.init) : 'None';
    const args = `stride=${py(p.stride)}, padding=${py(p.pad)}, dilation=${py(p.dilation)}, groups=${p.group}`;
    return [`${c.out} = ${fn}(${c.inputs[0]}, ${w}, ${b}, ${args})`];
  };
}

/** Σ coeff_i · input_i (coefficients 1 when absent): sum, and eltwise's SUM. */
function weightedSum(out: string, inputs: string[], coeff: number[] | undefined): string[] {
  const terms = inputs.map((x, i) => ((coeff?.[i] ?? 1) === 1 ? x : `${py(coeff![i])} * ${x}`));
  return [`${out} = ${terms.join(' + ')}`];
}

/** Every layer type's code; softmax_loss is computed by train.py from LOSSES. */
export const PY_LAYERS: { [T in LayerType]: Translate<T> } = {
  conv: convLike<'conv'>('F.conv2d'),
  deconv: convLike<'deconv'>('F.conv_transpose2d'),
  pool: ({ node, inputs, out }) => {
    const p = node.params;
    if (p.global)
      return [`${out} = ${p.method === 'max' ? 'torch.amax' : 'torch.mean'}(${inputs[0]}, (2, 3), keepdim=True)`];
    return [
      `${out} = caffe_pool(${inputs[0]}, ${py(p.method)}, ${py(p.kernel)}, ${py(p.stride)}, ${py(p.pad)}, ceil=${py(p.round === 'ceil')})`,
    ];
  },
  relu: ({ node, inputs, out }) => [
    node.params.slope === 0
      ? `${out} = F.relu(${inputs[0]})`
      : `${out} = F.leaky_relu(${inputs[0]}, ${py(node.params.slope)})`,
  ],
  dropout: ({ node, inputs, out }) => [`${out} = F.dropout(${inputs[0]}, ${py(node.params.ratio)}, self.training)`],
  lrn: ({ node, inputs, out }) => {
    const p = node.params;
    // torch, like Caffe, divides alpha by size.
    return [
      `${out} = F.local_response_norm(${inputs[0]}, ${p.size}, alpha=${py(p.alpha)}, beta=${py(p.beta)}, k=${py(p.k)})`,
    ];
  },
  crop: ({ node, inputs, out, net }) => {
    const offset = cropOffset(net, node);
    const from = net.ir.nodes[node.inputs[0]!]!.name;
    const like = net.ir.nodes[node.inputs[1]!]!.name;
    return [
      `# crop offset ${py(offset)}: computed by fcn's compiler from the coordinate maps of ${from} and ${like}`,
      `${out} = crop(${inputs[0]}, ${inputs[1]}, ${py(offset)})`,
    ];
  },
  sum: ({ node, inputs, out }) => weightedSum(out, inputs, node.params.coeff),
  concat: ({ inputs, out }) => [
    inputs.length === 1 ? `${out} = ${inputs[0]}` : `${out} = torch.cat([${inputs.join(', ')}], 1)`,
  ],
  scale: (c) => {
    const p = c.node.params;
    const init: Init = p.weight.init.kind === 'constant' ? { kind: 'constant', value: p.value } : p.weight.init;
    const scaled = `${c.inputs[0]} * ${c.param('scale', 0, p.weight, init)}.view(1, -1, 1, 1)`;
    if (!p.biasTerm) return [`${c.out} = ${scaled}`];
    // The shift learns as the factor does, as in fcn's runtime.
    blobsOf(c.net, c.node, 2);
    const bias = c.param('bias', 1, p.weight, { kind: 'constant', value: 0 });
    return [`${c.out} = ${scaled} + ${bias}.view(1, -1, 1, 1)`];
  },
  softmax: ({ inputs, out }) => [`${out} = F.softmax(${inputs[0]}, 1)`],
  softmax_loss: () => [],
  argmax: ({ inputs, out }) => [`${out} = torch.argmax(${inputs[0]}, 1, keepdim=True).to(${inputs[0]}.dtype)`],
  fc: (c) => {
    const p = c.node.params;
    blobsOf(c.net, c.node, p.biasTerm ? 2 : 1);
    const w = c.param('weight', 0, p.weight, p.weight.init);
    const b = p.biasTerm ? c.param('bias', 1, p.bias, p.bias.init) : 'None';
    // Caffe flattens in (C, H, W) order, as torch.flatten does on NCHW.
    return [`${c.out} = F.linear(torch.flatten(${c.inputs[0]}, 1), ${w}, ${b}).view(-1, ${p.out}, 1, 1)`];
  },
  batch_norm: (c) => {
    const p = c.node.params;
    // torch keeps the statistics themselves: Caffe's sums divided by the factor (0 for factor 0).
    const stats = batchNormStats(c.net, c.node);
    const mean = c.param('mean', 0, undefined, { kind: 'zeros' }, { data: stats.mean });
    const variance = c.param('var', 1, undefined, { kind: 'ones' }, { data: stats.variance });
    // Caffe's moving_average_fraction λ keeps λ of the old value; torch's momentum is the new value's weight.
    // A global batch norm normalises with the stored statistics in training too.
    const training = p.global ? 'False' : 'self.training';
    return [
      `${c.out} = F.batch_norm(${c.inputs[0]}, ${mean}, ${variance}, training=${training}, momentum=${py(+(1 - p.momentum).toPrecision(12))}, eps=${py(p.eps)})`,
    ];
  },
  eltwise: ({ node, inputs, out }) => {
    const p = node.params;
    if (p.operation === 'sum') return weightedSum(out, inputs, p.coeff);
    if (p.operation === 'prod') return [`${out} = ${inputs.join(' * ')}`];
    return [`${out} = ${inputs.slice(1).reduce((a, x) => `torch.maximum(${a}, ${x})`, inputs[0]!)}`];
  },
  interp: ({ node, inputs, out }) => {
    const z = node.params.factor;
    const x = inputs[0]!;
    // Caffe's Interp: by a factor z, out = z·(in − 1) + 1; else the size of the second input.
    const size =
      z === undefined ? `${inputs[1]}.shape[2:]` : `(${z} * (${x}.shape[2] - 1) + 1, ${z} * (${x}.shape[3] - 1) + 1)`;
    return [`${out} = F.interpolate(${x}, size=${size}, mode="bilinear", align_corners=True)`];
  },
  prelu: (c) => {
    const p = c.node.params;
    blobsOf(c.net, c.node, 1);
    // Caffe's PReLU: a slope per channel, or one (shared); torch's prelu takes either.
    return [`${c.out} = F.prelu(${c.inputs[0]}, ${c.param('weight', 0, p.weight, p.weight.init)})`];
  },
  sigmoid: ({ inputs, out }) => [`${out} = torch.sigmoid(${inputs[0]})`],
  tanh: ({ inputs, out }) => [`${out} = torch.tanh(${inputs[0]})`],
};
