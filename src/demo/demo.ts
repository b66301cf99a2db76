/**
 * The demo as a library call: `fcn synth` data → train nets/tiny-fcn8s.fcn with its own
 * solver defaults → score the val split → predict a few val images → OUT/report.html
 * (metrics, per-class IU, training curve, predictions over the images next to the truth).
 * The steps are the library calls behind `fcn synth`, `fcn train`, `fcn eval` and
 * `fcn predict`, and the report lists those commands to do it by hand. `fcn demo` parses its
 * flags, calls `runDemo` with progress displays and Ctrl-C handling, and prints the summary.
 */
import { readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYNTH_DEFAULTS, type SynthOptions } from '../data/synth.js';
import type { EvalJson } from '../eval/index.js';
import type { LoopEvents, PreparedRun } from '../train/index.js';
import { checkReplaceable, writeFileAtomic } from '../util/index.js';

/**
 * Everything the demo's outcome depends on, in one place: the net, the data, the backend and
 * the report's size. The net's own solver section sets the iterations and the schedule.
 */
export const DEMO = {
  /** The demo's net, shipped in the package's nets/ folder. */
  net: fileURLToPath(new URL('../../nets/tiny-fcn8s.fcn', import.meta.url)),
  /** The synthetic dataset (`seed` is the demo's `seed` option). */
  synth: SYNTH_DEFAULTS as Readonly<SynthOptions>,
  /**
   * The backend when none is named (and FCN_BACKEND is unset): undefined is the default order,
   * so native where the addon is built, else wasm. Both train with 2 data-parallel workers on a
   * 2-core machine; native's addon runs the tiny net's small kernels on one thread per worker
   * and its softmax loss in one pass (README, fcn demo: 53 s on native against 92 s on wasm).
   */
  backend: undefined as string | undefined,
  /** Data-parallel workers: 'auto' is 2 on a 2+ core machine for this net (src/train/workers.ts). */
  workers: 'auto' as const,
  /** Val images shown in the report. */
  examples: 8,
  /** The report's title. */
  title: 'fcn demo: a tiny FCN-8s on synthetic shapes',
};

/** Marks a directory as the demo's own, so a rerun may replace it. */
const MARKER = 'fcn-demo.json';

export interface DemoOptions {
  /** Output directory: data/, run/, report.html (an earlier demo there is replaced; anything else is refused). */
  out: string;
  /** Backend name (default `DEMO.backend`, or FCN_BACKEND). */
  backend?: string;
  /** Training steps (default: the net's solver section). */
  iters?: number;
  /** Seed of the synthetic dataset (default `DEMO.synth.seed`). */
  seed?: number;
  /** Val images shown in the report (default `DEMO.examples`). */
  examples?: number;
  /** Aborting stops the training after the current step, with a checkpoint; the demo then ends interrupted. */
  signal?: AbortSignal;
  /** Hears each of the four steps as it starts. */
  onStep?: (step: number, of: number, text: string) => void;
  /** Hears `(done, total)` as the synthetic images are written. */
  onImage?: (done: number, total: number) => void;
  /** The training's events (progress), once the run is set up. */
  trainEvents?: (prepared: PreparedRun) => TrainEvents | Promise<TrainEvents>;
}

/** A training progress display: the loop's events, and a stop that clears it. */
export type TrainEvents = LoopEvents & { stop?(): void };

/** What a finished demo wrote, and how well the net did: the summary `fcn demo --json` prints. */
export type DemoSummary = {
  report: string;
  run: string;
  data: string;
  backend: string;
  /** The split scored. */
  split: string;
  iterations: number;
  timings_s: Record<string, number>;
} & EvalJson;

export type DemoResult = { interrupted: false; summary: DemoSummary } | { interrupted: true; run: string };

/** Refuses an output path that is anything but an earlier demo (or nothing); clears an earlier demo's run, unless a process still trains it. */
async function claimOut(out: string): Promise<void> {
  const demoDir = { what: 'an fcn demo directory', marker: MARKER, test: () => true };
  if (checkReplaceable(out, demoDir, { flag: '--out' }) === 'dir') {
    const { checkNotLocked } = await import('../train/index.js');
    const run = join(out, 'run');
    checkNotLocked(run);
    await rm(run, { recursive: true, force: true });
  }
  // Claimed before anything is written, so that a rerun after an interruption may replace it.
  await writeFileAtomic(join(out, MARKER), JSON.stringify({ status: 'running' }) + '\n');
}

