// End to end, through the built CLI (bin/fcn.js → dist/; build first, `npm run test:slow` does):
// `fcn demo` writes fresh synthetic data, trains nets/tiny-fcn8s.fcn with its own solver
// defaults, scores the val split and writes the report; then `fcn eval` and `fcn predict`
// read the run it left. The heaviest test of the suite: one full training, about a minute and a half.
// It is bounded by the net's iterations and judged by quality, never by the clock: its
// timeout only catches a hang.
import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readLabel } from '../src/data/index.js';
import type { EvalJson } from '../src/eval/index.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
/** A seed no other test, doc or default uses: the data is new to the net's settings. */
const SEED = 4242;
/** Only catches a hang: the demo takes about 90 s on 2 idle cores, and many times that under load. */
const HANG_MS = 60 * 60_000;

function fcn(...args: string[]) {
  return run('node', ['bin/fcn.js', ...args], { cwd: repo, maxBuffer: 16 * 2 ** 20 });
}

test('fcn demo trains tiny-fcn8s on fresh synthetic data to val mean IU ≥ 0.8 and reports it', async (t) => {
  t.timeout(HANG_MS, 'fcn demo seems to hang');
  const out = await mkdtemp(join(tmpdir(), 'fcn-e2e-'));
  try {
    const started = Date.now();
    const { stdout, stderr } = await fcn('demo', '--out', out, '--seed', String(SEED), '--json');
    const seconds = (Date.now() - started) / 1000;
    const demo = JSON.parse(stdout) as EvalJson & {
      report: string;
      iterations: number;
      timings_s: Record<string, number>;
    };
    t.log(
      `demo: mean IU ${demo.mean_iu}, ${demo.iterations} iterations, ${seconds.toFixed(0)} s (${JSON.stringify(demo.timings_s)})`,
    );
    t.regex(stderr, /\[1\/4\][^]*\[2\/4\][^]*\[3\/4\][^]*\[4\/4\]/, 'the four steps are announced');
    t.true(demo.mean_iu! >= 0.8, `val mean IU ${demo.mean_iu}`);
    t.is(demo.class_names?.join(','), 'background,disc,ring,cross');

    // The report: self-contained, with the metrics, the curve and the predictions.
    const html = await readFile(join(out, 'report.html'), 'utf8');
    t.is(demo.report, join(out, 'report.html'));
    for (const text of [
      'mean IU',
      'pixel accuracy',
      'mean accuracy',
      'frequency-weighted IU',
      'Per-class IU',
      'disc',
      'ring',
      'cross',
    ])
      t.true(html.includes(text), text);
    t.true(html.includes(`${(100 * demo.mean_iu!).toFixed(2)}%`), 'the report shows the mean IU');
    t.regex(html, /<svg[^>]*>[^]*<polyline[^]*<\/svg>/, 'training curve');
    t.is(html.match(/<img /g)?.length, 3 * 8, 'image, truth and prediction for 8 val images');
    t.false(/(src|href)="https?:/.test(html), 'nothing is fetched');

    // The run it left is a normal run: fcn eval scores its model identically, fcn predict loads it.
    const runDir = join(out, 'run');
    const data = join(out, 'data');
    const evaluated = JSON.parse(
      (await fcn('eval', runDir, '--data', data, '--split', 'val', '--json')).stdout,
    ) as EvalJson;
    t.is(evaluated.mean_iu, demo.mean_iu);
    t.deepEqual(evaluated.confusion, demo.confusion);
    const summary = JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')) as {
      iterations: number;
      eval: { mean_iu: number };
    };
    t.is(summary.iterations, demo.iterations);
    t.is(summary.eval.mean_iu, demo.mean_iu!);
    const image = join(data, 'JPEGImages', 'synth_0300.png');
    const predicted = join(out, 'synth_0300.label.png');
    await fcn('predict', join(runDir, 'model'), image, '-o', predicted);
    t.true(existsSync(predicted));
    const label = await readLabel(predicted);
    t.deepEqual([label.width, label.height], [64, 64]);
    t.true(label.data.every((c) => c < 4));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
