/**
 * Numbers and maps as text, the same on the page (embedded), in the SVG and in the DOT output.
 * Self-contained functions: the page embeds their source.
 */
import type { VizAffine, VizPair } from './model.js';

/** A number for people: up to 4 decimals, trailing zeros dropped, and a real minus sign (−). */
export function formatNumber(v: number): string {
  const text = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
  return text.replace('-', '−');
}

/** `2·x + 0.5`, `x − 99`, `x/8 − 0.9375`: one axis of a map as an expression in `x`. */
export function formatAffine(m: VizAffine, x = 'x'): string {
  let lead: string;
  if (m.a === 1) lead = x;
  else if (Number.isInteger(1 / m.a) && m.a < 1 && m.a > 0) lead = `${x}/${formatNumber(1 / m.a)}`;
  else lead = `${formatNumber(m.a)}·${x}`;
  if (m.b === 0) return lead;
  return `${lead} ${m.b < 0 ? '−' : '+'} ${formatNumber(Math.abs(m.b))}`;
}

/** A pair as `5` when both axes agree, else `5×7` (h×w). */
export function formatAxes(p: VizPair | null, sep = '×'): string {
  if (!p) return '–';
  return p[0] === p[1] ? formatNumber(p[0]) : `${formatNumber(p[0])}${sep}${formatNumber(p[1])}`;
}

/** Counts for people: `14,904`, `134.3 M`, `363.0 G`. */
export function formatCountShort(v: number | null): string {
  if (v === null) return '–';
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
  ];
  for (const [size, unit] of units) if (Math.abs(v) >= size) return `${(v / size).toFixed(1)} ${unit}`;
  return v.toLocaleString('en-US');
}
