/**
 * fcn against PyTorch in one run on one machine, interleaved: the voc-fcn8s forward pass at
 * 500×500 and its training step at 256×256, each on fcn's backends (native, and wasm with
 * --wasm) and on PyTorch (bench/torch/bench.py, Debian's python3-torch, the same thread count),
 * plus tiny-fcn8s's training throughput on fcn's backends (PyTorch has no tiny-fcn8s here).
 * Each round runs every command once (one warm-up, then --runs timed runs, the median kept),
 * alternating the order, so that load from other jobs falls on both sides alike. Prints the
 * per-round times, the medians, GFLOP/s, and the ratio fcn / PyTorch of each round and their
 * median.
 * Run from the repo root after `npm run build`:
 *   npx tsx bench/side-by-side.ts [--rounds 3] [--runs 1] [--threads 2] [--wasm] [--only forward,train,tiny]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { median } from '../src/runtime/bench.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    wasm: { type: 'boolean', default: false },
    only: { type: 'string', default: 'forward,train,tiny' },
  },
});
const rounds = Number(values.rounds);
const runs = values.runs!;
const threads = values.threads!;
const only = new Set(values.only!.split(','));
const backends = values.wasm ? ['native', 'wasm'] : ['native'];

interface Result {
  ms: number;
  gflops?: number;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Record<string, unknown> {
  const out = execFileSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 24,
  });
  const line = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) throw new Error(`no JSON from ${cmd} ${args.join(' ')}`);
  return JSON.parse(line) as Record<string, unknown>;
}

const fcn = (net: string, input: string, train: boolean, backend: string): Result => {
  const r = run(
    'node',
    [
      'bin/fcn.js',
      'bench',
      net,
      '--input',
      input,
      '--json',
      '--runs',
      runs,
      '--backend',
      backend,
      ...(train ? ['--train'] : []),
    ],
    { OMP_NUM_THREADS: threads },
  );
  return train
    ? { ms: r['train_step_ms'] as number }
    : { ms: r['forward_ms'] as number, gflops: r['gflops'] as number };
};

const torch = (input: string, train: boolean): Result => {
  const r = run('/usr/bin/python3', [
    'bench/torch/bench.py',
    '--input',
    input,
    '--train-input',
    input,
    '--runs',
    runs,
    '--threads',
    threads,
    ...(train ? [] : ['--no-train']),
  ]);
  return train
    ? { ms: r['train_step_ms'] as number }
    : { ms: r['forward_ms'] as number, gflops: r['gflops'] as number };
};

interface Row {
  label: string;
  measure: Record<string, () => Result>;
}
const rows: Row[] = [];
if (only.has('forward'))
  rows.push({
    label: 'voc-fcn8s forward 500×500',
    measure: {
      ...Object.fromEntries(backends.map((b) => [b, () => fcn('nets/voc-fcn8s.fcn', '500x500', false, b)])),
      pytorch: () => torch('500x500', false),
    },
  });
if (only.has('train'))
  rows.push({
    label: 'voc-fcn8s training step 256×256',
    measure: {
      ...Object.fromEntries(backends.map((b) => [b, () => fcn('nets/voc-fcn8s.fcn', '256x256', true, b)])),
      pytorch: () => torch('256x256', true),
    },
  });
if (only.has('tiny'))
  rows.push({
    label: 'tiny-fcn8s training step 256×256',
    measure: Object.fromEntries(backends.map((b) => [b, () => fcn('nets/tiny-fcn8s.fcn', '256x256', true, b)])),
  });

const results = new Map<string, Map<string, Result[]>>(rows.map((r) => [r.label, new Map()]));
for (let round = 0; round < rounds; round++) {
  for (const row of rows) {
    const names = Object.keys(row.measure);
    if (round % 2) names.reverse();
    for (const name of names) {
      const r = row.measure[name]!();
      const list = results.get(row.label)!.get(name) ?? [];
      list.push(r);
      results.get(row.label)!.set(name, list);
      process.stderr.write(`round ${round + 1} ${row.label} ${name}: ${r.ms.toFixed(0)} ms\n`);
    }
  }
}

const lines: string[] = [
  `| | ${['fcn native', ...(values.wasm ? ['fcn wasm'] : []), 'PyTorch', 'native / PyTorch (per round)', 'median ratio'].join(' | ')} |`,
  `|${' --- |'.repeat(values.wasm ? 6 : 5)}`,
];
const fmt = (list: Result[] | undefined): string => {
  if (!list) return '—';
  const ms = median(list.map((r) => r.ms));
  const g = list[0]!.gflops === undefined ? '' : ` (${median(list.map((r) => r.gflops!)).toFixed(1)} GFLOP/s)`;
  return `${(ms / 1000).toFixed(2)} s${g}`;
};
for (const row of rows) {
  const byName = results.get(row.label)!;
  const nat = byName.get('native');
  const pt = byName.get('pytorch');
  const ratios = nat && pt ? nat.map((r, i) => r.ms / pt[i]!.ms) : [];
  lines.push(
    `| ${row.label} | ${fmt(nat)} | ${values.wasm ? `${fmt(byName.get('wasm'))} | ` : ''}${fmt(pt)} | ${
      ratios.map((r) => r.toFixed(2)).join(', ') || '—'
    } | ${ratios.length ? `**${median(ratios).toFixed(2)}×**` : '—'} |`,
  );
}
process.stdout.write(lines.join('\n') + '\n');
