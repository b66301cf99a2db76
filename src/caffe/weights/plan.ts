/**
 * Decides, for every parameter of a .fcn net, where its values come from: a source blob
 * (copied in Caffe's layout and converted to tfjs's when written), a BatchNorm's statistics
 * (divided by Caffe's scale factor), or the net's own initialiser. Two modes:
 * - `import` (fcn import-weights): a shape disagreement is an error naming the layer and
 *   both shapes;
 * - `transplant` (fcn transplant, the paper's net surgery): an inner product whose weights
 *   have the count of the convolution they meet is reshaped into it (fc6 → 7×7, fc7 → 1×1);
 *   what still disagrees is dropped and initialised as the net says.
 * Every decision is a row of the report.
 */
import { matchLayers } from './match.js';
import type { ParamSource, SourceBlob, SourceLayer } from './source.js';
import type { TargetLayer, TargetWeight } from './targets.js';

export type Mode = 'import' | 'transplant';

export type Action =
  /** Caffe-layout (A, B, C, D) values to the tfjs layout [C, D, B, A]. */
  | { kind: 'copy'; blob: SourceBlob; as4: [number, number, number, number] }
  | { kind: 'statistic'; blob: SourceBlob; factor: SourceBlob }
  | { kind: 'init' };

export type Status = 'copied' | 'reshaped' | 'missing' | 'dropped';

export interface Row {
  /** The .fcn layer. */
  layer: string;
  /** The source layer that filled it. */
  from?: string;
  bySuffix?: boolean;
  status: Status;
  /** Why, for reshaped and dropped rows; the initialiser for missing ones. */
  detail: string;
}

export interface Plan {
  actions: Map<string, Action>;
  rows: Row[];
  /** Source layers with parameters that fill nothing: `name (type)`. */
  unexpected: string[];
  /** Shape disagreements (import mode), one line each. */
  mismatches: string[];
  ambiguous: string[];
}

const shapeText = (s: readonly number[]) => `(${s.join(', ')})`;

