/**
 * Diagnostics as a user reads them, for the tests that pin every code down: one line
 * `code line:col message` (the file named only when it is not the main one), then its
 * `help:` and `note:` lines.
 */
import { resolveSource } from '../../src/compiler/resolve/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';

/** The in-memory main file; imports resolve next to it. */
export const MAIN = 'test/virtual/main.fcn';

/** The start of a net with one input, to put layers after. */
export const INPUT = 'net a {\n  input data\n';

/** `code file:line:col message`, then `help:` and `note:` lines, for each diagnostic. */
export function show(d: Diagnostic): string[] {
  const at = (s: Diagnostic['span']) => {
    if (!s) return '-';
    const { line, column } = s.source.location(s.start);
    return `${s.source.name === MAIN ? '' : `${s.source.name}:`}${line}:${column}`;
  };
  return [
    `${d.code} ${at(d.span)} ${d.message}`,
    ...(d.help ? [`help: ${d.help}`] : []),
    ...(d.notes ?? []).map((n) => `note: ${n.message}${n.span ? ` @${at(n.span)}` : ''}`),
  ];
}

/** Resolves a main file (and in-memory imports) and shows its diagnostics. */
export function check(text: string, options: { net?: string; files?: Record<string, string> } = {}): string[] {
  return resolveSource(text, MAIN, options).diagnostics.flatMap(show);
}
