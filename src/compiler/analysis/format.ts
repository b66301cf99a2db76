/**
 * How the analyses print numbers in messages: per-axis pairs collapse to one value when
 * both axes agree (`5`), and show `[h, w]` when they do not; sizes print as `HxW`.
 */
import type { Rational } from './rational.js';

type Shown = number | Rational | null;

function show(x: Shown): string {
  return x === null ? '?' : String(x);
}

/** `5` when both axes agree, else `[5, 7]`. */
export function formatPair(pair: readonly [Shown, Shown]): string {
  const [h, w] = pair.map(show);
  return h === w ? h! : `[${h}, ${w}]`;
}

/** A spatial size as `HxW` (`?` for an unknown axis). */
export function formatSize(size: readonly [Shown, Shown]): string {
  return `${show(size[0])}x${show(size[1])}`;
}

/** Joins names as `a, b and c`. */
export function formatList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
