/**
 * The four FCN metrics, computed from a confusion matrix exactly as the reference scoring
 * (score.py of the FCN code) does, 0/0 → NaN and NaN skipped in the means:
 *   pixel accuracy   Σ diag / Σ hist
 *   mean accuracy    nanmean(diag / row sums)
 *   mean IU          nanmean(diag / (row sums + column sums − diag))
 *   frequency-weighted IU   Σ over classes with ground truth of (row sum / total) · IU
 * A class absent from both prediction and truth has IU 0/0 and is skipped; a class that is
 * only predicted has IU 0 and counts.
 */
import type { Confusion } from './confusion.js';

/** The metrics of a confusion matrix; per-class entries are NaN where the reference's are. */
export interface Metrics {
  classes: number;
  /** Pixels counted (those with a valid ground-truth class). */
  pixels: number;
  pixelAccuracy: number;
  meanAccuracy: number;
  meanIU: number;
  fwIU: number;
  perClassIU: number[];
  perClassAccuracy: number[];
  /** Ground-truth pixels per class (row sums). */
  gtPixels: number[];
  /** Predicted pixels per class (column sums). */
  predPixels: number[];
}

/** Mean of the non-NaN values; NaN if there are none (numpy's nanmean). */
export function nanmean(values: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

/** Computes the metrics of a confusion matrix. */
export function computeMetrics(confusion: Confusion): Metrics {
  const n = confusion.classes;
  const rows = new Array<number>(n).fill(0);
  const cols = new Array<number>(n).fill(0);
  const diag = new Array<number>(n).fill(0);
  for (let g = 0; g < n; g++) {
    for (let p = 0; p < n; p++) {
      const v = confusion.at(g, p);
      rows[g] += v;
      cols[p] += v;
    }
    diag[g] = confusion.at(g, g);
  }
  const total = rows.reduce((a, b) => a + b, 0);
  const perClassAccuracy = diag.map((d, c) => d / rows[c]!);
  const perClassIU = diag.map((d, c) => d / (rows[c]! + cols[c]! - d));
  let fwIU = 0;
  for (let c = 0; c < n; c++) if (rows[c]! > 0) fwIU += (rows[c]! / total) * perClassIU[c]!;
  return {
    classes: n,
    pixels: total,
    pixelAccuracy: diag.reduce((a, b) => a + b, 0) / total,
    meanAccuracy: nanmean(perClassAccuracy),
    meanIU: nanmean(perClassIU),
    fwIU: total > 0 ? fwIU : NaN,
    perClassIU,
    perClassAccuracy,
    gtPixels: rows,
    predPixels: cols,
  };
}
