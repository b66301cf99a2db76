/**
 * Which .fcn layer a source layer fills: the one with the same name, else the one whose name
 * ends in `.NAME` when exactly one does (a caffemodel's `conv1_1` fills `vgg.conv1_1`). Names
 * are compared as .fcn spells them (fcnName), so Caffe's `inception_3a/1x1` finds
 * `inception_3a_1x1`.
 */
import { fcnName } from '../import/names.js';

export interface LayerMatch {
  target: string;
  bySuffix: boolean;
}

export interface Matching {
  /** Source layer name → target. */
  matches: Map<string, LayerMatch>;
  /** Source layers whose name ends several targets' names: source → candidates. */
  ambiguous: Map<string, string[]>;
}

/** Matches source layer names to target layer names (each target at most once, exact names first). */
export function matchLayers(sources: readonly string[], targets: readonly string[]): Matching {
  const matches = new Map<string, LayerMatch>();
  const ambiguous = new Map<string, string[]>();
  const taken = new Set<string>();
  const exact = new Set(targets);
  for (const s of sources) {
    const key = fcnName(s);
    if (exact.has(key) && !taken.has(key)) {
      matches.set(s, { target: key, bySuffix: false });
      taken.add(key);
    }
  }
  for (const s of sources) {
    if (matches.has(s)) continue;
    const key = fcnName(s);
    const candidates = targets.filter((t) => t.endsWith(`.${key}`) && !taken.has(t));
    if (candidates.length === 1) {
      matches.set(s, { target: candidates[0]!, bySuffix: true });
      taken.add(candidates[0]!);
    } else if (candidates.length > 1) ambiguous.set(s, candidates);
  }
  return { matches, ambiguous };
}
