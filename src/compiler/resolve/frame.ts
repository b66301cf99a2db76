/**
 * A frame is one definition being expanded: its variables, the names it has defined so far
 * (define before use), and the previous item's blob (the default input of the next layer).
 * Lookups that fail are kept until the frame ends, so that the error can say whether the
 * name comes later ("used before it is defined") or nowhere ("did you mean …").
 */
import type { Span } from '../../diagnostics/span.js';
import { closest } from '../../diagnostics/suggest.js';
import type { Env } from './evaluate.js';
import type { Definition } from './loader.js';
import type { OverrideSet } from './overrides.js';
import type { Reporter } from './report.js';
import type { Value } from './values.js';

export interface NameEntry {
  /** The absolute blob name, or undefined when the definition failed (lookups then stay quiet). */
  abs: string | undefined;
  span: Span;
  /** A block's input port: bound to the caller's blob, not exported from the instance. */
  port?: boolean;
}

export interface Frame {
  def: Definition;
  /** Absolute name prefix of the layers defined here (named instances only). */
  prefix: string[];
  env: Env;
  names: Map<string, NameEntry>;
  /** Blob of the previous item: the default input of the next layer. */
  prev: string | undefined;
  /** Blobs bound to the block's `input` ports, in order; `nextPort` is the next to hand out. */
  ports: (string | undefined)[];
  nextPort: number;
  /** Instance call sites, innermost first. */
  via: Span[];
  /** Overrides from the enclosing instances, innermost last. */
  overrides: OverrideSet[];
  root: boolean;
  misses: { key: string; span: Span }[];
  /** Shared by every frame of a net: the stand-ins for names that did not resolve (see `standIn`). */
  standIns: Map<string, Span>;
}

/** The absolute name of a local name in a frame. */
export function absolute(frame: Frame, name: string): string {
  return [...frame.prefix, name].join('.');
}

/** Defines a local name; a second definition is an error pointing at the first. */
export function define(frame: Frame, key: string, entry: NameEntry, r: Reporter, blame: Span = entry.span): void {
  const first = frame.names.get(key);
  if (first) {
    r.error('duplicate-name', `'${key}' is defined twice`, blame, {
      notes: [{ message: 'first defined here', span: first.span }],
    });
    return;
  }
  frame.names.set(key, entry);
}

/**
 * The absolute blob a name value refers to. A name not defined (yet) is a miss, reported when
 * the frame ends; a name under a failed definition resolves quietly. Both give a stand-in.
 */
export function lookup(frame: Frame, v: Value & { kind: 'word' }): string {
  const key = v.path.join('.');
  const found = frame.names.get(key);
  if (found) return found.abs ?? standIn(frame, key, found.span);
  for (let i = 1; i < v.path.length; i++) {
    const outer = frame.names.get(v.path.slice(0, i).join('.'));
    if (outer && outer.abs === undefined) return standIn(frame, key, outer.span);
  }
  frame.misses.push({ key, span: v.span });
  return standIn(frame, key, v.span);
}

/**
 * The blob that stands for a name that did not resolve: `name?` (no blob name has a `?`),
 * recorded with the span its error is at. A net with errors keeps them as placeholder inputs,
 * so that what did resolve can still be analysed and drawn, the stand-ins in red.
 */
export function standIn(frame: Frame, key: string, span: Span): string {
  const name = `${absolute(frame, key)}?`;
  if (!frame.standIns.has(name)) frame.standIns.set(name, span);
  return name;
}

/** Reports the lookups that failed in a frame, now that all its names are known. */
export function finishFrame(frame: Frame, r: Reporter): void {
  // Names with unknown parts (a block checked on its own) match whatever they may become.
  const patterns = [...frame.names.keys()].filter((k) => k.includes('{')).map(templatePattern);
  for (const miss of frame.misses) {
    if (patterns.some((p) => p.test(miss.key))) continue;
    const later = frame.names.get(miss.key);
    if (later) {
      r.error('use-before-definition', `'${miss.key}' is used before it is defined`, miss.span, {
        notes: [{ message: 'defined here; names must be defined before they are used', span: later.span }],
      });
      continue;
    }
    const candidates = [...frame.names].filter(([, e]) => e.abs !== undefined).map(([k]) => k);
    const suggestion = closest(miss.key, candidates);
    r.error(
      'unknown-blob',
      `unknown blob '${miss.key}'`,
      miss.span,
      suggestion ? { help: `did you mean '${suggestion}'?` } : {},
    );
  }
  frame.misses.length = 0;
}

/** A name with `{variable}` parts as a pattern: each part stands for any name characters. */
function templatePattern(name: string): RegExp {
  const parts = name.split(/\{[A-Za-z0-9_]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[A-Za-z0-9_]+')}$`);
}