/** Caffe's legacy 4-D blobs pad with leading 1s (a V1 bias is 1 × 1 × 1 × out): drop them down to `rank`. */
function squeeze(shape: readonly number[], rank: number): number[] {
  const s = [...shape];
  while (s.length > rank && s[0] === 1) s.shift();
  return s;
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function as4(shape: readonly number[]): [number, number, number, number] {
  const s = [...shape, 1, 1, 1, 1];
  return [s[0]!, s[1]!, s[2]!, s[3]!];
}

function initText(w: TargetWeight): string {
  const i = w.init;
  if (i.kind === 'constant') return `constant(${i.value})`;
  if (i.kind === 'gaussian') return `gaussian(${i.std})`;
  return i.kind;
}

/** Plans every weight of `targets` from `source`. */
export function planWeights(source: ParamSource, targets: TargetLayer[], mode: Mode): Plan {
  const actions = new Map<string, Action>();
  const rows: Row[] = [];
  const mismatches: string[] = [];
  const byTarget = new Map(targets.map((t) => [t.name, t]));
  const matching = matchLayers(
    source.layers.map((l) => l.name),
    targets.map((t) => t.name),
  );
  const filled = new Map<string, SourceLayer>();
  for (const s of source.layers) {
    const m = matching.matches.get(s.name);
    if (m) filled.set(m.target, s);
  }

  for (const t of targets) {
    const s = filled.get(t.name);
    if (!s) {
      t.weights.forEach((w) => actions.set(w.name, { kind: 'init' }));
      rows.push({
        layer: t.name,
        status: 'missing',
        detail: `initialised as the net says: ${t.weights.map(initText).join(', ')}`,
      });
      continue;
    }
    const m = matching.matches.get(s.name)!;
    const planned = planLayer(s, t, mode);
    if ('mismatch' in planned) {
      if (mode === 'import') mismatches.push(`${t.name} ← ${s.name}: ${planned.mismatch}`);
      t.weights.forEach((w) => actions.set(w.name, { kind: 'init' }));
      rows.push({
        layer: t.name,
        from: s.name,
        bySuffix: m.bySuffix,
        status: 'dropped',
        detail: `${planned.mismatch}; initialised as the net says`,
      });
      continue;
    }
    planned.actions.forEach((a, i) => actions.set(t.weights[i]!.name, a));
    rows.push({
      layer: t.name,
      from: s.name,
      bySuffix: m.bySuffix,
      status: planned.reshaped ? 'reshaped' : 'copied',
      detail: planned.detail,
    });
  }
  const unexpected = source.layers
    .filter((s) => !matching.matches.has(s.name) || !byTarget.has(matching.matches.get(s.name)!.target))
    .map(
      (s) => `${s.name} (${s.type}${s.blobs.length ? `, ${s.blobs.map((b) => shapeText(b.shape)).join(' + ')}` : ''})`,
    );
  const ambiguous = [...matching.ambiguous].map(([s, c]) => `${s} ends the names of ${c.join(', ')}`);
  return { actions, rows, unexpected, mismatches, ambiguous };
}

function planLayer(
  s: SourceLayer,
  t: TargetLayer,
  mode: Mode,
): { actions: Action[]; reshaped: boolean; detail: string } | { mismatch: string } {
  if (t.op === 'batch_norm') {
    const [mean, variance, factor] = s.blobs;
    const c = t.weights[0]!.shape[0]!;
    if (!mean || !variance || !factor || squeeze(mean.shape, 1)[0] !== c || squeeze(variance.shape, 1)[0] !== c)
      return {
        mismatch: `BatchNorm blobs ${s.blobs.map((b) => shapeText(b.shape)).join(' + ')}, the net needs (${c}) + (${c}) + (1)`,
      };
    return {
      actions: [
        { kind: 'statistic', blob: mean, factor },
        { kind: 'statistic', blob: variance, factor },
      ],
      reshaped: false,
      detail: 'mean and variance divided by the scale factor',
    };
  }
  const want = t.weights.map((w) => w.caffeShape);
  const have = s.blobs.map((b) => b.shape);
  const needs = `the net needs ${want.map(shapeText).join(' + ')}`;
  if (have.length !== want.length) {
    const bias = t.weights.some((w) => w.role === 'bias') ? '' : ' (its layer has bias: false)';
    return { mismatch: `the source has ${have.map(shapeText).join(' + ')}, ${needs}${bias}` };
  }
  const actions: Action[] = [];
  let reshaped = false;
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const b = s.blobs[i]!;
    const h = squeeze(have[i]!, w.length);
    if (same(h, w)) {
      actions.push({ kind: 'copy', blob: b, as4: as4(w) });
      continue;
    }
    // Net surgery: an inner product (out, in) into a convolution (out, c, kh, kw) of the same count.
    const count = w.reduce((a, x) => a * x, 1);
    const fc = squeeze(have[i]!, 2);
    if (mode === 'transplant' && fc.length === 2 && w.length === 4 && fc[0] === w[0] && b.count === count) {
      actions.push({ kind: 'copy', blob: b, as4: as4(w) });
      reshaped = true;
      continue;
    }
    return { mismatch: `the source has ${have.map(shapeText).join(' + ')}, ${needs}` };
  }
  const detail = reshaped
    ? `inner product ${have.map(shapeText).join(' + ')} reshaped to the convolution ${want.map(shapeText).join(' + ')}`
    : want.map(shapeText).join(' + ');
  return { actions, reshaped, detail };
}

/** How a plan is printed as a table: one row per .fcn layer, then the unexpected source layers. */
export function planTable(plan: Plan): string[][] {
  const rows = plan.rows.map((r) => [
    r.layer,
    r.from ? `${r.from}${r.bySuffix ? ' (by suffix)' : ''}` : '—',
    r.status,
    r.detail,
  ]);
  for (const u of plan.unexpected) rows.push(['—', u, 'unexpected', 'no layer of the net has this name']);
  return rows;
}
