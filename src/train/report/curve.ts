/**
 * The training curve as an inline SVG: the training loss per step (faint) and its moving
 * average (solid) on the left axis, the val mean IU of each evaluation on the right axis
 * (0 to 1). Drawn from the run's log, so any run's curve can be drawn after the fact.
 */
import { escapeXml } from '../../viz/draw.js';
import type { EvalEntry, IterEntry, LogEntry } from '../log.js';

const W = 680;
const H = 280;
const M = { left: 56, right: 56, top: 20, bottom: 40 };
const LOSS = '#1f6feb';
const IU = '#d1242f';

/** A centred moving average with a window of `w` steps. */
export function movingAverage(values: readonly number[], w: number): number[] {
  const half = Math.floor(w / 2);
  const prefix = [0];
  for (const v of values) prefix.push(prefix[prefix.length - 1]! + v);
  return values.map((_, i) => {
    const a = Math.max(0, i - half);
    const b = Math.min(values.length, i + half + 1);
    return (prefix[b]! - prefix[a]!) / (b - a);
  });
}

/** A round axis maximum at or above `v` (1, 2 or 5 times a power of ten). */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((x) => x >= v)!;
}

function polyline(points: Array<[number, number]>, attrs: string): string {
  const d = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  return `<polyline fill="none" points="${d}" ${attrs}/>`;
}

/** Renders the curve of a run's log entries; `title` labels it for screen readers. */
export function trainingCurveSvg(entries: readonly LogEntry[], title = 'training curve'): string {
  const steps = entries.filter((e): e is IterEntry => e.type === 'iter' && typeof e.loss === 'number');
  const evals = entries.filter((e): e is EvalEntry => e.type === 'eval' && typeof e.mean_iu === 'number');
  const lastIter = Math.max(1, ...steps.map((e) => e.iter), ...evals.map((e) => e.iter));
  const smooth = movingAverage(
    steps.map((e) => e.loss),
    Math.max(1, Math.round(steps.length / 40)),
  );
  const lossMax = niceMax(Math.max(...smooth, 0) * 1.05);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (iter: number) => M.left + (pw * iter) / lastIter;
  const yLoss = (v: number) => M.top + ph * (1 - Math.min(v, lossMax) / lossMax);
  const yIU = (v: number) => M.top + ph * (1 - v);
  const parts: string[] = [];
  for (let k = 0; k <= 5; k++) {
    const y = M.top + (ph * k) / 5;
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${M.left - 6}" y="${y + 4}" text-anchor="end" fill="${LOSS}">${+(lossMax * (1 - k / 5)).toPrecision(3)}</text>`,
    );
    parts.push(`<text x="${W - M.right + 6}" y="${y + 4}" fill="${IU}">${(1 - k / 5).toFixed(1)}</text>`);
  }
  // Round iteration ticks (0, 300, 600 …): about five of them, at 1, 2 or 5 times a power of ten.
  const step = niceMax(lastIter / 5);
  for (let it = 0; it <= lastIter; it += step) {
    parts.push(`<text x="${x(it)}" y="${H - M.bottom + 16}" text-anchor="middle">${it}</text>`);
  }
  parts.push(`<text x="${M.left + pw / 2}" y="${H - 6}" text-anchor="middle">iteration</text>`);
  parts.push(
    `<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" fill="${LOSS}">training loss</text>`,
  );
  parts.push(
    `<text transform="translate(${W - 12} ${M.top + ph / 2}) rotate(90)" text-anchor="middle" fill="${IU}">val mean IU</text>`,
  );
  if (steps.length) {
    parts.push(
      polyline(
        steps.map((e) => [x(e.iter), yLoss(e.loss)]),
        `stroke="${LOSS}" stroke-opacity="0.2" stroke-width="1"`,
      ),
    );
    parts.push(
      polyline(
        steps.map((e, i) => [x(e.iter), yLoss(smooth[i]!)]),
        `stroke="${LOSS}" stroke-width="2"`,
      ),
    );
  }
  if (evals.length) {
    parts.push(
      polyline(
        evals.map((e) => [x(e.iter), yIU(e.mean_iu!)]),
        `stroke="${IU}" stroke-width="2"`,
      ),
    );
    for (const e of evals) {
      parts.push(
        `<circle cx="${x(e.iter).toFixed(1)}" cy="${yIU(e.mean_iu!).toFixed(1)}" r="3.5" fill="${IU}"><title>iteration ${e.iter}: mean IU ${e.mean_iu!.toFixed(4)}</title></circle>`,
      );
    }
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#9ca3af"/>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" ` +
    `font-family="system-ui, sans-serif" font-size="11" fill="#374151"><title>${escapeXml(title)}</title>${parts.join('')}</svg>`
  );
}
