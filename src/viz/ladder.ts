/**
 * The drawing frame of the stride ladder: its columns (the strides that occur) and its top
 * row, the trunk: for each stride, the first blob that downsamples to it (the input, then
 * pool1 … pool5 in VGG16). The rungs themselves come from the compiler's ladder analysis.
 */
import type { VizLadder, VizNode, VizRung } from './model.js';

type TrunkNode = Pick<VizNode, 'name' | 'inputs' | 'stride'>;

/** Builds the ladder from the nodes (topological order), the reference input and the compiler's rungs. */
export function ladderFrame(nodes: TrunkNode[], reference: string | null, rungs: VizRung[]): VizLadder {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const strideOf = (name: string) => byName.get(name)?.stride?.[0] ?? null;
  const trunk: VizLadder['trunk'] = [];
  const seen = new Set<number>();
  for (const n of nodes) {
    const s = n.stride?.[0];
    if (s === undefined || seen.has(s)) continue;
    const before = n.inputs.map(strideOf).filter((v): v is number => v !== null);
    const downsamples = n.name === reference || (before.length > 0 && before.every((b) => b < s));
    if (!downsamples) continue;
    seen.add(s);
    trunk.push({ stride: s, name: n.name });
  }
  trunk.sort((a, b) => a.stride - b.stride);
  const levels = new Set(trunk.map((t) => t.stride));
  for (const r of rungs) {
    if (r.stride !== null) levels.add(r.stride);
    for (const b of r.branches) {
      const s = b.from ? strideOf(b.from.name) : null;
      if (s !== null) levels.add(s);
    }
  }
  return { levels: [...levels].sort((a, b) => a - b), trunk, rungs };
}
