// The training loop (src/train) on a micro net and a micro synthetic dataset: SGD through the
// loop equals a direct computation, frozen weights stay bit-identical, a run interrupted and
// resumed ends bit-identical to an uninterrupted one, checkpoints are atomic, and `fcn train`
// stops cleanly on Ctrl-C. The CLI test runs the built CLI (bin/fcn.js → dist/): build first.
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../src/diagnostics/index.js';
import { VocDataset } from '../src/data/index.js';
import { analyzeNet, emitModel, loadModel, softmaxLoss } from '../src/runtime/index.js';
import {
  checkpointDir,
  loadCheckpoint,
  prepareResume,
  readLog,
  runPaths,
  runTraining,
  resolveSettings,
  saveCheckpoint,
  TrainLog,
  type SettingOverrides,
} from '../src/train/index.js';
import { loggedLosses, MICRO_NET, microRuns, trainUntil } from './helpers/micro-run.js';
import { snapshotTree } from './helpers/tree.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const NET = MICRO_NET;
const SOLVER = { lr: 0.05, momentum: 0.9, weightDecay: 5e-4, batch: 2, seed: 3 };

const micro = microRuns('fcn-train-');

/** Every weight of a model by tfjs name, as float32 arrays. */
function weights(model: tf.LayersModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const w of model.weights) out.set(w.originalName, w.read().dataSync() as Float32Array);
  return out;
}

const newRun = (name: string, flags: SettingOverrides = {}) => micro.newRun(name, flags);

test.serial('SGD through the loop equals a direct computation of two Caffe steps', async (t) => {
  const prepared = await newRun('sgd', { iters: 2 });
  const initial = weights(prepared.model);
  await runTraining(prepared);
  const trained = weights((await loadModel(runPaths(prepared.run).model)).model);

  // The direct computation: same initial weights (same seed), same batches, Caffe's rule in float64:
  //   diff = grad + weight_decay·decay_mult·w;  history = momentum·history + lr·lr_mult·diff;  w −= history
  const { ir, analysis } = analyzeNet(NET);
  const { model, info } = emitModel(ir, { offsets: analysis.crops.offsets, seed: SOLVER.seed });
  const ds = await VocDataset.open(micro.data, { split: 'train', classes: 3 });
  const input = info.inputs[0]!;
  const params = info.params.filter((p) => p.lr > 0);
  const vars = new Map(model.weights.map((w) => [w.originalName, w.read() as tf.Variable]));
  const w = new Map(params.map((p) => [p.name, Float64Array.from(initial.get(p.name)!)]));
  const h = new Map(params.map((p) => [p.name, new Float64Array(initial.get(p.name)!.length)]));
  for (let it = 0; it < 2; it++) {
    const b = await ds.batch(it, {
      batch: SOLVER.batch,
      preprocess: { mean: input.mean!, order: input.order },
      flip: true,
      seed: SOLVER.seed,
    });
    const x = tf.tensor4d(b.images, [b.size, b.height, b.width, 3]);
    const y = tf.tensor3d(b.labels, [b.size, b.height, b.width], 'int32');
    const { value, grads } = tf.variableGrads(
      () => softmaxLoss(model.apply(x, { training: true }) as tf.Tensor4D, y, info.losses[0]!),
      params.map((p) => vars.get(p.name)!),
    );
    for (const p of params) {
      const g = grads[vars.get(p.name)!.name]!.dataSync();
      const wp = w.get(p.name)!;
      const hp = h.get(p.name)!;
      for (let i = 0; i < wp.length; i++) {
        const diff = g[i]! + SOLVER.weightDecay * p.decay * wp[i]!;
        hp[i] = SOLVER.momentum * hp[i]! + SOLVER.lr * p.lr * diff;
        wp[i] = wp[i]! - hp[i]!;
      }
      vars.get(p.name)!.assign(tf.tensor(Float32Array.from(wp), vars.get(p.name)!.shape));
    }
    tf.dispose([x, y, value, ...Object.values(grads)]);
  }
  t.true(params.length >= 4, 'conv1 and score_fr kernels and biases train');
  for (const p of params) {
    const got = trained.get(p.name)!;
    const want = w.get(p.name)!;
    const moved = want.some((v, i) => v !== initial.get(p.name)![i]);
    t.true(moved, `${p.name} was updated`);
    const err = Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]!)));
    t.true(err < 1e-6, `${p.name}: max |loop − direct| = ${err}`);
  }
  model.dispose();
});

