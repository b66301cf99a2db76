/**
 * A training run's settings: the net's `solver { }` section gives the defaults, flags
 * override them, and a few fallbacks fill what neither says. The resolved settings are saved
 * in every checkpoint, so `--resume` continues with exactly the same ones.
 */
import type { Pair } from '../compiler/layers/types.js';
import type { SolverSettings } from '../compiler/resolve/types.js';
import { UserError } from '../diagnostics/index.js';
import { checkSchedule, type LrPolicy } from './schedule.js';

/** Everything that decides what a run computes (so two runs with equal settings are equal). */
export interface TrainSettings {
  /** Base learning rate (fixed, as the reference solvers use it, unless `lrPolicy` says otherwise). */
  lr: number;
  /** Caffe's lr_policy (schedule.ts); absent in checkpoints written before schedules: fixed. */
  lrPolicy?: LrPolicy;
  /** Exponent of the poly schedule. */
  power?: number;
  /** Factor of the step schedule. */
  gamma?: number;
  /** Steps between two changes of the step schedule. */
  stepsize?: number;
  /** Caffe's clip_gradients: a step's gradients are scaled down to this L2 norm when above it; absent: no clipping. */
  clipGradients?: number;
  momentum: number;
  weightDecay: number;
  /** Images per step. */
  batch: number;
  /** Total number of steps. */
  iters: number;
  /** Evaluate on the val split (and checkpoint) every this many steps; 0: only at the end. */
  evalEvery: number;
  /** Seeds the data order and the augmentations (and the initial weights of a .fcn net). */
  seed: number;
  /** Mirror training images left-right at random. */
  flip: boolean;
  /** Random crops of this [h, w] (needed to batch images of different sizes). */
  crop?: Pair;
  trainSplit: string;
  /** The split evaluated during training; absent when the dataset has none. */
  valSplit?: string;
  /** Leave out examples whose image or label is bad instead of refusing to start. */
  skipBad?: boolean;
  /** Threads computing each step's gradients (workers.ts); absent in checkpoints written before: 1. */
  workers?: number;
}

/** Values given on the command line (undefined = not given). */
export interface SettingOverrides {
  lr?: number;
  lrPolicy?: LrPolicy;
  power?: number;
  gamma?: number;
  stepsize?: number;
  clipGradients?: number;
  momentum?: number;
  weightDecay?: number;
  batch?: number;
  iters?: number;
  epochs?: number;
  evalEvery?: number;
  seed?: number;
  flip?: boolean;
  crop?: Pair;
  trainSplit?: string;
  valSplit?: string;
  skipBad?: boolean;
  /** 'auto': the default for the machine and the net (workers.ts). */
  workers?: number | 'auto';
}

/** What applies when neither the flags nor the net's solver section say (Caffe's usual values; batch 1 as the paper trains). */
export const FALLBACK_SETTINGS = { momentum: 0.9, weightDecay: 5e-4, batch: 1, epochs: 1, seed: 0 } as const;

/** How many evaluations a run gets when --eval-every is not given. */
export const DEFAULT_EVALUATIONS = 10;

/**
 * Resolves a run's settings: flags, then the net's solver section, then the fallbacks.
 * `itersPerEpoch(batch)` converts epochs to steps; `autoWorkers(batch)` is the worker count
 * `workers: 'auto'` asks for (else 1). A missing learning rate is an error: it depends too
 * much on the net to guess.
 */
