/**
 * `fcn train NET.fcn|MODEL_DIR --data DIR [--out RUN] [--iters N | --epochs E] [--lr X]
 *  [--momentum M] [--weight-decay W] [--batch B] [--workers N] [--backend B] [--eval-every N]
 *  [--seed S] [--skip-bad] [--json]` and `fcn train --resume RUN`.
 * Caffe's SGD (src/train, src/runtime/train-step.ts); defaults from the net's solver section,
 * then the flags. Ctrl-C (or SIGTERM) stops after the current step with a checkpoint;
 * `--resume RUN` continues exactly there. Progress goes to stderr; the summary (or --json) to stdout.
 */
import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';
import { action } from '../action.js';
import { parseInteger, parseNumber, parseSize } from '../errors.js';
import { stopExitCode, withStopSignals } from '../stop-signals.js';
import type { LoopResult, LrPolicy, PreparedRun, SettingOverrides } from '../../train/index.js';
import { LR_POLICIES } from '../../train/schedule.js';

interface TrainFlags {
  data?: string;
  out?: string;
  iters?: string;
  epochs?: string;
  lr?: string;
  lrPolicy?: string;
  power?: string;
  gamma?: string;
  stepsize?: string;
  clipGradients?: string;
  momentum?: string;
  weightDecay?: string;
  batch?: string;
  workers?: string;
  backend?: string;
  resume?: string;
  evalEvery?: string;
  seed?: string;
  crop?: string;
  flip: boolean;
  trainSplit?: string;
  valSplit?: string;
  net?: string;
  skipBad?: boolean;
  json?: boolean;
}

/** `--lr-policy`'s value, checked against the schedules fcn has. */
function parseLrPolicy(text: string): LrPolicy {
  if ((LR_POLICIES as readonly string[]).includes(text)) return text as LrPolicy;
  throw new UserError(`--lr-policy expects one of ${LR_POLICIES.join(', ')}, got '${text}'`, 2);
}

/** The setting flags that were given, parsed. */
function overrides(f: TrainFlags): SettingOverrides {
  if (f.iters !== undefined && f.epochs !== undefined) throw new UserError('give --iters or --epochs, not both', 2);
  const o: SettingOverrides = {};
  if (f.lr !== undefined) o.lr = parseNumber(f.lr, '--lr');
  if (f.lrPolicy !== undefined) o.lrPolicy = parseLrPolicy(f.lrPolicy);
  if (f.power !== undefined) o.power = parseNumber(f.power, '--power');
  if (f.gamma !== undefined) o.gamma = parseNumber(f.gamma, '--gamma');
  if (f.stepsize !== undefined) o.stepsize = parseInteger(f.stepsize, '--stepsize', 1);
  if (f.clipGradients !== undefined) o.clipGradients = parseNumber(f.clipGradients, '--clip-gradients');
  if (f.momentum !== undefined) o.momentum = parseNumber(f.momentum, '--momentum');
  if (f.weightDecay !== undefined) o.weightDecay = parseNumber(f.weightDecay, '--weight-decay');
  if (f.batch !== undefined) o.batch = parseInteger(f.batch, '--batch', 1);
  o.workers = f.workers === undefined ? 'auto' : parseInteger(f.workers, '--workers', 1);
  if (f.iters !== undefined) o.iters = parseInteger(f.iters, '--iters', 1);
  if (f.epochs !== undefined) o.epochs = parseInteger(f.epochs, '--epochs', 1);
  if (f.evalEvery !== undefined) o.evalEvery = parseInteger(f.evalEvery, '--eval-every');
  if (f.seed !== undefined) o.seed = parseInteger(f.seed, '--seed');
  if (f.crop !== undefined) o.crop = parseSize(f.crop, '--crop');
  if (!f.flip) o.flip = false;
  if (f.trainSplit !== undefined) o.trainSplit = f.trainSplit;
  if (f.valSplit !== undefined) o.valSplit = f.valSplit;
  if (f.skipBad) o.skipBad = true;
  return o;
}