test.serial('frozen weights (lr 0) stay bit-identical through training', async (t) => {
  const prepared = await newRun('frozen', { iters: 4 });
  const frozen = prepared.info.params.filter((p) => p.lr === 0).map((p) => p.name);
  t.deepEqual(frozen.sort(), ['frozen/bias', 'frozen/kernel', 'scaled/scale', 'upscore/kernel']);
  const before = weights(prepared.model);
  await runTraining(prepared);
  const after = weights((await loadModel(runPaths(prepared.run).model)).model);
  for (const name of frozen)
    t.deepEqual(Buffer.from(after.get(name)!.buffer), Buffer.from(before.get(name)!.buffer), name);
  t.notDeepEqual(after.get('conv1/kernel'), before.get('conv1/kernel'));
});

test.serial('a run interrupted at iteration 3 and resumed ends bit-identical to an uninterrupted run', async (t) => {
  const flags = { iters: 7, evalEvery: 2 };
  const whole = await newRun('whole', flags);
  await runTraining(whole);

  const part = await newRun('part', flags);
  const first = await trainUntil(part, 3);
  t.true(first.interrupted);
  t.is(first.state.iteration, 3);
  t.false(existsSync(runPaths(part.run).model), 'no final model before the run ends');
  t.is((await loadCheckpoint(part.run)).state.iteration, 3);

  const resumed = await prepareResume(part.run);
  t.is(resumed.state.iteration, 3);
  const second = await runTraining(resumed);
  t.false(second.interrupted);
  t.is(second.state.iteration, 7);

  const a = weights((await loadModel(runPaths(whole.run).model)).model);
  const b = weights((await loadModel(runPaths(part.run).model)).model);
  t.deepEqual([...a.keys()], [...b.keys()]);
  for (const [name, v] of a) t.deepEqual(Buffer.from(b.get(name)!.buffer), Buffer.from(v.buffer), name);
  // The optimizer state and the logged losses agree too.
  const ca = await loadCheckpoint(whole.run);
  const cb = await loadCheckpoint(part.run);
  for (const [name, v] of Object.entries(ca.optimizer.history))
    t.deepEqual(
      Buffer.from(cb.optimizer.history[name]!.dataSync().buffer),
      Buffer.from(v.dataSync().buffer),
      `history ${name}`,
    );
  t.deepEqual(await loggedLosses(part.run), await loggedLosses(whole.run));
  t.is((await loggedLosses(whole.run)).length, 7);
  t.is(cb.state.best?.iteration, ca.state.best?.iteration);
});

test.serial('a failed checkpoint write leaves the previous checkpoint whole and no partial files', async (t) => {
  const prepared = await newRun('atomic', { iters: 2 });
  await runTraining(prepared);
  const dir = checkpointDir(prepared.run);
  const snapshot = () => snapshotTree(dir);
  const before = snapshot();
  t.deepEqual(Object.keys(before).sort(), [
    'model/fcn.json',
    'model/model.json',
    'model/weights.bin',
    'optimizer.bin',
    'state.json',
  ]);
  const ckpt = await loadCheckpoint(prepared.run);
  // state.json is written last, after the weights and the optimizer state: a value JSON cannot hold fails it there.
  const bad = { ...ckpt.state, elapsed: 1n as unknown as number };
  await t.throwsAsync(saveCheckpoint(prepared.run, ckpt.model, ckpt.info, ckpt.optimizer, bad), {
    instanceOf: TypeError,
  });
  t.deepEqual(snapshot(), before, 'the previous checkpoint is untouched');
  t.deepEqual(
    (await readdir(dir)).filter((e) => e.startsWith('.')).sort(),
    ['.current', '.v000001'],
    'no new version, and no temporary one left',
  );
  t.deepEqual(
    (await readdir(prepared.run)).sort(),
    ['best', 'checkpoint', 'log.jsonl', 'model', 'summary.json'],
    'no temporary files left',
  );
  tf.dispose(Object.values(ckpt.optimizer.history));
});

