/**
 * Receptive field, effective stride and effective padding of every blob, per axis, relative
 * to each input it depends on: Araujo, Norris & Sim, "Computing Receptive Fields of
 * Convolutional Neural Networks" (Distill 2019), in their recurrent form, layer by layer:
 *
 * - effective stride S: the distance in input pixels between neighbouring units;
 * - receptive field r: the size of the input region one unit sees;
 * - effective padding P: how far unit 0's region starts before the input's origin, so unit
 *   i sees input `S·i − P … S·i − P + r − 1` and its centre is `S·i − P + (r−1)/2`.
 *
 * For a conv or pool with effective kernel k (dilation included: `d·(kernel−1)+1`), stride s
 * and pad p, on a blob with (S, r, P):  S' = S·s,  r' = r + (k−1)·S,  P' = P + p·S.
 *
 * Deconvolution extension: a transposed convolution is a zero-insertion upsampling by s
 * (stride 1/s: its units sit 1/s input pixels apart) followed by a stride-1 convolution with
 * kernel k and pad k−1−p. Applying the rule above to both:  S' = S/s,
 * r' = r + (k−1)·S/s,  P' = P + (k−1−p)·S/s. Strides, fields and paddings are therefore
 * exact rationals. This r is the continuous support: the centre `S·i − P + (r−1)/2` agrees
 * with the coordinate map exactly, while the discrete set of input pixels a given unit
 * touches may be smaller (between `floor((k−1)/s)+1` and `ceil(k/s)` deconv inputs).
 *
 * Other layers: crop by o gives P' = P − o·S; pointwise layers pass (S, r, P) through; a
 * layer with several inputs (sum, concat) takes the union of their regions (Araujo's
 * multi-path rule: the smallest start, the largest end); fc, global pooling, a resize to
 * another blob's size and the loss break the chain.
 */
import type { IRGraph } from '../ir/types.js';
import type { Pair } from '../layers/types.js';
import { unreachable } from '../layers/def.js';
import { Rational } from './rational.js';
import { spatialInputs, spatialOf, type Window } from './spatial.js';

/** One axis of a blob's field relative to one input. */
export interface AxisField {
  stride: Rational;
  rf: Rational;
  padding: Rational;
}

/** Per-axis fields [h, w]. */
export type Field = [AxisField, AxisField];

/** For each node id: its field relative to each input node id it depends on spatially. */
export type ReceptiveAnalysis = Map<number, Field>[];

const UNIT: AxisField = { stride: Rational.ONE, rf: Rational.ONE, padding: Rational.ZERO };

function throughWindow(f: AxisField, { k, s, p }: Window): AxisField {
  return { stride: f.stride.mul(s), rf: f.rf.add(f.stride.mul(k - 1)), padding: f.padding.add(f.stride.mul(p)) };
}

function throughDeconv(f: AxisField, { k, s, p }: Window): AxisField {
  const stride = f.stride.div(s);
  return { stride, rf: f.rf.add(stride.mul(k - 1)), padding: f.padding.add(stride.mul(k - 1 - p)) };
}

/** The union of two regions of units at the same position: Araujo's multi-path rule. */
function union(a: AxisField, b: AxisField): AxisField {
  // Regions run from −P to r − P (exclusive end); keep the earliest start and latest end.
  const padding = Rational.max(a.padding, b.padding);
  const end = Rational.max(a.rf.sub(a.padding), b.rf.sub(b.padding));
  // Differing strides are a misalignment the checks report; the first input's stride is kept.
  return { stride: a.stride, rf: end.add(padding), padding };
}

/** Computes every blob's receptive field, effective stride and padding relative to each input. */
export function receptiveFields(ir: IRGraph, offsets: ReadonlyMap<number, Pair>): ReceptiveAnalysis {
  const fields: ReceptiveAnalysis = [];
  for (const node of ir.nodes) {
    const mine = new Map<number, Field>();
    const sp = spatialOf(node);
    if (sp.kind === 'source') mine.set(node.id, [UNIT, UNIT]);
    const offset = offsets.get(node.id);
    // A crop with no known offset has no known alignment.
    const parents = sp.kind === 'crop' && !offset ? [] : spatialInputs(node);
    for (const parent of parents) {
      for (const [input, field] of fields[parent]!) {
        const next = field.map((f, axis): AxisField => {
          switch (sp.kind) {
            case 'window':
              return throughWindow(f, sp.axes[axis]!);
            case 'deconv':
              return throughDeconv(f, sp.axes[axis]!);
            case 'crop':
              return { ...f, padding: f.padding.sub(f.stride.mul(offset![axis]!)) };
            case 'pointwise':
              return f;
            case 'source':
            case 'like':
            case 'collapse':
            case 'loss':
              throw new Error(`receptiveFields: '${node.name}' (${sp.kind}) has no spatial inputs`);
            default:
              return unreachable(sp);
          }
        }) as Field;
        const prior = mine.get(input);
        mine.set(input, prior ? [union(prior[0], next[0]), union(prior[1], next[1])] : next);
      }
    }
    fields.push(mine);
  }
  return fields;
}
