/**
 * `fcn demo [--out DIR] [--backend B] [--iters N] [--seed S] [--json]`: the whole path in a
 * minute or two on a CPU, with nothing to download: `fcn synth` data → train
 * nets/tiny-fcn8s.fcn with its own solver defaults → score the val split → predict a few val
 * images → OUT/report.html (metrics, per-class IU, training curve, predictions over the
 * images next to the truth). The steps are the library calls behind `fcn synth`, `fcn train`,
 * `fcn eval` and `fcn predict`, and the report lists those commands to do it by hand.
 */
import type { Command } from 'commander';
import { readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../diagnostics/index.js';
import { parseInteger } from '../errors.js';

interface DemoFlags {
  out: string;
  backend?: string;
  iters?: string;
  seed: string;
  examples: string;
  json?: boolean;
}

/** The demo's net, shipped in the package's nets/ folder. */
export const DEMO_NET = fileURLToPath(new URL('../../../nets/tiny-fcn8s.fcn', import.meta.url));
/** Marks a directory as the demo's own, so a rerun may replace it. */
const MARKER = 'fcn-demo.json';

/** Refuses an output path that is anything but an earlier demo (or nothing); clears an earlier demo's run, unless a process still trains it. */
async function prepareOut(out: string): Promise<void> {
  const { checkReplaceable } = await import('../../util/index.js');
  const demoDir = { what: 'an fcn demo directory', marker: MARKER, test: () => true };
  if (checkReplaceable(out, demoDir, { flag: '--out' }) !== 'dir') return;
  const { checkNotLocked } = await import('../../train/index.js');
  const run = join(out, 'run');
  checkNotLocked(run);
  await rm(run, { recursive: true, force: true });
}

/** Claims the output directory before anything is written, so that a rerun after an interruption may replace it. */
async function claimOut(out: string): Promise<void> {
  await prepareOut(out);
  const { writeFileAtomic } = await import('../../util/index.js');
  await writeFileAtomic(join(out, MARKER), JSON.stringify({ status: 'running' }) + '\n');
}

function step(n: number, text: string): void {
  process.stderr.write(`[${n}/4] ${text}\n`);
}

/** Registers `fcn demo`. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'synthetic data → train nets/tiny-fcn8s.fcn → score → predict, with an HTML report (a minute or two on a CPU)',
    )
    .option('--out <dir>', 'output directory (data/, run/, report.html)', 'fcn-demo')
    .option(
      '--backend <name>',
      'node-gpu, node, native, wasm or cpu (default: wasm on both cores, for this tiny net; env FCN_BACKEND)',
    )
    .option('--iters <n>', "training steps (default: the net's solver section)")
    .option('--seed <s>', 'seed of the synthetic dataset', '0')
    .option('--examples <n>', 'val images shown in the report', '8')
    .option('--json', 'print the demo summary as JSON')
    .action(async (flags: DemoFlags) => {
      const started = performance.now();
      const seconds = (since: number) => (performance.now() - since) / 1000;
      const iters = flags.iters === undefined ? undefined : parseInteger(flags.iters, '--iters', 1);
      const seed = parseInteger(flags.seed, '--seed');
      const count = parseInteger(flags.examples, '--examples');
      const out = flags.out;
      const dataDir = join(out, 'data');
      const runDir = join(out, 'run');
      await claimOut(out);

      const { SYNTH_DEFAULTS, writeSynthDataset } = await import('../../data/index.js');
      const { startProgress } = await import('../progress.js');
      let t = performance.now();
      step(1, `writing ${SYNTH_DEFAULTS.count} synthetic images (seed ${seed}) to ${dataDir}`);
      const bar = await startProgress(SYNTH_DEFAULTS.count, 'images');
      try {
        await writeSynthDataset(dataDir, { ...SYNTH_DEFAULTS, seed }, (done) => bar.update(done));
      } finally {
        bar.stop();
      }
      const timings: Record<string, number> = { synth: seconds(t) };

      const { selectBackend } = await import('../../runtime/index.js');
      const train = await import('../../train/index.js');
      const { stopExitCode, trainWithSignals } = await import('./train.js');
      t = performance.now();
      // The demo's net is tiny: per-call overheads dominate, and wasm on both cores (2 data-parallel
      // workers) trains it faster than the native backend (measured: 262 s for the demo on native).
      const backend = await selectBackend(flags.backend ?? (process.env['FCN_BACKEND'] ? undefined : 'wasm'));
      const prepared = await train.prepareNewRun({
        source: DEMO_NET,
        data: dataDir,
        out: runDir,
        flags: { workers: 'auto', ...(iters === undefined ? {} : { iters }) },
      });
      const s = prepared.state.settings;
      step(
        2,
        `training ${prepared.info.net} (${relative(process.cwd(), DEMO_NET) || DEMO_NET}): ${s.iters} iterations, batch ${s.batch}, ${train.describeSchedule(s)} on ${backend.chosen}${train.describeWorkers(s)}`,
      );
      const result = await trainWithSignals(prepared, backend.chosen);
      timings['train'] = seconds(t);
      if (result.interrupted) {
        process.stderr.write(
          `fcn demo: interrupted; the training run can be continued with: fcn train --resume ${runDir}\n`,
        );
        process.exitCode = stopExitCode(result.signal);
        return;
      }
      const { model, info } = prepared;
      const val = prepared.val!;

      t = performance.now();
      step(3, `scoring the final model on ${val.length} ${val.split} images`);
      const scored = await train.evaluateModel(model, info, val);
      timings['eval'] = seconds(t);

      t = performance.now();
      const ids = val.ids.slice(0, count);
      step(4, `predicting ${ids.length} ${val.split} images and writing the report`);
      const input = info.inputs[0]!;
      const preprocess = { ...(input.mean ? { mean: input.mean } : {}), order: input.order };
      const samples = await Promise.all(ids.map((id) => val.sample(id, preprocess)));
      const predictions = ids.length ? train.predictLabels(model, info, samples) : [];
      const examples = await Promise.all(
        ids.map(async (id, i) => {
          const { image, label } = await val.loadRaw(id);
          return {
            id,
            image,
            truth: label,
            prediction: { width: image.width, height: image.height, data: predictions[i]! },
          };
        }),
      );
      timings['predict'] = seconds(t);
      timings['total'] = seconds(started);

      const m = scored.metrics;
      const st = result.state;
      const itersFlag = iters === undefined ? '' : ` --iters ${iters}`;
      const html = train.renderRunReport({
        title: 'fcn demo: a tiny FCN-8s on synthetic shapes',
        subtitle: `${info.net} trained from scratch for ${st.iteration} iterations on ${prepared.train.length} synthetic images, scored on ${val.length} held-out ${val.split} images.`,
        facts: [
          ['net', `${info.net} (${relative(process.cwd(), DEMO_NET) || DEMO_NET})`],
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
          `fcn train ${relative(process.cwd(), DEMO_NET) || DEMO_NET} --data ${dataDir} --out ${runDir}${itersFlag}`,
          `fcn eval ${runDir} --data ${dataDir} --split ${val.split}`,
          ...(ids.length ? [`fcn predict ${train.runPaths(runDir).model} ${val.imagePath(ids[0]!)} --overlay`] : []),
        ],
      });
      const { writeFileAtomic } = await import('../../util/index.js');
      const report = join(out, 'report.html');
      await writeFileAtomic(report, html);
      const { evalResultToJson } = await import('../../eval/index.js');
      const summary = {
        report: resolve(report),
        run: resolve(runDir),
        data: resolve(dataDir),
        backend: backend.chosen,
        iterations: st.iteration,
        timings_s: timings,
        ...evalResultToJson(scored, prepared.classNames),
      };
      await writeFileAtomic(join(out, MARKER), JSON.stringify(summary, null, 2) + '\n');
      model.dispose();
      if (flags.json) {
        process.stdout.write((await readFile(join(out, MARKER), 'utf8')).trim() + '\n');
        return;
      }
      process.stdout.write(
        `mean IU ${m.meanIU.toFixed(4)}, pixel accuracy ${m.pixelAccuracy.toFixed(4)} on ${val.length} ${val.split} images ` +
          `(${st.iteration} iterations on ${backend.chosen}, ${timings['total']!.toFixed(0)} s in all)\n` +
          `report: ${resolve(report)}\n`,
      );
    });
}
