/**
 * The input-size advisor (`fcn inspect`): for each axis, which sides a net accepts and which
 * of them are exact, described as a smallest side and a repeating pattern ("every 16 from
 * 188"). Acceptance is the shape analysis's own survival test (`propagateAxis`, as `survives`
 * runs it); nothing here decides it a second way.
 *
 * A side is *exact* when it is accepted and no layer rounds: every conv and pool window tiles
 * its padded input exactly (`(H + 2p − k)` a multiple of the stride, so neither Caffe's floor
 * nor its ceil drops or adds a pixel), and every `interp { like: … }` maps the corners of its
 * input onto those of the blob it takes its size from, as the coordinate maps relate them
 * (`ref = a·in + b` with b = 0 and a·(in − 1) = ref − 1). Crops always apply whole-pixel
 * offsets (a fractional one is an error whatever the size) and deconvolutions never round. At
 * an exact side every blob's pixel grid is centred on the input (its first and last pixels
 * map, through the coordinate maps, equally far inside the two edges), which is what
 * U-Net's "every 2×2 pooling sees an even size" and DeepLab's 8k + 1 sides are for.
 */
import type { IRGraph } from '../ir/types.js';
import type { Pair } from '../layers/types.js';
import { propagateAxis, smallestInput } from './axis.js';
import { relate, type AxisMap, type CoordMap } from './coordmap.js';
import { formatSize } from './format.js';
import { formatRun, nearSizes, type SideRun } from './input-sizes.js';
import { INPUT_SEARCH_LIMIT } from './shapes.js';
import { spatialOf, type Window } from './spatial.js';

/** A layer that rounds at a side: its node id, its input's size, and why. */
export interface Rounding {
  layer: number;
  size: number;
  why: string;
}

/** How a side fares along an axis; `rounds` lists every layer that rounds, in order. */
export type SideVerdict = { kind: 'fails' } | { kind: 'rounds'; rounds: Rounding[] } | { kind: 'exact' };

/**
 * A set of sides up to the search limit: below `pattern.from` the members are listed in
 * `head`; from `pattern.from` on, side s belongs when s − period·k falls in one of `runs`
 * (runs within `from … from + period − 1`) for some k ≥ 0.
 */
export interface SideSet {
  /** The smallest member; null when no side up to the limit belongs. */
  smallest: number | null;
  head: SideRun[];
  /** Null when no repeating pattern was found, or the set ends below the limit (then `head` lists it all). */
  pattern: { from: number; period: number; runs: SideRun[] } | null;
  /** The set for people: `every side from 173`, `188, 204, 220, … (every 16 from 188)`. */
  text: string;
}

export interface AxisAdvice {
  accepted: SideSet;
  exact: SideSet;
  /** When no accepted side is exact: a layer that rounds at every accepted side, and why (at the smallest). */
  neverExact?: string;
}

/** What `--input` gets: whether it works, is exact, and what to use instead. */
export interface InputVerdict {
  size: Pair;
  accepted: boolean;
  exact: boolean;
  /** When not accepted: the runs of accepted sides near it, and the nearest accepted size. */
  near?: string;
  nearest?: Pair | null;
  /** When accepted but not exact: the first layer that rounds, per axis (null: none on that axis). */
  rounds?: [string | null, string | null];
  /** When not exact: the nearest exact size. */
  nearestExact?: Pair | null;
}

export interface InputAdvice {
  /** Sides searched: 1 … limit. */
  limit: number;
  /** Per axis [h, w]. */
  axes: [AxisAdvice, AxisAdvice];
  input?: InputVerdict;
}

/** The sets accepted/exact of one axis as flags by side (index 0 unused). */
interface AxisFlags {
  accepted: boolean[];
  exact: boolean[];
  verdicts: SideVerdict[];
}

/** The corner relation of each `interp { like }` (by node id): the map from its input to its reference, if any. */
export function likeMaps(ir: IRGraph, offsets: ReadonlyMap<number, Pair>): Map<number, CoordMap | null> {
  const maps = new Map<number, CoordMap | null>();
  for (const node of ir.nodes) {
    if (spatialOf(node).kind !== 'like') continue;
    const r = relate(ir, node.inputs[0]!, node.inputs[1]!, (id) => offsets.get(id));
    maps.set(node.id, r.kind === 'related' ? r.map : null);
  }
  return maps;
}

