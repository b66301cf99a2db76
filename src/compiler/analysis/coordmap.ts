/**
 * Coordinate maps (FCN.md, "Coordinate maps"): every spatial layer maps output coordinates
 * to input coordinates affinely per axis, `input = a·output + b`, with
 * - conv and pool: a = s, b = (k−1)/2 − p (k the effective kernel), the centre of output
 *   i's window `s·i − p … s·i − p + k − 1`;
 * - deconv: the inverse of a conv with the same k, s, p: a = 1/s, b = (p − (k−1)/2)/s;
 * - crop by offset o: a = 1, b = o;
 * - pointwise layers: identity; fc, global pooling, a resize to another blob's size and the
 *   loss: no map (the spatial chain breaks).
 *
 * Relating two blobs follows Caffe's coord_map.py: walk back from the first blob collecting
 * its ancestors with composed maps, walk back from the second until an ancestor of the
 * first is met (the common ancestor), and combine. Walks are breadth first with inputs in
 * order, so the result and the paths shown in messages are deterministic. Inputs share one
 * frame (a label lines up with its image) unless declared `frame: own`, so the walks may meet
 * at the frame's first input even when the blobs descend from different inputs.
 */
import type { IRGraph } from '../ir/types.js';
import type { Pair } from '../layers/types.js';
import { unreachable } from '../layers/def.js';
import { formatList } from './format.js';
import { Rational } from './rational.js';
import { describeLayer, frameRoot, inImageFrame, spatialInputs, spatialOf } from './spatial.js';

/** One axis: `input = a·output + b`. */
export interface AxisMap {
  a: Rational;
  b: Rational;
}

/** Per-axis maps [h, w]. */
export type CoordMap = [AxisMap, AxisMap];

const ID_AXIS: AxisMap = { a: Rational.ONE, b: Rational.ZERO };

/** The identity map. */
export const IDENTITY: CoordMap = [ID_AXIS, ID_AXIS];

/** The effective offset of each crop analysed so far (by node id); undefined while unknown. */
export type OffsetLookup = (crop: number) => Pair | undefined;

/**
 * The map of one layer from its output to its spatial inputs' coordinates, or undefined
 * where there is none (inputs, fc, loss, a crop whose offset is unknown).
 */
export function layerMap(ir: IRGraph, id: number, offsets: OffsetLookup): CoordMap | undefined {
  const sp = spatialOf(ir.nodes[id]!);
  switch (sp.kind) {
    case 'window':
      return [0, 1].map((i) => {
        const { k, s, p } = sp.axes[i]!;
        return { a: Rational.of(s), b: Rational.of(k - 1, 2).sub(p) };
      }) as CoordMap;
    case 'deconv':
      return [0, 1].map((i) => {
        const { k, s, p } = sp.axes[i]!;
        return {
          a: Rational.of(1, s),
          b: Rational.of(p)
            .sub(Rational.of(k - 1, 2))
            .div(s),
        };
      }) as CoordMap;
    case 'crop': {
      const o = offsets(id);
      return o && ([0, 1].map((i) => ({ a: Rational.ONE, b: Rational.of(o[i]!) })) as CoordMap);
    }
    case 'pointwise':
      return IDENTITY;
    case 'source':
    case 'like':
    case 'collapse':
    case 'loss':
      return undefined;
    default:
      return unreachable(sp);
  }
}

/** `outer ∘ inner`: first `inner`, then `outer` (both mapping towards the inputs). */
export function compose(outer: CoordMap, inner: CoordMap): CoordMap {
  return [0, 1].map((i) => {
    const o = outer[i]!;
    const n = inner[i]!;
    return { a: o.a.mul(n.a), b: o.a.mul(n.b).add(o.b) };
  }) as CoordMap;
}

/** The inverse map. */
export function invert(map: CoordMap): CoordMap {
  return map.map(({ a, b }) => ({ a: Rational.ONE.div(a), b: b.neg().div(a) })) as CoordMap;
}

/** Why a walk could not go further back from a node. */
export interface Stop {
  node: number;
  reason: 'break' | 'unresolved-crop';
}

/** A path from a blob back to an ancestor, with the composed map `ancestor = a·blob + b`. */
export interface Trace {
  /** Node ids from the blob (first) to the ancestor (last). */
  nodes: number[];
  map: CoordMap;
}

interface Walk {
  /** Ancestor id → map from the start blob to it, and the node the walk came through. */
  reached: Map<number, { map: CoordMap; child: number | null }>;
  /** Reached ids in visiting order. */
  order: number[];
  stops: Stop[];
  found?: number;
}

