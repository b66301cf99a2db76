/** Text pieces of the viz labels (`3×3 /2 pad 1 dil 2`) shared by the layer definitions. */
import { formatNumber } from '../../viz/format.js';
import type { Pair } from './types-base.js';

export { formatNumber };

/** `3` when both axes agree, else `3×5` (h×w). */
export function pairText(p: Pair): string {
  return p[0] === p[1] ? formatNumber(p[0]) : `${formatNumber(p[0])}×${formatNumber(p[1])}`;
}

/** Kernel, stride, pad and dilation of a sliding window: `3×3 /2 pad 1 dil 2`. */
export function windowText(kernel: Pair, stride: Pair, pad: Pair, dilation: Pair = [1, 1]): string {
  let text = `${kernel[0]}×${kernel[1]}`;
  if (stride[0] !== 1 || stride[1] !== 1) text += ` /${pairText(stride)}`;
  if (pad[0] !== 0 || pad[1] !== 0) text += ` pad ${pairText(pad)}`;
  if (dilation[0] !== 1 || dilation[1] !== 1) text += ` dil ${pairText(dilation)}`;
  return text;
}

/** `a·b`, null when either is unknown. */
export function times(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a * b;
}