/** Whether a side is accepted along `axis`, and if so whether every layer is exact there. */
export function sideVerdict(
  ir: IRGraph,
  axis: 0 | 1,
  side: number,
  offsets: ReadonlyMap<number, Pair>,
  likes: ReadonlyMap<number, CoordMap | null> = likeMaps(ir, offsets),
): SideVerdict {
  const { sizes, failures } = propagateAxis(ir, axis, () => side, offsets, true);
  if (failures.length) return { kind: 'fails' };
  const rounds: Rounding[] = [];
  for (const node of ir.nodes) {
    const sp = spatialOf(node);
    const size = sizes[node.inputs[0] ?? -1] ?? null;
    if (size === null) continue;
    if (sp.kind === 'window') {
      const { k, s, p } = sp.axes[axis];
      const rest = (size + 2 * p - k) % s;
      if (rest !== 0)
        rounds.push({
          layer: node.id,
          size,
          why: `${size} + 2·${p} − ${k} = ${size + 2 * p - k}, not a multiple of stride ${s}`,
        });
    } else if (sp.kind === 'like') {
      const ref = sizes[node.inputs[1]!] ?? null;
      const map = likes.get(node.id)?.[axis];
      if (ref === null) continue;
      const why = likeMisfit(ir, node.inputs, map, size, ref);
      if (why) rounds.push({ layer: node.id, size, why });
    }
  }
  return rounds.length ? { kind: 'rounds', rounds } : { kind: 'exact' };
}

/**
 * Why a corner-aligned resize of a `size`-pixel input to `ref` pixels does not line up with the
 * coordinate map `ref = a·in + b` (undefined when it does): its corners must land on the map's.
 */
function likeMisfit(
  ir: IRGraph,
  [input, reference]: readonly number[],
  map: AxisMap | undefined,
  size: number,
  ref: number,
): string | undefined {
  const [from, to] = [input, reference].map((id) => `'${ir.nodes[id!]!.name}'`);
  if (!map) return `no coordinate map relates ${from} to ${to}, so its corners cannot be placed`;
  if (map.b.sign() !== 0) return `${from} pixel 0 lies at ${map.b} on ${to}, not at 0, so its corners never line up`;
  const last = map.a.mul(size - 1);
  if (!last.equals(ref - 1)) return `${from} pixel ${size - 1} lies at ${last} on ${to}, not at ${ref - 1}`;
  return undefined;
}

/** Whether both axes behave alike (same windows, same crop offsets), so that one axis's answer is the other's. */
function symmetric(ir: IRGraph, offsets: ReadonlyMap<number, Pair>): boolean {
  const same = (a: Window, b: Window) => a.k === b.k && a.s === b.s && a.p === b.p;
  return ir.nodes.every((node) => {
    const sp = spatialOf(node);
    if (sp.kind === 'window' || sp.kind === 'deconv') return same(sp.axes[0], sp.axes[1]);
    const o = offsets.get(node.id);
    return !o || o[0] === o[1];
  });
}

function axisFlags(
  ir: IRGraph,
  axis: 0 | 1,
  offsets: ReadonlyMap<number, Pair>,
  likes: ReadonlyMap<number, CoordMap | null>,
  limit: number,
): AxisFlags {
  const flags: AxisFlags = { accepted: [false], exact: [false], verdicts: [{ kind: 'fails' }] };
  for (let side = 1; side <= limit; side++) {
    const v = sideVerdict(ir, axis, side, offsets, likes);
    flags.verdicts.push(v);
    flags.accepted.push(v.kind !== 'fails');
    flags.exact.push(v.kind === 'exact');
  }
  return flags;
}

/** Runs of members in `lo … hi`. */
function runsIn(member: readonly boolean[], lo: number, hi: number): SideRun[] {
  const runs: SideRun[] = [];
  for (let s = lo; s <= hi; s++) {
    if (!member[s]) continue;
    const last = runs[runs.length - 1];
    if (last && last.to === s - 1) last.to = s;
    else runs.push({ from: s, to: s });
  }
  return runs;
}

/**
 * The shortest period P (up to a quarter of the limit) with which the upper half of the
 * flags repeats, and the first side from which they repeat with it; null if none.
 */
function findPeriod(member: readonly boolean[], limit: number): { period: number; start: number } | null {
  const half = Math.floor(limit / 2);
  for (let period = 1; period <= Math.floor(limit / 4); period++) {
    let repeats = true;
    for (let s = half; s + period <= limit && repeats; s++) repeats = member[s] === member[s + period];
    if (!repeats) continue;
    let start = half;
    while (start > 1 && member[start - 1] === member[start - 1 + period]) start--;
    return { period, start };
  }
  return null;
}

