// Learning-rate schedules (src/train/schedule.ts): Caffe's lr_policy formulas, exactly; the
// solver section and the flags that choose one; and a run whose log records the rate of
// every step.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../src/compiler/compile.js';
import { UserError } from '../src/diagnostics/index.js';
import { SYNTH_DEFAULTS, writeSynthDataset } from '../src/data/index.js';
import {
  describeSchedule,
  learningRate,
  prepareNewRun,
  readLog,
  resolveSettings,
  runPaths,
  runTraining,
  type IterEntry,
} from '../src/train/index.js';
import { settingsToJson } from '../src/train/settings.js';
import { useWasm } from './helpers/tf.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

test('fixed: the base rate at every step', (t) => {
  const s = { lr: 0.1, iters: 100, lrPolicy: 'fixed' as const };
  t.deepEqual(
    [0, 1, 50, 99].map((i) => learningRate(s, i)),
    [0.1, 0.1, 0.1, 0.1],
  );
  t.is(learningRate({ lr: 0.1, iters: 100 }, 7), 0.1, 'a checkpoint without a policy is fixed');
});

test("poly: lr·(1 − iter/iters)^power, as Caffe's SGDSolver computes it", (t) => {
  const s = { lr: 0.2, iters: 400, lrPolicy: 'poly' as const, power: 0.9 };
  t.is(learningRate(s, 0), 0.2);
  t.is(learningRate(s, 200), 0.2 * 0.5 ** 0.9);
  t.is(learningRate(s, 300), 0.2 * 0.25 ** 0.9);
  t.is(learningRate(s, 400), 0);
  t.is(learningRate({ ...s, power: 1 }, 100), 0.2 * 0.75, 'power 1 is linear decay');
  t.is(learningRate({ ...s, power: 0 }, 399), 0.2, 'power 0 is fixed');
});

test('step: lr·gamma^⌊iter/stepsize⌋', (t) => {
  const s = { lr: 1, iters: 1000, lrPolicy: 'step' as const, gamma: 0.1, stepsize: 300 };
  t.deepEqual(
    [0, 299, 300, 599, 600, 999].map((i) => learningRate(s, i)),
    [1, 1, 0.1, 0.1, 0.1 ** 2, 0.1 ** 3],
  );
});

/** A one-layer net whose solver section is `solver`, compiled. */
function withSolver(solver: string): ReturnType<typeof compileSource> {
  return compileSource(
    `net n {
  input data { channels: 1 }
  solver { ${solver} }
  c: conv { out: 1  kernel: 1 }
}`,
    'n.fcn',
  );
}

test('the solver section chooses a schedule, the flags override it, and a schedule without its settings is refused', (t) => {
  const { net, diagnostics } = withSolver('lr: 0.5  lr_policy: poly  power: 0.9  iters: 10');
  t.deepEqual(diagnostics, []);
  const perEpoch = () => 10;
  const s = resolveSettings(net!.solver, {}, perEpoch);
  t.like(s, { lr: 0.5, lrPolicy: 'poly', power: 0.9, iters: 10 });
  t.is(describeSchedule(s), 'lr 0.5 (poly, power 0.9)');
  const step = resolveSettings(net!.solver, { lrPolicy: 'step', gamma: 0.5, stepsize: 4 }, perEpoch);
  t.like(step, { lrPolicy: 'step', gamma: 0.5, stepsize: 4 });
  t.false('power' in step, 'a setting of another policy is not kept');
  t.is(describeSchedule(step), 'lr 0.5 (step, gamma 0.5 every 4)');
  t.is(resolveSettings({ lr: 1 }, {}, perEpoch).lrPolicy, 'fixed');
  const e1 = t.throws(() => resolveSettings({ lr: 1, lrPolicy: 'poly' }, {}, perEpoch), { instanceOf: UserError });
  t.is(e1.message, 'the poly schedule needs --power ≥ 0 (solver { power: … }), got undefined');
  const e2 = t.throws(() => resolveSettings({ lr: 1 }, { lrPolicy: 'step', gamma: 0.1 }, perEpoch), {
    instanceOf: UserError,
  });
  t.is(e2.message, 'the step schedule needs --stepsize, an integer ≥ 1 (solver { stepsize: … }), got undefined');
});

test("a misspelt lr_policy gets the language's 'did you mean'", (t) => {
  const { diagnostics } = withSolver('lr: 0.5  lr_policy: ploy');
  t.is(diagnostics.length, 1);
  t.is(diagnostics[0]!.code, 'invalid-enum-value');
  t.is(diagnostics[0]!.message, "'lr_policy' must be one of fixed, poly, step, found 'ploy'");
  t.is(diagnostics[0]!.help, "did you mean 'poly'?");
});

test('a run under the poly schedule logs the rate of every step', async (t) => {
  await useWasm();
  const root = await mkdtemp(join(tmpdir(), 'fcn-schedule-'));
  try {
    const data = join(root, 'data');
    await writeSynthDataset(data, { ...SYNTH_DEFAULTS, count: 4, size: [16, 16], classes: 3, seed: 5 });
    const run = join(root, 'run');
    const prepared = await prepareNewRun({
      source: join(repo, 'test/fixtures/train/micro.fcn'),
      data,
      out: run,
      flags: { iters: 4, lrPolicy: 'poly', power: 2, evalEvery: 0 },
    });
    await runTraining(prepared);
    const rates = (await readLog(runPaths(run).log)).filter((e): e is IterEntry => e.type === 'iter').map((e) => e.lr);
    // Step i (1-based) runs at 0.05·(1 − (i − 1)/4)².
    t.deepEqual(rates, [0.05, 0.05 * 0.75 ** 2, 0.05 * 0.5 ** 2, 0.05 * 0.25 ** 2]);
    prepared.model.dispose();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("clip_gradients: from the solver section or --clip-gradients, kept in the run's settings, positive only", (t) => {
  const { net, diagnostics } = withSolver('lr: 0.5  clip_gradients: 2.5  iters: 10');
  t.deepEqual(diagnostics, []);
  const perEpoch = () => 10;
  const s = resolveSettings(net!.solver, {}, perEpoch);
  t.is(s.clipGradients, 2.5);
  t.is(settingsToJson(s)['clip_gradients'], 2.5);
  t.is(resolveSettings(net!.solver, { clipGradients: 1 }, perEpoch).clipGradients, 1);
  t.false('clipGradients' in resolveSettings({ lr: 1 }, {}, perEpoch), 'absent: no clipping');
  t.false('clip_gradients' in settingsToJson(resolveSettings({ lr: 1 }, {}, perEpoch)));
  const e = t.throws(() => resolveSettings({ lr: 1 }, { clipGradients: 0 }, perEpoch), { instanceOf: UserError });
  t.is(e.message, '--clip-gradients must be positive, got 0');
  const bad = withSolver('lr: 0.5  clip_gradients: -1');
  t.true(bad.diagnostics.some((d) => d.severity === 'error' && /clip_gradients/.test(d.message)));
});
