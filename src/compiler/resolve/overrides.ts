/**
 * Dotted keys in an instance body (`vgg: vgg16 { conv1_1.pad: 100 }`) override a parameter
 * of a layer inside the instance: `layer.param`, or `layer.section.param`, where `layer` is
 * the name relative to the instance (`conv1_1`, or `inner.conv1` for a nested instance).
 * An outer override wins over an inner one; one that matches no layer is an error.
 */
import { closest } from '../../diagnostics/suggest.js';
import { nestFrom, type ParamEntry, type PathEntry } from './params.js';
import type { Reporter } from './report.js';

export interface OverrideSet {
  /** Absolute prefix of the instance ('' for an anonymous instance at the top of a net). */
  prefix: string;
  /** The block's name, for messages. */
  block: string;
  entries: { entry: PathEntry; used: boolean }[];
  /** Relative names of the layers the instance produced, for "did you mean". */
  layers: string[];
}

/** Starts an override set for an instance; undefined when its body has no dotted keys. */
export function overrideSet(prefix: string, block: string, entries: PathEntry[]): OverrideSet | undefined {
  return entries.length
    ? { prefix, block, entries: entries.map((entry) => ({ entry, used: false })), layers: [] }
    : undefined;
}

/** The layer's body entries with every active override applied, innermost set first so outer ones win. */
export function applyOverrides(abs: string, entries: ParamEntry[], sets: readonly OverrideSet[]): ParamEntry[] {
  let out = entries;
  for (const set of [...sets].reverse()) {
    const rel =
      set.prefix === '' ? abs : abs.startsWith(`${set.prefix}.`) ? abs.slice(set.prefix.length + 1) : undefined;
    if (rel === undefined) continue;
    set.layers.push(rel);
    for (const o of set.entries) {
      const names = o.entry.path.map((p) => p.name);
      for (const split of [names.length - 1, names.length - 2]) {
        if (split < 1 || names.slice(0, split).join('.') !== rel) continue;
        out = merge(out, nestFrom(o.entry, split));
        o.used = true;
        break;
      }
    }
  }
  return out;
}

/** Replaces the entry with the same key (merging sections key by key), or appends it. */
function merge(entries: ParamEntry[], add: ParamEntry): ParamEntry[] {
  const i = entries.findIndex((e) => e.key === add.key);
  if (i < 0) return [...entries, add];
  const old = entries[i]!;
  const replaced = old.section && add.section ? { ...old, section: add.section.reduce(merge, old.section) } : add;
  return entries.map((e, j) => (j === i ? replaced : e));
}

/** Reports the overrides of a finished instance that matched no layer. */
export function reportUnusedOverrides(set: OverrideSet, r: Reporter): void {
  for (const o of set.entries) {
    if (o.used) continue;
    const names = o.entry.path.map((p) => p.name);
    const target = names.slice(0, -1).join('.');
    const suggestion = closest(target, new Set(set.layers));
    const span = { ...o.entry.path[0]!.span, end: o.entry.path[names.length - 2]!.span.end };
    r.error('unknown-override-target', `'${set.block}' has no layer '${target}' to override`, span, {
      ...(suggestion ? { help: `did you mean '${suggestion}.${names.at(-1)}'?` } : {}),
    });
  }
}