/** Describes a set of sides (flags by side, 1 … limit). */
export function describeSides(member: readonly boolean[], limit: number): SideSet {
  const all = runsIn(member, 1, limit);
  if (all.length === 0) return { smallest: null, head: [], pattern: null, text: `none up to ${limit}` };
  const smallest = all[0]!.from;
  const found = findPeriod(member, limit);
  let from = found ? found.start : limit + 1;
  while (from <= limit && !member[from]) from++;
  if (!found || from > limit) {
    const shown = all.slice(0, 6).map(formatRun).join(', ');
    const tail = all.length > 6 ? ', …' : '';
    const why = found ? `none larger up to ${limit}` : `no repeating pattern up to ${limit}`;
    return { smallest, head: all, pattern: null, text: `${shown}${tail} (${why})` };
  }
  const { period } = found;
  const head = runsIn(member, 1, from - 1);
  const runs = runsIn(member, from, from + period - 1);
  const pattern = { from, period, runs };
  const headText = head.map(formatRun);
  if (period === 1) {
    const every = `every side from ${from}`;
    return { smallest, head, pattern, text: headText.length ? `${headText.join(', ')} and ${every}` : every };
  }
  // Show the head and the first three runs of the pattern, then the rule.
  const shown = runsIn(member, from, limit).slice(0, 3).map(formatRun);
  const single = runs.length === 1 && runs[0]!.from === runs[0]!.to;
  const rule = single
    ? `every ${period} from ${from}`
    : `sides ${runs.map((r) => residues(r, period)).join(', ')} from ${from}`;
  return { smallest, head, pattern, text: `${[...headText, ...shown].join(', ')}, … (${rule})` };
}

/** Whether `side` (up to the limit the set was described with) is in a set. */
export function inSideSet(set: SideSet, side: number): boolean {
  const within = (runs: readonly SideRun[], s: number) => runs.some((r) => s >= r.from && s <= (r.to ?? Infinity));
  const p = set.pattern;
  if (!p || side < p.from) return within(set.head, side);
  return within(p.runs, p.from + ((side - p.from) % p.period));
}

/** A run of the pattern as residues: `32k+19 to 32k+34`. */
function residues(run: SideRun, period: number): string {
  const a = run.from % period;
  const b = a + (run.to! - run.from);
  const at = (r: number) => `${period}k+${r}`;
  return a === b ? at(a) : `${at(a)} to ${at(b)}`;
}

/** The member nearest to `side` (the larger on a tie); null if none. */
function nearestMember(member: readonly boolean[], side: number, limit: number): number | null {
  for (let d = 0; d <= limit; d++) {
    if (side + d <= limit && member[side + d]) return side + d;
    if (side - d >= 1 && side - d <= limit && member[side - d]) return side - d;
  }
  return null;
}

/**
 * Sides the advisor examines past the smallest accepted one: enough for a period of 256 (8
 * stride-2 stages) to show four times over, while a 200-layer net answers in a fraction of a second.
 */
export const ADVICE_WINDOW = 1024;

/**
 * The advisor's answer for a net, and for `input` when given: sides 1 to `limit` (by default
 * `ADVICE_WINDOW` past the smallest accepted side, at least that many) are examined.
 */
export function adviseInputSizes(
  ir: IRGraph,
  offsets: ReadonlyMap<number, Pair>,
  input?: Pair,
  limit = adviceLimit(ir, offsets),
): InputAdvice {
  const likes = likeMaps(ir, offsets);
  const h = axisFlags(ir, 0, offsets, likes, limit);
  const flags: [AxisFlags, AxisFlags] = [h, symmetric(ir, offsets) ? h : axisFlags(ir, 1, offsets, likes, limit)];
  const axes = flags.map((f): AxisAdvice => {
    const advice: AxisAdvice = { accepted: describeSides(f.accepted, limit), exact: describeSides(f.exact, limit) };
    // No side is exact: name a layer that is to blame at all of them.
    const never = advice.exact.smallest === null ? alwaysRounds(ir, f.verdicts) : undefined;
    if (never) {
      advice.neverExact = never;
      advice.exact.text += ` (${never})`;
    }
    return advice;
  }) as [AxisAdvice, AxisAdvice];
  return { limit, axes, ...(input ? { input: judgeInput(ir, offsets, likes, flags, input, limit) } : {}) };
}

