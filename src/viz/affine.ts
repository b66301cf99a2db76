/**
 * Per-axis affine coordinate maps (`input = a·output + b`) as the viz shows them: composition
 * along a path and each layer's share of the total shift. Self-contained functions: the page
 * embeds their source too.
 */
import type { VizAffine, VizMap, VizPair, VizPath } from './model.js';

/** The identity map on both axes. */
export function identityMap(): VizMap {
  return [
    { a: 1, b: 0 },
    { a: 1, b: 0 },
  ];
}

/** `outer ∘ inner`: first `inner`, then `outer` (x ↦ outer(inner(x))). */
export function composeMaps(outer: VizMap, inner: VizMap): VizMap {
  return [0, 1].map((i) => ({ a: outer[i]!.a * inner[i]!.a, b: outer[i]!.a * inner[i]!.b + outer[i]!.b })) as VizMap;
}

/**
 * Fills each step's map to the ancestor and its share of the path's shift. Steps run from the
 * ancestor outwards, so a step's share is its own `b` scaled by the steps nearer the ancestor.
 */
export function annotatePath<P extends { steps: Array<{ map: VizMap }> }>(
  path: P,
): Omit<P, 'steps'> & { steps: Array<P['steps'][number] & { toAncestor: VizMap; shift: VizPair }>; composed: VizMap } {
  let acc = identityMap();
  const steps = path.steps.map((s) => {
    const shift: VizPair = [acc[0].a * s.map[0].b, acc[1].a * s.map[1].b];
    acc = composeMaps(acc, s.map);
    return { ...s, toAncestor: acc, shift };
  });
  return { ...path, steps, composed: acc };
}

/** The crop offset that aligns `input` with `reference`, per axis, from their maps to the common ancestor. */
export function offsetFromPaths(input: VizPath, reference: VizPath): Array<number | null> {
  return [0, 1].map((i) => {
    const x = input.composed[i]!;
    const r = reference.composed[i]!;
    return x.a === r.a ? (r.b - x.b) / x.a : null;
  });
}