function walk(ir: IRGraph, start: number, offsets: OffsetLookup, target?: (id: number) => boolean): Walk {
  const reached = new Map<number, { map: CoordMap; child: number | null }>([[start, { map: IDENTITY, child: null }]]);
  const order = [start];
  const stops: Stop[] = [];
  const root = frameRoot(ir);
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    if (target?.(id)) return { reached, order, stops, found: id };
    const node = ir.nodes[id]!;
    // Inputs of the image frame share coordinates: each maps to the frame's root by the identity.
    if (node.op === 'input') {
      if (root !== undefined && id !== root && inImageFrame(node) && !reached.has(root)) {
        reached.set(root, { map: reached.get(id)!.map, child: id });
        order.push(root);
      }
      continue;
    }
    const parents = spatialInputs(node);
    const kind = spatialOf(node).kind;
    const map = layerMap(ir, id, offsets);
    if (!map) {
      if (kind === 'crop') stops.push({ node: id, reason: 'unresolved-crop' });
      else if (kind !== 'source') stops.push({ node: id, reason: 'break' });
      continue;
    }
    const total = reached.get(id)!.map;
    for (const p of parents) {
      if (reached.has(p)) continue;
      reached.set(p, { map: compose(map, total), child: id });
      order.push(p);
    }
  }
  return { reached, order, stops };
}

function trace(w: Walk, end: number): Trace {
  const nodes: number[] = [];
  for (let id: number | null = end; id !== null; id = w.reached.get(id)!.child) nodes.unshift(id);
  return { nodes, map: w.reached.get(end)!.map };
}

/** Two blobs related through a common ancestor. `map` is Caffe's `coord_map_from_to`: `to = a·from + b`. */
export interface Related {
  kind: 'related';
  ancestor: number;
  from: Trace;
  to: Trace;
  map: CoordMap;
}

/** Two blobs with no spatial path between them: what each walk reached and where it stopped. */
export interface Unrelated {
  kind: 'unrelated';
  from: { reached: number[]; stops: Stop[] };
  to: { reached: number[]; stops: Stop[] };
}

/** Relates blob `from` to blob `to` through their nearest common ancestor (nearest to `to`). */
export function relate(ir: IRGraph, from: number, to: number, offsets: OffsetLookup): Related | Unrelated {
  const fromWalk = walk(ir, from, offsets);
  const toWalk = walk(ir, to, offsets, (id) => fromWalk.reached.has(id));
  if (toWalk.found === undefined) {
    return {
      kind: 'unrelated',
      from: { reached: fromWalk.order, stops: fromWalk.stops },
      to: { reached: toWalk.order, stops: toWalk.stops },
    };
  }
  const ancestor = toWalk.found;
  const fromTrace = trace(fromWalk, ancestor);
  const toTrace = trace(toWalk, ancestor);
  return { kind: 'related', ancestor, from: fromTrace, to: toTrace, map: compose(invert(toTrace.map), fromTrace.map) };
}

function formatAxis(target: string, source: string, { a, b }: AxisMap): string {
  const scale = a.equals(1) ? source : `${a}·${source}`;
  if (b.sign() === 0) return `${target} = ${scale}`;
  return `${target} = ${scale} ${b.sign() < 0 ? '−' : '+'} ${b.sign() < 0 ? b.neg() : b}`;
}

/** A map as an equation, `data = 32·pool5 − 83.5`, or one per axis when they differ. */
export function formatMap(target: string, source: string, map: CoordMap): string {
  const [h, w] = map;
  if (h.a.equals(w.a) && h.b.equals(w.b)) return formatAxis(target, source, h);
  return `${formatAxis(target, source, h)} (height), ${formatAxis(target, source, w)} (width)`;
}

/** A trace for a note: `'x' maps to 'data' through x (deconv 4x4/2) → pool (pool 3x3/3) → data: data = 3/2·x`. */
export function describeTrace(ir: IRGraph, t: Trace): string {
  const name = (id: number) => ir.nodes[id]!.name;
  const start = name(t.nodes[0]!);
  const end = name(t.nodes[t.nodes.length - 1]!);
  if (t.nodes.length === 1) return `'${start}' is the common ancestor`;
  const path = t.nodes.map((id, i) => {
    const node = ir.nodes[id]!;
    const desc = describeLayer(node);
    return i < t.nodes.length - 1 && desc !== node.op ? `${node.name} (${desc})` : node.name;
  });
  return `'${start}' maps to '${end}' through ${path.join(' → ')}: ${formatMap(end, start, t.map)}`;
}

/** What a walk reached when it found no common ancestor: `'relu' reaches back to relu and ip; 'ip' (fc) has no spatial map`. */
export function describeReach(ir: IRGraph, start: number, reach: Unrelated['from']): string {
  const names = reach.reached.map((id) => ir.nodes[id]!.name);
  const stops = reach.stops.map(({ node }) => `'${ir.nodes[node]!.name}' (${ir.nodes[node]!.op}) has no spatial map`);
  const text = `'${ir.nodes[start]!.name}' reaches back to ${formatList(names)}`;
  return stops.length ? `${text}; ${formatList(stops)}` : text;
}
