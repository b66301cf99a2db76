/**
 * How scores are shown: the `--json` object (snake_case keys, NaN as null, since JSON has no
 * NaN) and a table for people.
 */
import Table from 'cli-table3';
import pc from 'picocolors';
import type { EvalResult } from './score.js';

/** The `fcn eval --json` object. */
export interface EvalJson {
  pixel_accuracy: number | null;
  mean_accuracy: number | null;
  mean_iu: number | null;
  fw_iu: number | null;
  per_class_iu: Array<number | null>;
  per_class_accuracy: Array<number | null>;
  confusion: number[][];
  classes: number;
  class_names?: string[];
  images: number;
  pixels: number;
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** The JSON form of a result; per-class entries the reference leaves NaN become null. */
export function evalResultToJson(result: EvalResult, names?: readonly string[]): EvalJson {
  const m = result.metrics;
  return {
    pixel_accuracy: orNull(m.pixelAccuracy),
    mean_accuracy: orNull(m.meanAccuracy),
    mean_iu: orNull(m.meanIU),
    fw_iu: orNull(m.fwIU),
    per_class_iu: m.perClassIU.map(orNull),
    per_class_accuracy: m.perClassAccuracy.map(orNull),
    confusion: result.confusion.rows(),
    classes: m.classes,
    ...(names ? { class_names: [...names] } : {}),
    images: result.images,
    pixels: m.pixels,
  };
}

function pct(v: number): string {
  return Number.isNaN(v) ? '—' : (100 * v).toFixed(2);
}

/**
 * A table of the four metrics and the per-class IU and accuracy. Classes absent from both
 * truth and prediction show '—' (they are skipped in the means); with `allClasses` false
 * (the default) they are left out of the table.
 */
export function renderEvalReport(
  result: EvalResult,
  options: { names?: readonly string[]; color?: boolean; allClasses?: boolean } = {},
): string {
  const m = result.metrics;
  const c = pc.createColors(options.color ?? false);
  const style = { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] };
  const summary = new Table({ head: ['metric', 'value (%)'], colAligns: ['left', 'right'], style });
  summary.push(
    ['pixel accuracy', pct(m.pixelAccuracy)],
    ['mean accuracy', pct(m.meanAccuracy)],
    [c.bold('mean IU'), c.bold(pct(m.meanIU))],
    ['frequency-weighted IU', pct(m.fwIU)],
  );
  const perClass = new Table({
    head: ['class', 'IU (%)', 'accuracy (%)', 'gt pixels', 'predicted'],
    colAligns: ['left', 'right', 'right', 'right', 'right'],
    style,
  });
  let skipped = 0;
  for (let k = 0; k < m.classes; k++) {
    const absent = m.gtPixels[k] === 0 && m.predPixels[k] === 0;
    if (absent) skipped++;
    if (absent && !options.allClasses) continue;
    const name = options.names?.[k] ?? String(k);
    perClass.push([
      `${k} ${name === String(k) ? '' : name}`.trim(),
      pct(m.perClassIU[k]!),
      pct(m.perClassAccuracy[k]!),
      m.gtPixels[k]!,
      m.predPixels[k]!,
    ]);
  }
  const note = skipped
    ? `\n${skipped} of ${m.classes} classes appear in neither truth nor prediction and are skipped, as the reference scoring does.`
    : '';
  return `${result.images} image${result.images === 1 ? '' : 's'}, ${m.pixels} scored pixels (void ignored)\n${summary.toString()}\n${perClass.toString()}${note}`;
}
