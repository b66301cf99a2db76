/**
 * Spatial size propagation along one axis with Caffe's rules. The two axes never interact
 * (kernels, strides, pads and crop offsets are per axis), so sizes, failures and the
 * smallest surviving input are all computed one axis at a time.
 *
 * - conv: `floor((H + 2p − k)/s) + 1` (k the effective kernel);
 * - pool: `ceil((H + 2p − k)/s) + 1`, minus one if the last window would start inside the
 *   padding (`(out − 1)·s ≥ H + p`, Caffe applies this only when p > 0); `floor` selectable;
 * - deconv: `s·(H − 1) + k − 2p`;
 * - crop: the reference's size; offset + reference must fit in the input;
 * - pointwise layers (sum, concat, …) and the loss need equal sizes; fc and global pooling
 *   give 1; a resize to another blob takes that blob's size.
 */
import type { IRGraph } from '../ir/types.js';
import { unreachable } from '../layers/def.js';
import { deconvOutSize, poolOutSize } from '../layers/sizes.js';
import type { Pair } from '../layers/types.js';
import { spatialOf } from './spatial.js';

/** Why an axis failed at a node. */
export type AxisFailure =
  /** The output size would be ≤ 0; `size` is that raw size, `from` the input size. */
  | { kind: 'collapse'; node: number; size: number; from: number }
  /** Offset + reference size exceeds the cropped input. */
  | { kind: 'crop'; node: number; offset: number; reference: number; from: number }
  /** Inputs of a sum, concat or loss differ in size. */
  | { kind: 'mismatch'; node: number; sizes: (number | null)[] };

/** Sizes per node id (null: unknown, or not spatial) and the failures met. */
export interface AxisResult {
  sizes: (number | null)[];
  failures: AxisFailure[];
}

/**
 * Propagates sizes along `axis`. `inputSize` gives each input node's size (null if unknown).
 * With `firstFailure` (the input-size search), stops at the first failure and leaves out the
 * losses' size checks: whether the net computes at a size does not depend on its labels,
 * whose size the data decides (a U-Net's tile label is cropped to the output with `crop(label)`).
 */
export function propagateAxis(
  ir: IRGraph,
  axis: 0 | 1,
  inputSize: (id: number) => number | null,
  offsets: ReadonlyMap<number, Pair>,
  firstFailure = false,
): AxisResult {
  const sizes: (number | null)[] = new Array(ir.nodes.length).fill(null);
  const failures: AxisFailure[] = [];
  for (const node of ir.nodes) {
    const id = node.id;
    const inputs = node.inputs.map((i) => sizes[i] ?? null);
    const x = inputs[0] ?? null;
    let out: number | null = null;
    const sp = spatialOf(node);
    const sameSize = (keep: boolean): number | null => {
      const known = inputs.filter((v): v is number => v !== null);
      if (known.some((v) => v !== known[0])) failures.push({ kind: 'mismatch', node: id, sizes: inputs });
      else if (keep && known.length === inputs.length) return x;
      return null;
    };
    const collapses = (size: number, from: number): number | null => {
      if (size > 0) return size;
      failures.push({ kind: 'collapse', node: id, size, from });
      return null;
    };
    switch (sp.kind) {
      case 'source':
        out = inputSize(id);
        break;
      case 'window': {
        // k is already the effective extent, so no dilation here; `floor` is the convolution's rule.
        const { k, s, p } = sp.axes[axis];
        if (x !== null) out = collapses(poolOutSize(x, k, s, p, sp.round), x);
        break;
      }
      case 'deconv': {
        const { k, s, p } = sp.axes[axis];
        if (x !== null) out = collapses(deconvOutSize(x, k, s, p), x);
        break;
      }
      case 'crop': {
        out = inputs[1] ?? null;
        const offset = offsets.get(id)?.[axis];
        if (out !== null && x !== null && offset !== undefined && offset + out > x) {
          failures.push({ kind: 'crop', node: id, offset, reference: out, from: x });
          out = null;
        }
        break;
      }
      case 'pointwise':
        out = sameSize(true);
        break;
      case 'like':
        out = inputs[1] ?? null;
        break;
      case 'collapse':
        out = 1;
        break;
      case 'loss':
        if (!firstFailure) sameSize(false);
        break;
      default:
        unreachable(sp);
    }
    if (failures.length && firstFailure) break;
    sizes[id] = out;
  }
  return { sizes, failures };
}

/** The smallest input size ≥ `from` (all inputs alike) with which `axis` survives, searching up to `limit`; null if none. */
export function smallestInput(
  ir: IRGraph,
  axis: 0 | 1,
  offsets: ReadonlyMap<number, Pair>,
  limit: number,
  from = 1,
): number | null {
  for (let h = from; h <= limit; h++) if (survives(ir, axis, h, offsets)) return h;
  return null;
}

/** Whether `axis` survives with every input at size h. */
export function survives(ir: IRGraph, axis: 0 | 1, h: number, offsets: ReadonlyMap<number, Pair>): boolean {
  return propagateAxis(ir, axis, () => h, offsets, true).failures.length === 0;
}