/** Flags that would change what a resumed run computes, so --resume refuses them. */
const FIXED_ON_RESUME: Array<[keyof TrainFlags, string]> = [
  ['lr', '--lr'],
  ['lrPolicy', '--lr-policy'],
  ['power', '--power'],
  ['gamma', '--gamma'],
  ['stepsize', '--stepsize'],
  ['clipGradients', '--clip-gradients'],
  ['momentum', '--momentum'],
  ['weightDecay', '--weight-decay'],
  ['batch', '--batch'],
  ['workers', '--workers'],
  ['evalEvery', '--eval-every'],
  ['seed', '--seed'],
  ['crop', '--crop'],
  ['trainSplit', '--train-split'],
  ['valSplit', '--val-split'],
  ['out', '--out'],
  ['net', '--net'],
];

async function prepare(
  source: string | undefined,
  f: TrainFlags,
  onValidate: (done: number, total: number) => void,
): Promise<PreparedRun> {
  const train = await import('../../train/index.js');
  if (f.resume !== undefined) {
    if (source !== undefined)
      throw new UserError(`--resume continues ${f.resume} with its own net; do not name a net (${source})`, 2);
    const changed = FIXED_ON_RESUME.filter(([k]) => f[k] !== undefined).map(([, flag]) => flag);
    if (!f.flip) changed.push('--no-flip');
    if (changed.length)
      throw new UserError(
        `--resume continues the run exactly as it was set up; ${changed.join(', ')} cannot change (only --iters/--epochs, --data, --backend and --skip-bad may)`,
        2,
      );
    const o = overrides(f);
    return train.prepareResume(f.resume, {
      ...(o.iters !== undefined ? { iters: o.iters } : {}),
      ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
      ...(f.data ? { data: f.data } : {}),
      ...(f.skipBad ? { skipBad: true } : {}),
      onValidate,
    });
  }
  if (source === undefined)
    throw new UserError('fcn train needs a net (NET.fcn or a model directory), or --resume RUN', 2);
  if (f.data === undefined)
    throw new UserError(
      'fcn train needs --data DIR (a dataset in the PASCAL VOC layout; `fcn synth --out DIR` writes one)',
      2,
    );
  return train.prepareNewRun({
    source,
    data: f.data,
    ...(f.out ? { out: f.out } : {}),
    flags: overrides(f),
    ...(f.net ? { net: f.net } : {}),
    onValidate,
  });
}

/** Runs `prepared` to its end or to Ctrl-C or SIGTERM (stop-signals.ts), with a progress display. */
async function trainInterruptibly(
  prepared: PreparedRun,
  backend: string,
): Promise<LoopResult & { signal?: NodeJS.Signals }> {
  const { runTraining, startTrainProgress } = await import('../../train/index.js');
  const progress = await startTrainProgress(prepared.state.settings.iters, prepared.state.iteration);
  try {
    const { value, stoppedBy } = await withStopSignals(
      'fcn train',
      (signal) => runTraining({ ...prepared, signal, events: progress, backend }),
      () => progress.stop(),
    );
    return { ...value, ...(stoppedBy ? { signal: stoppedBy } : {}) };
  } finally {
    progress.stop();
  }
}

