/**
 * Repeated patterns, as prototxt files are full of them (VGG's stages: conv, relu, conv,
 * relu, …): a run of chained layers that repeats one unit with the same parameters, and
 * whose names differ by one counting number (`conv3_1`, `relu3_1`, `conv3_2`, …), becomes a
 * `repeat` with templated names. The expanded names are exactly Caffe's, so nothing else in
 * the net, nor the weight matcher, sees a difference. A comment says what was folded, and
 * stages of such repeats followed by the same pooling are pointed out as well.
 */
import type { Item, LayerItem, RepeatItem } from './items.js';

const VARIABLE = 'j';
const MAX_UNIT = 6;

const signature = (l: LayerItem): string => JSON.stringify([l.type, l.props, l.sections, l.comments]);

/** The template of names[r] = template with `{j}` = from + r, or undefined. */
function template(names: string[]): { text: string; from: number } | undefined {
  const split = names.map((n) => n.match(/\d+|\D+/g) ?? []);
  const [a, b] = split;
  if (!a || !b || a.length !== b.length) return undefined;
  const diffs = a.map((t, i) => (t !== b[i] ? i : -1)).filter((i) => i >= 0);
  if (diffs.length !== 1 || diffs[0] === 0) return undefined;
  const at = diffs[0]!;
  const from = Number(a[at]);
  if (!/^\d+$/.test(a[at]!) || String(from) !== a[at]) return undefined;
  const text = a.map((t, i) => (i === at ? `{${VARIABLE}}` : t)).join('');
  const ok = names.every((n, r) => n === text.replace(`{${VARIABLE}}`, String(from + r)));
  return ok ? { text, from } : undefined;
}

/** The longest fold starting at `start`: unit length, repetitions and the templated unit. */
function foldAt(items: Item[], start: number): RepeatItem | undefined {
  let best: RepeatItem | undefined;
  for (let len = 1; len <= MAX_UNIT; len++) {
    const unit = items.slice(start, start + len);
    if (
      unit.length < len ||
      !unit.every((x): x is LayerItem => x.kind === 'layer' && x.chained === true && x.type !== 'crop')
    )
      break;
    let reps = 1;
    while (true) {
      const next = items.slice(start + reps * len, start + (reps + 1) * len);
      const same =
        next.length === len &&
        next.every(
          (x, i) => x.kind === 'layer' && x.chained === true && signature(x) === signature(unit[i] as LayerItem),
        );
      if (!same) break;
      reps++;
    }
    if (reps < 2) continue;
    const templates = unit.map((_, i) =>
      template(Array.from({ length: reps }, (_, r) => (items[start + r * len + i] as LayerItem).name)),
    );
    if (templates.some((t) => !t) || new Set(templates.map((t) => t!.from)).size !== 1) continue;
    const from = templates[0]!.from;
    const covered = reps * len;
    if (best && best.items.length * (best.to - best.from + 1) >= covered) continue;
    best = {
      kind: 'repeat',
      variable: VARIABLE,
      from,
      to: from + reps - 1,
      items: (unit as LayerItem[]).map((l, i) => ({ ...l, name: templates[i]!.text })),
      comments: [],
    };
  }
  return best;
}

function describe(r: RepeatItem, first: string, last: string): string {
  const n = r.to - r.from + 1;
  return `${n} × (${r.items.map((l) => l.type).join(' → ')}) with the same parameters, ${first} … ${last}: folded into a repeat`;
}

/** Folds the repeated runs of `items` (which must have been through `markChains`). */
export function foldRepeats(items: Item[]): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < items.length;) {
    const r = foldAt(items, i);
    if (!r) {
      out.push(items[i]!);
      i++;
      continue;
    }
    const count = (r.to - r.from + 1) * r.items.length;
    const first = (items[i] as LayerItem).name;
    const last = (items[i + count - 1] as LayerItem).name;
    r.comments.push(describe(r, first, last));
    out.push(r);
    i += count;
  }
  markStages(out);
  return out;
}

/** Points out stages: repeats of the same unit, each followed by the same pooling (VGG's five). */
function markStages(items: Item[]): void {
  const stages: Array<{ repeat: RepeatItem; pool: LayerItem }> = [];
  const flush = () => {
    if (stages.length >= 2) {
      const last = stages.at(-1)!;
      const counts = stages.map((s) => s.repeat.to - s.repeat.from + 1).join(', ');
      stages[0]!.repeat.comments.unshift(
        `${stages.length} stages of one pattern (as VGG's): n × (${last.repeat.items.map((l) => l.type).join(' → ')}), then ` +
          `the same pooling, n = ${counts}, up to ${last.pool.name}`,
      );
    }
    stages.length = 0;
  };
  for (let i = 0; i + 1 < items.length; i++) {
    const r = items[i]!;
    const p = items[i + 1]!;
    const isStage = r.kind === 'repeat' && p.kind === 'layer' && p.type === 'pool' && p.chained;
    if (!isStage) {
      if (r.kind !== 'layer' || r.type !== 'pool') flush();
      continue;
    }
    const prev = stages.at(-1);
    const sameUnit =
      !prev || JSON.stringify(prev.repeat.items.map((l) => l.type)) === JSON.stringify(r.items.map((l) => l.type));
    const samePool = !prev || JSON.stringify(prev.pool.props) === JSON.stringify(p.props);
    if (!sameUnit || !samePool) flush();
    stages.push({ repeat: r, pool: p });
  }
  flush();
}
