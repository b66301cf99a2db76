/**
 * The spatial behaviour of each layer type, in one place, so that shapes, coordinate maps,
 * receptive fields and the checks all agree on what a layer does to the H and W axes.
 */
import type { IRGraph, IRNode } from '../ir/types.js';
import type { Pair } from '../layers/types.js';

/** One axis of a sliding window: effective kernel extent, stride, pad. */
export interface Window {
  /** Effective extent `dilation·(kernel−1)+1`. */
  k: number;
  s: number;
  p: number;
}

/**
 * How a layer maps space:
 * - `window`: convolution or pooling, output i covers input `s·i−p … s·i−p+k−1`;
 * - `deconv`: the transpose of a window with the same k, s, p;
 * - `crop`: output i is input `i + offset` (the offset comes from the crop analysis);
 * - `identity`: pointwise in space (ReLU, dropout, LRN, sum, concat, scale, softmax, argmax, batch norm);
 * - `break`: no spatial correspondence (fc, the scalar loss);
 * - `source`: an input.
 */
export type Spatial =
  | { kind: 'window'; axes: [Window, Window] }
  | { kind: 'deconv'; axes: [Window, Window] }
  | { kind: 'crop' }
  | { kind: 'identity' }
  | { kind: 'break' }
  | { kind: 'source' };

function windows(kernel: Pair, stride: Pair, pad: Pair, dilation: Pair = [1, 1]): [Window, Window] {
  const axis = (i: 0 | 1): Window => ({ k: dilation[i] * (kernel[i] - 1) + 1, s: stride[i], p: pad[i] });
  return [axis(0), axis(1)];
}

/** The spatial behaviour of a node. */
export function spatialOf(node: IRNode): Spatial {
  switch (node.op) {
    case 'input':
      return { kind: 'source' };
    case 'conv':
      return {
        kind: 'window',
        axes: windows(node.params.kernel, node.params.stride, node.params.pad, node.params.dilation),
      };
    case 'pool':
      return { kind: 'window', axes: windows(node.params.kernel, node.params.stride, node.params.pad) };
    case 'deconv':
      return {
        kind: 'deconv',
        axes: windows(node.params.kernel, node.params.stride, node.params.pad, node.params.dilation),
      };
    case 'crop':
      return { kind: 'crop' };
    case 'fc':
    case 'softmax_loss':
      return { kind: 'break' };
    case 'relu':
    case 'dropout':
    case 'lrn':
    case 'sum':
    case 'concat':
    case 'scale':
    case 'softmax':
    case 'argmax':
    case 'batch_norm':
      return { kind: 'identity' };
  }
}

/**
 * The inputs whose coordinates flow into a node's output. A crop's second input only lends
 * its size (Caffe's coord_map.py walks only the cropped bottom); `break` layers have none.
 */
export function spatialInputs(node: IRNode): number[] {
  switch (spatialOf(node).kind) {
    case 'source':
    case 'break':
      return [];
    case 'crop':
      return node.inputs.slice(0, 1);
    default:
      return node.inputs;
  }
}

/** A short description of a layer's spatial parameters for messages: `conv 3x3/1 pad 1` (kernel as its effective extent). */
export function describeLayer(node: IRNode): string {
  const sp = spatialOf(node);
  if (sp.kind !== 'window' && sp.kind !== 'deconv') return node.op;
  const [h, w] = sp.axes;
  const both = (f: (a: Window) => number) => (f(h) === f(w) ? `${f(h)}` : `${f(h)}x${f(w)}`);
  const pad = h.p || w.p ? ` pad ${both((a) => a.p)}` : '';
  return `${node.op} ${h.k}x${w.k}/${both((a) => a.s)}${pad}`;
}

/** The first input declared as an image (else the first input): the reference for strides and fields. */
export function primaryInput(ir: IRGraph): number | undefined {
  const image = ir.inputs.find((id) => {
    const n = ir.nodes[id]!;
    return n.op === 'input' && n.input.kind === 'image';
  });
  return image ?? ir.inputs[0];
}