/** Registers `fcn train`. */
export function register(program: Command): void {
  program
    .command('train')
    .description("train a net with Caffe's SGD on a dataset in the PASCAL VOC layout")
    .argument('[net]', 'a .fcn file, or a model directory from fcn compile')
    .option('--data <dir>', 'dataset in the VOC layout (train split to learn, val split to score)')
    .option('--out <run>', 'run directory to create (default runs/NET-TIMESTAMP)')
    .option('--iters <n>', "training steps (default: the net's solver section)")
    .option('--epochs <e>', 'passes over the train split, instead of --iters')
    .option('--lr <x>', 'base learning rate')
    .option('--lr-policy <p>', 'learning-rate schedule: fixed, poly (with --power) or step (with --gamma, --stepsize)')
    .option('--power <p>', 'exponent of the poly schedule: lr·(1 − iter/iters)^power')
    .option('--gamma <g>', 'factor of the step schedule: lr·gamma^⌊iter/stepsize⌋')
    .option('--stepsize <n>', 'steps between two changes of the step schedule')
    .option(
      '--clip-gradients <c>',
      "Caffe's clip_gradients: scale a step's gradients down to L2 norm c when above it (all weights together)",
    )
    .option('--momentum <m>', 'SGD momentum')
    .option('--weight-decay <w>', 'weight decay (L2)')
    .option('--batch <n>', 'images per step (more than 1 needs images of one size, or --crop)')
    .option(
      '--workers <n>',
      'threads computing each step (default: 2 on a 2+ core machine for a small net on wasm or cpu, else 1)',
    )
    .option('--crop <HxW>', 'train on random crops of this size')
    .option('--no-flip', 'do not mirror training images at random')
    .option('--eval-every <n>', 'score the val split and checkpoint every n steps (0: only at the end)')
    .option('--seed <s>', 'seed of the initial weights, the data order and the augmentations')
    .option('--train-split <name>', 'split to train on (default train)')
    .option('--val-split <name>', 'split to score during training (default val, when the dataset has it)')
    .option('--net <name>', 'which net of the .fcn file (default its last)')
    .option('--backend <name>', 'node-gpu, node, native, wasm or cpu (default: the best that works; env FCN_BACKEND)')
    .option('--skip-bad', 'leave out images whose image or label file is bad (all are checked before step 1)')
    .option('--resume <run>', 'continue an interrupted run exactly where it stopped')
    .option('--json', 'print the run summary as JSON')
    .action(
      action(async (source: string | undefined, flags: TrainFlags) => {
        const { selectBackend } = await import('../../runtime/index.js');
        const { backendToResume, describeSchedule, describeWorkers, formatDuration, runPaths, RunFinished } =
          await import('../../train/index.js');
        const resumeOn = flags.resume === undefined ? undefined : await backendToResume(flags.resume);
        const backend = await selectBackend(flags.backend ?? resumeOn);
        const { startReportedProgress } = await import('../progress.js');
        let prepared: PreparedRun;
        const bar = await startReportedProgress('images checked');
        try {
          prepared = await prepare(source, flags, bar.report).finally(bar.stop);
        } catch (e) {
          if (!(e instanceof RunFinished)) throw e;
          process.stderr.write(`fcn train: ${e.message}\n`);
          return;
        }
        if (prepared.warning) process.stderr.write(`fcn train: warning: ${prepared.warning}\n`);
        const { run } = prepared;
        const s = prepared.state.settings;
        process.stderr.write(
          `${flags.resume ? `resuming ${run} at iteration ${prepared.state.iteration}` : `training ${prepared.info.net} into ${run}`}: ` +
            `${s.iters} iterations, batch ${s.batch}, ${describeSchedule(s)}, momentum ${s.momentum}, weight decay ${s.weightDecay} on ${backend.chosen}${describeWorkers(s)}\n`,
        );
        const result = await trainInterruptibly(prepared, backend.chosen);
        const paths = runPaths(run);
        if (result.interrupted) {
          process.stderr.write(
            `fcn train: stopped at iteration ${result.state.iteration} of ${s.iters}; checkpoint written to ${paths.checkpoint}\n` +
              `resume with: fcn train --resume ${run}\n`,
          );
          return stopExitCode(result.signal);
        }
        if (flags.json) {
          const { readFile } = await import('node:fs/promises');
          process.stdout.write((await readFile(paths.summary, 'utf8')).trim() + '\n');
          return;
        }
        const st = result.state;
        const m = result.lastEval?.metrics;
        const lines = [
          `trained ${prepared.info.net} for ${st.iteration} iterations in ${formatDuration(st.elapsed)} (${((st.iteration * s.batch) / st.elapsed).toFixed(1)} images/s, ${backend.chosen})`,
          ...(m && prepared.val
            ? [`${prepared.val.split}: mean IU ${m.meanIU.toFixed(4)}, pixel accuracy ${m.pixelAccuracy.toFixed(4)}`]
            : []),
          ...(st.best
            ? [
                `best ${s.valSplit} mean IU ${st.best.meanIU.toFixed(4)} at iteration ${st.best.iteration} (${paths.best})`,
              ]
            : []),
          `model: ${paths.model}   log: ${paths.log}   summary: ${paths.summary}`,
          ...(prepared.val
            ? [`score it: fcn eval ${run} --data ${prepared.state.data} --split ${prepared.val.split}`]
            : []),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );
}