/** Runs the whole demo; see the module comment. */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const seconds = (since: number) => (performance.now() - since) / 1000;
  const seed = o.seed ?? DEMO.synth.seed;
  const count = o.examples ?? DEMO.examples;
  const step = (n: number, text: string) => o.onStep?.(n, 4, text);
  const shown = relative(process.cwd(), DEMO.net) || DEMO.net;
  const dataDir = join(o.out, 'data');
  const runDir = join(o.out, 'run');
  await claimOut(o.out);

  const { writeSynthDataset } = await import('../data/index.js');
  let t = performance.now();
  step(1, `writing ${DEMO.synth.count} synthetic images (seed ${seed}) to ${dataDir}`);
  await writeSynthDataset(dataDir, { ...DEMO.synth, seed }, (done) => o.onImage?.(done, DEMO.synth.count));
  const timings: Record<string, number> = { synth: seconds(t) };

  const { selectBackend } = await import('../runtime/index.js');
  const train = await import('../train/index.js');
  t = performance.now();
  const backend = await selectBackend(o.backend ?? DEMO.backend);
  const prepared = await train.prepareNewRun({
    source: DEMO.net,
    data: dataDir,
    out: runDir,
    flags: { workers: DEMO.workers, ...(o.iters === undefined ? {} : { iters: o.iters }) },
  });
  const s = prepared.state.settings;
  step(
    2,
    `training ${prepared.info.net} (${shown}): ${s.iters} iterations, batch ${s.batch}, ${train.describeSchedule(s)} on ${backend.chosen}${train.describeWorkers(s)}`,
  );
  const events = await o.trainEvents?.(prepared);
  const result = await train
    .runTraining({
      ...prepared,
      ...(o.signal ? { signal: o.signal } : {}),
      events: events ?? {},
      backend: backend.chosen,
    })
    .finally(() => events?.stop?.());
  timings['train'] = seconds(t);
  const { model, info } = prepared;
  if (result.interrupted) {
    model.dispose();
    return { interrupted: true, run: runDir };
  }
  const val = prepared.val!;

  t = performance.now();
  step(3, `scoring the final model on ${val.length} ${val.split} images`);
  const scored = await train.evaluateModel(model, info, val);
  timings['eval'] = seconds(t);

  t = performance.now();
  const ids = val.ids.slice(0, count);
  step(4, `predicting ${ids.length} ${val.split} images and writing the report`);
  const { preprocessingOf } = await import('../data/preprocess.js');
  const preprocess = preprocessingOf(info.inputs[0]!);
  const samples = await Promise.all(ids.map((id) => val.sample(id, preprocess)));
  const predictions = ids.length ? train.predictLabels(model, info, samples) : [];
  const examples = await Promise.all(
    ids.map(async (id, i) => {
      const { image, label } = await val.loadRaw(id);
      return {
        id,
        image,
        truth: label,
        prediction: predictions[i]!,
      };
    }),
  );
  model.dispose();
  timings['predict'] = seconds(t);
  timings['total'] = seconds(started);

  const st = result.state;
  const itersFlag = o.iters === undefined ? '' : ` --iters ${o.iters}`;
  const html = train.renderRunReport({
    title: DEMO.title,
    subtitle: `${info.net} trained from scratch for ${st.iteration} iterations on ${prepared.train.length} synthetic images, scored on ${val.length} held-out ${val.split} images.`,
    facts: [
      ['net', `${info.net} (${shown})`],
      [
        'data',
        `fcn synth, seed ${seed}: ${prepared.train.length} train + ${val.length} val images, ${info.classes} classes`,
      ],
      [
        'solver',
        `SGD, ${train.describeSchedule(s)}, momentum ${s.momentum}, weight decay ${s.weightDecay}, batch ${s.batch}, ${s.iters} iterations, seed ${s.seed}`,
      ],
      ['backend', backend.chosen],
      [
        'time',
        Object.entries(timings)
          .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
          .join(', '),
      ],
      ['best val mean IU', st.best ? `${st.best.meanIU.toFixed(4)} at iteration ${st.best.iteration}` : '—'],
    ],
    split: val.split,
    result: scored,
    ...(prepared.classNames ? { classNames: prepared.classNames } : {}),
    log: await train.readLog(train.runPaths(runDir).log),
    examples,
    commands: [
      `fcn synth --out ${dataDir} --seed ${seed}`,
      `fcn train ${shown} --data ${dataDir} --out ${runDir}${itersFlag}`,
      `fcn eval ${runDir} --data ${dataDir} --split ${val.split}`,
      ...(ids.length ? [`fcn predict ${train.runPaths(runDir).model} ${val.imagePath(ids[0]!)} --overlay`] : []),
    ],
  });
  const report = join(o.out, 'report.html');
  await writeFileAtomic(report, html);
  const { evalResultToJson } = await import('../eval/index.js');
  const summary: DemoSummary = {
    report: resolve(report),
    run: resolve(runDir),
    data: resolve(dataDir),
    backend: backend.chosen,
    split: val.split,
    iterations: st.iteration,
    timings_s: timings,
    ...evalResultToJson(scored, prepared.classNames),
  };
  await writeFileAtomic(join(o.out, MARKER), JSON.stringify(summary, null, 2) + '\n');
  return { interrupted: false, summary: JSON.parse(await readFile(join(o.out, MARKER), 'utf8')) as DemoSummary };
}
