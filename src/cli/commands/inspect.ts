/**
 * `fcn inspect FILE [--net NAME] [--input HxW] [--json]`: what the analysing compiler works
 * out about a net. Human output: one table row per blob (shape, stride, RF, effective
 * padding, crop offset, params, FLOPs), the totals, the crops and the stride ladder of the
 * skip architecture. `--json`: the report of src/compiler/analysis/report.ts plus the
 * diagnostics. Never loads TensorFlow.js.
 */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import {
  buildReport,
  formatPair,
  formatSize,
  type InspectReport,
  type RungReport,
} from '../../compiler/analysis/index.js';
import { compileFile } from '../../compiler/compile.js';
import type { Pair } from '../../compiler/layers/types.js';
import { diagnosticToJson, hasErrors, renderDiagnostics, UserError } from '../../diagnostics/index.js';
import { parseSize } from '../errors.js';

interface InspectOptions {
  net?: string;
  input?: string;
  json?: boolean;
}

/** Registers `fcn inspect`. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description("show each blob's shape, stride, receptive field, effective padding and cost, and every crop offset")
    .argument('<file>', 'a .fcn file')
    .option('--net <name>', 'which net of the file (default: its last net)')
    .option('--input <HxW>', 'input size, e.g. 500x500 (default: the size the file declares, if any)')
    .option('--json', 'print the analysis as JSON')
    .action((file: string, options: InspectOptions) => {
      const input = options.input === undefined ? undefined : parseSize(options.input);
      process.exitCode = inspect(file, { ...options, input });
    });
}

/** Runs the inspection and prints it; returns the exit code (1 when there are errors). */
export function inspect(file: string, options: { net?: string; input?: Pair; json?: boolean }): number {
  if (!existsSync(file)) throw new UserError(`cannot read '${file}': no such file`, 1);
  const result = compileFile(file, {
    ...(options.net ? { net: options.net } : {}),
    ...(options.input ? { input: options.input } : {}),
  });
  const failed = hasErrors(result.diagnostics);
  if (!result.analysis) {
    throw new UserError(failed ? '' : `'${file}' defines no net to inspect`, 1, result.diagnostics);
  }
  const report = buildReport(result.analysis);
  if (options.json) {
    process.stdout.write(
      JSON.stringify({ ...report, diagnostics: result.diagnostics.map(diagnosticToJson) }, null, 2) + '\n',
    );
  } else {
    if (result.diagnostics.length)
      process.stderr.write(renderDiagnostics(result.diagnostics, { color: process.stderr.isTTY }) + '\n');
    process.stdout.write(formatReport(report) + '\n');
  }
  return failed ? 1 : 0;
}

const pair = (p: Pair | null) => (p ? formatPair(p) : '');

/** `512x22x22`, `512x?x?` without a size, `scalar` for the loss. */
function formatShape(shape: (number | null)[]): string {
  return shape.length === 0 ? 'scalar' : shape.map((v) => v ?? '?').join('x');
}

/** `1,234,567`. */
function formatCount(n: number | null): string {
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

/** The human-readable report: header, blob table, totals, crops, stride ladder. */
export function formatReport(r: InspectReport): string {
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
      formatCount(b.params),
      formatScaled(b.flops, ''),
    ]);
  }
  lines.push(table.toString());
  lines.push(
    `total: ${formatCount(r.params)} params, ${formatScaled(r.flops, 'FLOPs')}, ${formatScaled(r.memory, 'B')} of activations`,
  );
  const [mh, mw] = r.minInput;
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
