// Training runs with data-parallel workers (src/train/workers.ts): the worker count is a setting
// of the run, chosen by default for the machine and the net, kept by --resume (the summation
// order, and so the bits, depend on it), and a 2-worker run interrupted and resumed ends bit for
// bit where the uninterrupted 2-worker run ends. The CLI test runs the built CLI: build first.
import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import { UserError } from '../src/diagnostics/index.js';
import { loadModel, nativeThreadsPerWorker, workersUnsupported } from '../src/runtime/index.js';
import {
  defaultWorkers,
  loadCheckpoint,
  prepareResume,
  resolveSettings,
  runPaths,
  runTraining,
  workerCount,
  type SettingOverrides,
} from '../src/train/index.js';
import { loggedLosses, microRuns, trainUntil } from './helpers/micro-run.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const micro = microRuns('fcn-train-parallel-');

const newRun = (name: string, flags: SettingOverrides = {}) => micro.newRun(name, flags);

/** Every weight of a model by name, as bytes. */
function weightBytes(model: tf.LayersModel): Map<string, Buffer> {
  return new Map(model.weights.map((w) => [w.originalName, Buffer.from(w.read().dataSync().buffer)]));
}

test.serial(
  'a 2-worker run interrupted at iteration 3 and resumed ends bit-identical to the uninterrupted run',
  async (t) => {
    const flags = { iters: 6, evalEvery: 2, workers: 2 };
    const whole = await newRun('whole', flags);
    t.is(whole.state.settings.workers, 2);
    await runTraining(whole);

    const part = await newRun('part', flags);
    const first = await trainUntil(part, 3);
    t.true(first.interrupted);
    t.is((await loadCheckpoint(part.run)).state.settings.workers, 2, 'the checkpoint keeps the worker count');
    const resumed = await prepareResume(part.run);
    t.is(resumed.state.settings.workers, 2, '--resume continues with it');
    await runTraining(resumed);

    const a = weightBytes((await loadModel(runPaths(whole.run).model)).model);
    const b = weightBytes((await loadModel(runPaths(part.run).model)).model);
    t.deepEqual([...b.keys()], [...a.keys()]);
    for (const [name, bytes] of a) t.deepEqual(b.get(name), bytes, name);
    t.deepEqual(await loggedLosses(part.run), await loggedLosses(whole.run));
  },
);

test.serial('--workers cannot change on --resume', async (t) => {
  const prepared = await newRun('fixed', { iters: 1, workers: 2 });
  await runTraining(prepared);
  const child = spawn('node', ['bin/fcn.js', 'train', '--resume', prepared.run, '--workers', '1'], { cwd: repo });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(code, 2, stderr);
  t.regex(stderr, /--workers cannot change/);
});

test('by default 2 workers train on 2+ cores, on native, wasm or cpu, with a batch of 2+, for a net under 20 M parameters', (t) => {
  const base = { cores: 2, backend: 'wasm', batch: 8, params: 304_239 };
  t.is(defaultWorkers(base), 2);
  t.is(defaultWorkers({ ...base, backend: 'cpu', cores: 16 }), 2);
  t.is(defaultWorkers({ ...base, backend: 'native' }), 2);
  t.is(defaultWorkers({ ...base, backend: 'native', params: 134_000_000 }), 1);
  t.is(defaultWorkers({ ...base, cores: 1 }), 1);
  t.is(defaultWorkers({ ...base, backend: 'tensorflow' }), 1);
  t.is(defaultWorkers({ ...base, batch: 1 }), 1);
  t.is(defaultWorkers({ ...base, params: 134_000_000 }), 1);
});

test("the worker count resolves from --workers, 'auto' (the machine's default) or 1, and is checked", (t) => {
  const perEpoch = () => 10;
  const solver = { lr: 0.1, batch: 4 };
  t.is(resolveSettings(solver, {}, perEpoch, () => 2).workers, 1, 'not asked for: 1');
  t.is(resolveSettings(solver, { workers: 'auto' }, perEpoch, (b) => (b >= 2 ? 2 : 1)).workers, 2);
  t.is(resolveSettings(solver, { workers: 'auto', batch: 1 }, perEpoch, (b) => (b >= 2 ? 2 : 1)).workers, 1);
  t.is(resolveSettings(solver, { workers: 3 }, perEpoch).workers, 3);
  const err = t.throws(() => resolveSettings(solver, { workers: 5 }, perEpoch), { instanceOf: UserError });
  t.is(err.exitCode, 2);
  t.regex(err.message, /--workers 5 needs a batch of at least 5/);
  const old = resolveSettings(solver, {}, perEpoch);
  delete old.workers; // a checkpoint written before the setting
  t.is(workerCount(old), 1);
});

test('several workers need the native, wasm or cpu backend', (t) => {
  t.is(workersUnsupported(2, 'wasm'), undefined);
  t.is(workersUnsupported(2, 'cpu'), undefined);
  t.is(workersUnsupported(2, 'native'), undefined);
  t.is(workersUnsupported(1, 'tensorflow'), undefined);
  t.is(
    workersUnsupported(2, 'tensorflow')?.message,
    'training with 2 workers needs the native, wasm or cpu backend, not tensorflow (it already uses every core): ' +
      'use --backend native, or --workers 1 for a new run',
  );
});

test('on native each worker runs oneDNN on its share of the cores, at least one thread', (t) => {
  t.is(nativeThreadsPerWorker(2, 2), 1);
  t.is(nativeThreadsPerWorker(2, 8), 4);
  t.is(nativeThreadsPerWorker(3, 8), 2);
  t.is(nativeThreadsPerWorker(4, 2), 1);
});