export function resolveSettings(
  solver: SolverSettings,
  flags: SettingOverrides,
  itersPerEpoch: (batch: number) => number,
  autoWorkers: (batch: number) => number = () => 1,
): TrainSettings {
  const lr = flags.lr ?? solver.lr;
  if (lr === undefined)
    throw new UserError('no learning rate: give --lr, or write one in the net (solver { lr: … })', 2);
  const batch = flags.batch ?? solver.batch ?? FALLBACK_SETTINGS.batch;
  const epochs = flags.epochs ?? (flags.iters === undefined ? solver.epochs : undefined);
  const iters =
    flags.iters ??
    (epochs !== undefined ? epochs * itersPerEpoch(batch) : undefined) ??
    solver.iters ??
    FALLBACK_SETTINGS.epochs * itersPerEpoch(batch);
  const lrPolicy = flags.lrPolicy ?? solver.lrPolicy ?? 'fixed';
  const power = flags.power ?? solver.power;
  const gamma = flags.gamma ?? solver.gamma;
  const stepsize = flags.stepsize ?? solver.stepsize;
  const clipGradients = flags.clipGradients ?? solver.clipGradients;
  const settings: TrainSettings = {
    lr,
    lrPolicy,
    ...(lrPolicy === 'poly' && power !== undefined ? { power } : {}),
    ...(lrPolicy === 'step' && gamma !== undefined ? { gamma } : {}),
    ...(lrPolicy === 'step' && stepsize !== undefined ? { stepsize } : {}),
    ...(clipGradients !== undefined ? { clipGradients } : {}),
    momentum: flags.momentum ?? solver.momentum ?? FALLBACK_SETTINGS.momentum,
    weightDecay: flags.weightDecay ?? solver.weightDecay ?? FALLBACK_SETTINGS.weightDecay,
    batch,
    iters,
    evalEvery: flags.evalEvery ?? Math.max(1, Math.ceil(iters / DEFAULT_EVALUATIONS)),
    seed: flags.seed ?? solver.seed ?? FALLBACK_SETTINGS.seed,
    flip: flags.flip ?? true,
    trainSplit: flags.trainSplit ?? 'train',
    ...(flags.crop ? { crop: flags.crop } : {}),
    ...(flags.valSplit !== undefined ? { valSplit: flags.valSplit } : {}),
    ...(flags.skipBad ? { skipBad: true } : {}),
    workers: flags.workers === 'auto' ? autoWorkers(batch) : (flags.workers ?? 1),
  };
  checkSettings(settings);
  checkSchedule(settings);
  return settings;
}

/** Rejects settings no run can use; misuse errors name the flag. */
export function checkSettings(s: TrainSettings): void {
  if (!(s.lr > 0)) throw new UserError(`--lr must be positive, got ${s.lr}`, 2);
  if (!(s.momentum >= 0 && s.momentum < 1)) throw new UserError(`--momentum must be in [0, 1), got ${s.momentum}`, 2);
  if (!(s.weightDecay >= 0)) throw new UserError(`--weight-decay must be ≥ 0, got ${s.weightDecay}`, 2);
  if (s.clipGradients !== undefined && !(s.clipGradients > 0))
    throw new UserError(`--clip-gradients must be positive, got ${s.clipGradients}`, 2);
  if (!Number.isInteger(s.batch) || s.batch < 1)
    throw new UserError(`--batch must be a positive integer, got ${s.batch}`, 2);
  if (!Number.isInteger(s.iters) || s.iters < 1)
    throw new UserError(`--iters must be a positive integer, got ${s.iters}`, 2);
  const workers = s.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1)
    throw new UserError(`--workers must be a positive integer, got ${workers}`, 2);
  if (workers > s.batch)
    throw new UserError(
      `--workers ${workers} needs a batch of at least ${workers} (each takes a share of it), got ${s.batch}`,
      2,
    );
}

/** The settings as the log and summary print them (snake_case, as the .fcn solver section spells them). */
export function settingsToJson(s: TrainSettings): Record<string, unknown> {
  return {
    lr: s.lr,
    lr_policy: s.lrPolicy ?? 'fixed',
    ...(s.power !== undefined ? { power: s.power } : {}),
    ...(s.gamma !== undefined ? { gamma: s.gamma } : {}),
    ...(s.stepsize !== undefined ? { stepsize: s.stepsize } : {}),
    ...(s.clipGradients !== undefined ? { clip_gradients: s.clipGradients } : {}),
    momentum: s.momentum,
    weight_decay: s.weightDecay,
    batch: s.batch,
    iters: s.iters,
    eval_every: s.evalEvery,
    seed: s.seed,
    flip: s.flip,
    crop: s.crop ?? null,
    train_split: s.trainSplit,
    val_split: s.valSplit ?? null,
    skip_bad: s.skipBad ?? false,
    workers: s.workers ?? 1,
  };
}
