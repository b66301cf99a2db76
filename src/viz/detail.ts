/**
 * The one-line parameter summary under a layer's name on the graph: `3×3 pad 100 → 64`,
 * `max 2×2 /2`, `4×4 /2 → 21 · bilinear, frozen`, `to data`.
 */
import type { IRGraph, IRNode } from '../compiler/ir/types.js';
import type { Pair } from '../compiler/layers/types.js';
import { formatNumber } from './format.js';

/** `3` when both axes agree, else `3×5` (h×w). */
function pair(p: Pair): string {
  return p[0] === p[1] ? formatNumber(p[0]) : `${formatNumber(p[0])}×${formatNumber(p[1])}`;
}

/** Kernel, stride, pad and dilation of a sliding window: `3×3 /2 pad 1 dil 2`. */
function windowText(kernel: Pair, stride: Pair, pad: Pair, dilation: Pair = [1, 1]): string {
  let text = `${kernel[0]}×${kernel[1]}`;
  if (stride[0] !== 1 || stride[1] !== 1) text += ` /${pair(stride)}`;
  if (pad[0] !== 0 || pad[1] !== 0) text += ` pad ${pair(pad)}`;
  if (dilation[0] !== 1 || dilation[1] !== 1) text += ` dil ${pair(dilation)}`;
  return text;
}

/** The summary of a node's parameters. */
export function layerDetail(ir: IRGraph, node: IRNode): string {
  switch (node.op) {
    case 'input':
      return node.input.kind === 'label' ? 'label' : `${node.input.channels} channels, ${node.input.order}`;
    case 'conv':
    case 'deconv': {
      const p = node.params;
      let text = `${windowText(p.kernel, p.stride, p.pad, p.dilation)}${p.group > 1 ? ` group ${p.group}` : ''} → ${p.out}`;
      const notes = [p.weight.init.kind === 'bilinear' ? 'bilinear' : '', p.weight.lr === 0 ? 'frozen' : ''].filter(
        Boolean,
      );
      if (notes.length) text += ` · ${notes.join(', ')}`;
      return text;
    }
    case 'pool':
      return `${node.params.method} ${windowText(node.params.kernel, node.params.stride, node.params.pad)}${node.params.round === 'floor' ? ' floor' : ''}`;
    case 'crop':
      return `to ${ir.nodes[node.inputs[1]!]?.name ?? '?'}`;
    case 'sum':
      return node.params.coeff
        ? `coeff ${node.params.coeff.map(formatNumber).join(', ')}`
        : `${node.inputs.length} inputs`;
    case 'concat':
      return `${node.inputs.length} inputs`;
    case 'fc':
      return `→ ${node.params.out}`;
    case 'scale':
      return `× ${formatNumber(node.params.value)}`;
    case 'lrn':
      return `size ${node.params.size}`;
    case 'dropout':
      return `ratio ${formatNumber(node.params.ratio)}`;
    case 'relu':
      return node.params.slope ? `slope ${formatNumber(node.params.slope)}` : '';
    case 'softmax_loss':
      return node.params.ignore === undefined ? '' : `ignore ${node.params.ignore}`;
    default:
      return '';
  }
}
