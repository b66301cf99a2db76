/**
 * The confusion matrix the reference scoring builds: `hist[gt][pred]` counted over the pixels
 * whose ground truth is a valid class. Void (255) ground truth is skipped; a prediction
 * outside [0, classes) is an error, since the reference would silently miscount it.
 */
import { UserError } from '../diagnostics/index.js';

/** The message for a predicted value that is no class; void (255) is a pixel the prediction left unlabelled. */
function outOfRange(name: string, pixel: number, p: number, n: number): string {
  const message = `${name}: pixel ${pixel} is predicted as ${p}, outside [0, ${n})`;
  if (p !== 255) return message;
  return (
    `${message}: void, a pixel the prediction leaves unlabelled (fcn predict without --tile leaves the border ` +
    `that a net's smaller scores do not reach, as U-Net's); predict with --tile to label every pixel`
  );
}

/** An n×n matrix of pixel counts, row = ground truth, column = prediction; flat, row-major. */
export class Confusion {
  /** Counts; Float64 so that sums over large datasets stay exact (integers up to 2^53). */
  readonly counts: Float64Array;

  constructor(readonly classes: number) {
    if (!Number.isInteger(classes) || classes < 1)
      throw new UserError(`the number of classes must be a positive integer, got ${classes}`, 2);
    this.counts = new Float64Array(classes * classes);
  }

  /** Builds a matrix from nested rows (as `--json` prints it). */
  static fromRows(rows: number[][]): Confusion {
    const c = new Confusion(rows.length);
    rows.forEach((row, g) => {
      if (row.length !== rows.length)
        throw new Error(`confusion row ${g} has ${row.length} entries, expected ${rows.length}`);
      c.counts.set(row, g * rows.length);
    });
    return c;
  }

  /** Count of pixels with ground truth `gt` predicted as `pred`. */
  at(gt: number, pred: number): number {
    return this.counts[gt * this.classes + pred]!;
  }

  /**
   * Adds one label map pair. `name` (a file or image id) goes into errors. Ground truth
   * outside [0, classes) — void 255 in practice — is ignored, as the reference does.
   */
  add(gt: ArrayLike<number>, pred: ArrayLike<number>, name = 'prediction'): this {
    if (gt.length !== pred.length)
      throw new UserError(`${name}: prediction has ${pred.length} pixels but the ground truth has ${gt.length}`);
    const n = this.classes;
    const counts = this.counts;
    for (let i = 0; i < gt.length; i++) {
      const g = gt[i]!;
      if (g >= n || g < 0) continue;
      const p = pred[i]!;
      // Integer-only test first: the common case is one comparison per pixel.
      if (p >= n || p < 0 || p !== (p | 0)) throw new UserError(outOfRange(name, i, p, n));
      counts[g * n + p]++;
    }
    return this;
  }

  /** Adds another matrix of the same size (for scoring in parallel parts). */
  merge(other: Confusion): this {
    if (other.classes !== this.classes)
      throw new Error(`cannot merge a ${other.classes}-class confusion into a ${this.classes}-class one`);
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i]!;
    return this;
  }

  /** The matrix as nested rows (row = ground truth). */
  rows(): number[][] {
    const n = this.classes;
    return Array.from({ length: n }, (_, g) => Array.from(this.counts.subarray(g * n, (g + 1) * n)));
  }
}