/** `name rounds its N-pixel input (why)`. */
function describeRounding(ir: IRGraph, r: Rounding): string {
  return `${ir.nodes[r.layer]!.name} rounds its ${r.size}-pixel input (${r.why})`;
}

/** A layer that rounds at every accepted side, described at the first; undefined if none (or nothing is accepted). */
function alwaysRounds(ir: IRGraph, verdicts: readonly SideVerdict[]): string | undefined {
  let common: Map<number, Rounding> | undefined;
  let first = 0;
  verdicts.forEach((v, side) => {
    if (v.kind !== 'rounds') return;
    const here = new Set(v.rounds.map((r) => r.layer));
    if (!common) {
      common = new Map(v.rounds.map((r) => [r.layer, r]));
      first = side;
    } else for (const id of common.keys()) if (!here.has(id)) common.delete(id);
  });
  const r: Rounding | undefined = common?.values().next().value;
  return r && `${ir.nodes[r.layer]!.name} rounds at every accepted side; at side ${first}: ${r.why}`;
}

/** `ADVICE_WINDOW` past the smallest accepted side; the whole search limit when an axis accepts none (so that "none" covers it). */
function adviceLimit(ir: IRGraph, offsets: ReadonlyMap<number, Pair>): number {
  const smallest = ([0, 1] as const).map((axis) => smallestInput(ir, axis, offsets, INPUT_SEARCH_LIMIT));
  if (smallest.includes(null)) return INPUT_SEARCH_LIMIT;
  return Math.max(...(smallest as number[])) + ADVICE_WINDOW;
}

function judgeInput(
  ir: IRGraph,
  offsets: ReadonlyMap<number, Pair>,
  likes: ReadonlyMap<number, CoordMap | null>,
  flags: [AxisFlags, AxisFlags],
  size: Pair,
  limit: number,
): InputVerdict {
  const verdicts = ([0, 1] as const).map((axis) =>
    size[axis] <= limit ? flags[axis].verdicts[size[axis]]! : sideVerdict(ir, axis, size[axis], offsets, likes),
  );
  const accepted = verdicts.every((v) => v.kind !== 'fails');
  const exact = verdicts.every((v) => v.kind === 'exact');
  const verdict: InputVerdict = { size, accepted, exact };
  if (!accepted) {
    const near = nearSizes(ir, offsets, size);
    verdict.near = near.text;
    verdict.nearest = near.nearest;
  } else if (!exact) {
    verdict.rounds = verdicts.map((v) => (v.kind === 'rounds' ? describeRounding(ir, v.rounds[0]!) : null)) as [
      string | null,
      string | null,
    ];
  }
  if (!exact) {
    const near = ([0, 1] as const).map((axis) => nearestMember(flags[axis].exact, size[axis], limit));
    verdict.nearestExact = near[0] === null || near[1] === null ? null : (near as Pair);
  }
  return verdict;
}

/** The advisor as text lines: accepted and exact sides (per axis when they differ), and the verdict on `--input`. */
export function formatInputAdvice(advice: InputAdvice): string[] {
  const [h, w] = advice.axes;
  const lines = [`input sizes (sides 1–${advice.limit} examined):`];
  const same = (f: (a: AxisAdvice) => SideSet) => f(h).text === f(w).text;
  for (const [key, label] of [
    ['accepted', 'accepted'],
    ['exact', 'exact (no layer rounds)'],
  ] as const) {
    if (same((a) => a[key])) lines.push(`  ${label}: ${h[key].text}`);
    else lines.push(`  ${label}: heights ${h[key].text}; widths ${w[key].text}`);
  }
  const v = advice.input;
  if (v) {
    const at = formatSize(v.size);
    if (!v.accepted)
      lines.push(
        `  ${at} is not accepted: near it the net takes ${v.near}${v.nearest ? `; the nearest size that works is ${formatSize(v.nearest)}` : ''}`,
      );
    else if (v.exact) lines.push(`  ${at} is accepted and exact`);
    else {
      const why = [...new Set(v.rounds!.filter((r): r is string => r !== null))].join('; ');
      lines.push(`  ${at} is accepted, not exact: ${why}`);
    }
    if (!v.exact && v.nearestExact) lines.push(`  the nearest exact size is ${formatSize(v.nearestExact)}`);
  }
  return lines;
}
