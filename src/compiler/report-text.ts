/**
 * The human-readable form of the analysis report (`fcn inspect` without `--json`): header,
 * one table row per blob, totals, crops and the stride ladder. Node-only for its table
 * library; the report itself (`buildReport`) is plain data and runs anywhere.
 */
import Table from 'cli-table3';
import {
  formatInputAdvice,
  formatPair,
  formatSize,
  type InputAdvice,
  type InspectReport,
  type RungReport,
} from './analysis/index.js';
import type { Pair } from './layers/types.js';

const pair = (p: Pair | null) => (p ? formatPair(p) : '');

/** `512x22x22`, `512x?x?` without a size, `scalar` for the loss. */
function formatShape(shape: (number | null)[]): string {
  return shape.length === 0 ? 'scalar' : shape.map((v) => v ?? '?').join('x');
}

/** `1,234,567`: every digit, with thousands separators. */
function formatThousands(n: number | null): string {
  return n === null ? '?' : n.toLocaleString('en-US');
}

/** `363.06 GFLOPs`: three significant decimals with a metric prefix. */
function formatScaled(n: number | null, unit: string): string {
  if (n === null) return '?';
  if (n === 0) return '0';
  const prefixes: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const [scale, prefix] = prefixes.find(([s]) => n >= s) ?? [1, ''];
  return `${scale === 1 ? n : (n / scale).toFixed(2)} ${prefix}${unit}`.trimEnd();
}

/** The human-readable report: header, blob table, totals, input sizes (the advisor's when given), crops, stride ladder. */
export function formatReport(r: InspectReport & { inputSizes?: InputAdvice }): string {
  const lines: string[] = [];
  const size = r.input ? `input ${formatSize(r.input)}` : 'no input size (use --input HxW for sizes and FLOPs)';
  lines.push(`net ${r.net} (${r.file}), ${size}; stride, RF and padding relative to ${r.relativeTo ?? '(no input)'}`);
  const table = new Table({
    head: ['name', 'type', 'shape', 'stride', 'RF', 'padding', 'crop offset', 'params', 'FLOPs'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const b of r.blobs) {
    table.push([
      b.name,
      b.type,
      formatShape(b.shape),
      pair(b.stride),
      pair(b.rf),
      pair(b.padding),
      pair(b.offset ?? null),
      formatThousands(b.params),
      formatScaled(b.flops, ''),
    ]);
  }
  lines.push(table.toString());
  lines.push(
    `total: ${formatThousands(r.params)} params, ${formatScaled(r.flops, 'FLOPs')}, ${formatScaled(r.memory, 'B')} of activations`,
  );
  const [mh, mw] = r.minInput;
  if (r.inputSizes) lines.push(...formatInputAdvice(r.inputSizes));
  else
    lines.push(
      mh !== null && mw !== null
        ? `smallest input: ${formatSize([mh, mw])}`
        : 'smallest input: none up to 4096 pixels survives',
    );
  if (r.crops.length) {
    lines.push('', 'crops:');
    const width = Math.max(...r.crops.map((c) => c.name.length));
    for (const c of r.crops) {
      const how =
        c.offset === null
          ? 'no valid offset'
          : `offset ${formatPair(c.offset)}${c.written ? (c.inferred ? ` (written; inferred ${formatPair(c.inferred)})` : ' (written, unchecked)') : ''}`;
      lines.push(`  ${c.name.padEnd(width)}  ${c.input} to the size of ${c.reference}: ${how}`);
    }
  }
  if (r.ladder.length) {
    lines.push('', `stride ladder (relative to ${r.relativeTo}):`, ...formatLadder(r.ladder));
  }
  return lines.join('\n');
}

/** One line per rung: `16  fuse_pool4 = upscore2 (x2 from score_fr at stride 32) + score_pool4c (crop 5 of score_pool4, from vgg.pool4)`. */
export function formatLadder(ladder: RungReport[]): string[] {
  const strides = ladder.map((r) => pair(r.stride) || '?');
  const width = Math.max(...strides.map((s) => s.length));
  return ladder.map((rung, i) => {
    const branches = rung.branches.map((b) => {
      const details: string[] = [];
      if (b.crop) details.push(`crop ${b.crop.offset ? formatPair(b.crop.offset) : '?'} of ${b.crop.of}`);
      if (b.from && b.from.factor > 1) {
        const at = rung.stride
          ? ` at stride ${formatPair([rung.stride[0] * b.from.factor, rung.stride[1] * b.from.factor])}`
          : '';
        details.push(`x${b.from.factor} from ${b.from.name}${at}`);
      } else if (b.source !== (b.crop?.of ?? b.blob)) details.push(`from ${b.source}`);
      return { name: b.blob, details };
    });
    const head = `  ${strides[i]!.padStart(width)}  ${rung.name} = `;
    if (rung.kind === 'crop') {
      const [first] = branches;
      const [crop, ...rest] = first!.details;
      return `${head}${crop ?? rung.name}${rest.length ? ` (${rest.join(', ')})` : ''}, like ${rung.reference}`;
    }
    return head + branches.map((b) => (b.details.length ? `${b.name} (${b.details.join(', ')})` : b.name)).join(' + ');
  });
}