test.serial(
  'fcn train stops on Ctrl-C with a checkpoint and says how to resume; --resume finishes the run',
  async (t) => {
    const run = join(micro.root, 'cli');
    const args = [
      'bin/fcn.js',
      'train',
      NET,
      '--data',
      micro.data,
      '--out',
      run,
      '--iters',
      '100000',
      '--backend',
      'wasm',
    ];
    const child = spawn('node', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        const before = stderr;
        stderr += chunk.toString();
        // Interrupt once training is under way (the first progress line).
        if (!/\niter \d+/.test(before) && /\niter \d+/.test(stderr)) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    t.is(code, 130, stderr);
    t.regex(stderr, /stopped at iteration (\d+) of 100000; checkpoint written to/);
    t.regex(stderr, new RegExp(`resume with: fcn train --resume ${run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const stoppedAt = Number(/stopped at iteration (\d+)/.exec(stderr)![1]);
    const state = (await loadCheckpoint(run)).state;
    t.is(state.iteration, stoppedAt);

    const resume = spawn('node', ['bin/fcn.js', 'train', '--resume', run, '--iters', String(stoppedAt + 3), '--json'], {
      cwd: repo,
    });
    let stdout = '';
    resume.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const resumeCode = await new Promise<number | null>((resolve) => resume.on('close', resolve));
    t.is(resumeCode, 0);
    const summary = JSON.parse(stdout) as { iterations: number; settings: { lr: number } };
    t.is(summary.iterations, stoppedAt + 3);
    t.is(summary.settings.lr, SOLVER.lr);
  },
);

test("settings come from the flags, then the net's solver section, then the fallbacks", (t) => {
  const perEpoch = (batch: number) => Math.ceil(100 / batch);
  const solver = { lr: 0.1, momentum: 0.95, batch: 4, iters: 50 };
  const s = resolveSettings(solver, { momentum: 0.8, weightDecay: 1e-3 }, perEpoch);
  t.like(s, {
    lr: 0.1,
    momentum: 0.8,
    weightDecay: 1e-3,
    batch: 4,
    iters: 50,
    seed: 0,
    flip: true,
    trainSplit: 'train',
  });
  t.is(s.evalEvery, 5, 'ten evaluations by default');
  t.is(resolveSettings(solver, { epochs: 2 }, perEpoch).iters, 50, '--epochs: 2 × ceil(100 / 4)');
  t.is(resolveSettings({ lr: 1 }, {}, perEpoch).iters, 100, 'no iters nor epochs: one epoch at the fallback batch 1');
  t.is(resolveSettings({ lr: 1, epochs: 3 }, { batch: 10 }, perEpoch).iters, 30);
  const err = t.throws(() => resolveSettings({}, {}, perEpoch), { instanceOf: UserError });
  t.regex(err.message, /no learning rate: give --lr/);
  t.throws(() => resolveSettings(solver, { momentum: 1 }, perEpoch), { message: /--momentum must be in \[0, 1\)/ });
});

test('resuming cuts the log back to the checkpoint, dropping steps a crash left after it', async (t) => {
  const path = join(micro.root, 'cut.jsonl');
  const lines = [
    { type: 'start', iter: 0, time: 0 },
    ...[1, 2, 3, 4, 5].map((i) => ({ type: 'iter', iter: i, loss: 1 / i, lr: 0.1, images_per_s: 10, time: i })),
    { type: 'eval', iter: 3, split: 'val', mean_iu: 0.5, time: 3.5 },
  ];
  // The last line is torn, as a process killed mid-write leaves it.
  await writeFile(path, lines.map((l) => JSON.stringify(l) + '\n').join('') + '{"type":"iter","it');
  await TrainLog.resume(path, 3);
  const kept = await readLog(path);
  t.deepEqual(
    kept.map((e) => `${e.type}@${e.iter}`),
    ['start@0', 'iter@1', 'iter@2', 'iter@3', 'eval@3'],
  );
});
