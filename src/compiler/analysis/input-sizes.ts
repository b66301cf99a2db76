/**
 * Which input sides a net takes, one axis at a time, read off the shape analysis's own
 * survival test (`survives` in axis.ts), never a rule of its own: the runs of sides that work
 * near a given side, the largest working side up to one, and the nearest working side. Used
 * to say what to feed instead of a size that fails, and to choose tile sizes.
 */
import type { IRGraph } from '../ir/types.js';
import type { Pair } from '../layers/types.js';
import { smallestInput, survives } from './axis.js';
import { INPUT_SEARCH_LIMIT } from './shapes.js';

/** A run of consecutive working sides, `from`–`to` inclusive; `to` null: every side from `from` up (as far as searched). */
export interface SideRun {
  from: number;
  to: number | null;
}

/** The largest side ≤ `side` with which `axis` survives; null if none. */
export function largestInputAtMost(
  ir: IRGraph,
  axis: 0 | 1,
  offsets: ReadonlyMap<number, Pair>,
  side: number,
): number | null {
  for (let h = side; h >= 1; h--) if (survives(ir, axis, h, offsets)) return h;
  return null;
}

/** The smallest side ≥ `side` with which `axis` survives, searching `INPUT_SEARCH_LIMIT` sides past it; null if none. */
export function smallestInputAtLeast(
  ir: IRGraph,
  axis: 0 | 1,
  offsets: ReadonlyMap<number, Pair>,
  side: number,
): number | null {
  return smallestInput(ir, axis, offsets, side + INPUT_SEARCH_LIMIT, side);
}

/** The working side nearest to `side` (the larger one on a tie, as the compiler's help points up); null if none. */
export function nearestInput(
  ir: IRGraph,
  axis: 0 | 1,
  offsets: ReadonlyMap<number, Pair>,
  side: number,
): number | null {
  const below = largestInputAtMost(ir, axis, offsets, side);
  const above = smallestInputAtLeast(ir, axis, offsets, side);
  if (below === null || above === null) return below ?? above;
  return side - below < above - side ? below : above;
}

/** The run of working sides that contains `side` (which must work), searching `INPUT_SEARCH_LIMIT` sides up. */
function runAround(ir: IRGraph, axis: 0 | 1, offsets: ReadonlyMap<number, Pair>, side: number): SideRun {
  let from = side;
  while (from > 1 && survives(ir, axis, from - 1, offsets)) from--;
  for (let to = side; to < side + INPUT_SEARCH_LIMIT; to++)
    if (!survives(ir, axis, to + 1, offsets)) return { from, to };
  return { from, to: null };
}

/** The runs of working sides next to `side`: the last one at or below it and the first one above it (one run when `side` works). */
export function workingRunsNear(ir: IRGraph, axis: 0 | 1, offsets: ReadonlyMap<number, Pair>, side: number): SideRun[] {
  const below = largestInputAtMost(ir, axis, offsets, side);
  const runs = below === null ? [] : [runAround(ir, axis, offsets, below)];
  const last = runs[0];
  if (last && (last.to === null || last.to >= side)) return runs;
  const above = smallestInputAtLeast(ir, axis, offsets, side);
  if (above !== null) runs.push(runAround(ir, axis, offsets, above));
  return runs;
}

/** `51–66`, or `51 and up` for an open run. */
export function formatRun(run: SideRun): string {
  return run.to === null ? `${run.from} and up` : run.from === run.to ? `${run.from}` : `${run.from}–${run.to}`;
}

/** The runs of working sides near `size` (`sides 51–66 or 83–98`, or per axis when they differ) and the nearest working size. */
export function nearSizes(
  ir: IRGraph,
  offsets: ReadonlyMap<number, Pair>,
  size: Pair,
): { text: string; nearest: Pair | null } {
  const runs = ([0, 1] as const).map((a) => {
    const near = workingRunsNear(ir, a, offsets, size[a]);
    return near.length ? near.map(formatRun).join(' or ') : null;
  });
  const none = (a: 0 | 1) => `no side up to ${size[a] + INPUT_SEARCH_LIMIT}`;
  const same = runs[0] === runs[1] && (runs[0] !== null || size[0] === size[1]);
  const text = same
    ? runs[0] === null
      ? none(0)
      : `sides ${runs[0]}`
    : `heights ${runs[0] ?? none(0)} and widths ${runs[1] ?? none(1)}`;
  return { text, nearest: nearestSize(ir, offsets, size) };
}

/** The working size nearest to `size`, axis by axis; null if an axis has none. */
export function nearestSize(ir: IRGraph, offsets: ReadonlyMap<number, Pair>, size: Pair): Pair | null {
  const h = nearestInput(ir, 0, offsets, size[0]);
  const w = nearestInput(ir, 1, offsets, size[1]);
  return h === null || w === null ? null : [h, w];
}
