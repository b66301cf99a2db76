import type { Source } from './source.js';

/** A half-open character range [start, end) in a source. */
export interface Span {
  source: Source;
  start: number;
  end: number;
}

/** The smallest span that covers both. */
export function joinSpans(a: Span, b: Span): Span {
  return { source: a.source, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
