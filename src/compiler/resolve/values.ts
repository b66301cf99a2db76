/**
 * Values: what an expression evaluates to. Every value keeps the span of the text it came
 * from, so a diagnostic about it points at the right place even after a block parameter
 * carried it across files.
 */
import type { Span } from '../../diagnostics/span.js';

export type Value =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  /** A name not bound to a variable: a blob (`vgg.pool4`) or an enumerated word (`max`). */
  | { kind: 'word'; path: string[]; span: Span }
  | { kind: 'list'; items: Value[]; span: Span }
  | { kind: 'call'; callee: string; args: Value[]; span: Span }
  /**
   * The value of a block parameter without default while the block is checked on its own
   * (no net instantiates it): anything computed from it is unknown too, and passes every check.
   */
  | { kind: 'unknown'; span: Span };

/** How a value is named in a message: `a string "64"`, `the number -1`, `a list of 3 values`. */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'number':
      return `the number ${formatNumber(v.value)}`;
    case 'string':
      return `a string ${JSON.stringify(v.value)}`;
    case 'bool':
      return `'${v.value}'`;
    case 'word':
      return `the name '${v.path.join('.')}'`;
    case 'list':
      return `a list of ${v.items.length} value${v.items.length === 1 ? '' : 's'}`;
    case 'call':
      return `a call '${v.callee}(…)'`;
    case 'unknown':
      return 'a value known only when the block is used';
  }
}

/** Whether a value is, or contains, an unknown (see the `unknown` kind). */
export function isUnknown(v: Value): boolean {
  return (
    v.kind === 'unknown' ||
    (v.kind === 'list' && v.items.some(isUnknown)) ||
    (v.kind === 'call' && v.args.some(isUnknown))
  );
}

/** A number as a person would write it (no float noise like 0.30000000000000004). */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}

/** The single word of a one-segment name value, or undefined. */
export function wordOf(v: Value): string | undefined {
  return v.kind === 'word' && v.path.length === 1 ? v.path[0] : undefined;
}
