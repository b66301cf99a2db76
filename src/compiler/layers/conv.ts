/** `conv`: Caffe's Convolution (pad, stride, dilation, groups). */
import { windows, type LayerDef } from './def.js';
import { times, windowText } from './detail.js';
import { get, LEARNED, learned, ONE, pairParam, type CheckedParams, type ParamDef } from './params.js';
import type { Pair, ParamSpec } from './types-base.js';

export interface ConvParams {
  out: number;
  kernel: Pair;
  stride: Pair;
  pad: Pair;
  dilation: Pair;
  group: number;
  /** Whether the layer has a bias term. */
  biasTerm: boolean;
  weight: ParamSpec;
  bias: ParamSpec;
}

/** The parameters of conv and deconv. */
export const CONV_PARAMS: readonly ParamDef[] = [
  { name: 'out', kind: { kind: 'int', min: 1 }, required: true, doc: 'number of output channels' },
  pairParam('kernel', 1, 'kernel size, or [h, w]'),
  pairParam('stride', 1, 'stride, or [h, w]', 1),
  pairParam('pad', 0, 'zero padding, or [h, w]', 0),
  pairParam('dilation', 1, 'dilation, or [h, w]', 1),
  { name: 'group', kind: { kind: 'int', min: 1 }, default: 1, doc: 'channel groups (AlexNet uses 2)' },
  ...LEARNED,
];

export function buildConv(v: CheckedParams): ConvParams {
  return {
    out: get<number>(v, 'out'),
    kernel: get<Pair>(v, 'kernel'),
    stride: get<Pair>(v, 'stride'),
    pad: get<Pair>(v, 'pad'),
    dilation: get<Pair>(v, 'dilation'),
    group: get<number>(v, 'group'),
    ...learned(v),
  };
}

/** in·out/group·kh·kw weights (both conv and deconv), plus `out` biases. */
export function convWeights(p: ConvParams, inC: number | null): number | null {
  return inC === null ? null : (inC * p.out * p.kernel[0] * p.kernel[1]) / p.group;
}

export function convDetail(p: ConvParams): string {
  let text = `${windowText(p.kernel, p.stride, p.pad, p.dilation)}${p.group > 1 ? ` group ${p.group}` : ''} → ${p.out}`;
  const notes = [p.weight.init.kind === 'bilinear' ? 'bilinear' : '', p.weight.lr === 0 ? 'frozen' : ''].filter(
    Boolean,
  );
  if (notes.length) text += ` · ${notes.join(', ')}`;
  return text;
}

export const conv: LayerDef<'conv', ConvParams> = {
  type: 'conv',
  doc: 'convolution',
  inputs: ONE,
  params: CONV_PARAMS,
  build: buildConv,
  spatial: (p) => ({ kind: 'window', axes: windows(p.kernel, p.stride, p.pad, p.dilation), round: 'floor' }),
  channels: (p) => p.out,
  paramCount: (p, c) => {
    const w = convWeights(p, c.inC);
    return w === null ? null : w + (p.biasTerm ? p.out : 0);
  },
  // Each weight is used once per output pixel.
  flops: (p, c) => times(convWeights(p, c.inC), c.outArea === null ? null : 2 * c.outArea),
  detail: convDetail,
  style: 'box',
  example: 'x: conv { out: 6  kernel: [3, 2]  stride: [2, 1]  pad: [1, 2]  dilation: [1, 2]  group: 2 }',
  differentiable: true,
};
