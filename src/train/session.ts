/**
 * Setting a run up, before the loop: a new run (net from a .fcn file or a model directory,
 * datasets opened and checked against the net, settings resolved, RUN directory and log
 * created) or a resumed one (everything from the checkpoint). `fcn train` and `fcn demo`
 * both start runs through here.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Pair } from '../compiler/layers/types.js';
import {
  badFilesError,
  listSplits,
  readSynthManifest,
  skipBadFiles,
  validateSplits,
  VOC_CLASSES,
  VocDataset,
  type ValidateProgress,
} from '../data/index.js';
import { UserError } from '../diagnostics/index.js';
import { analyzeNet, emitModel, loadModel, NetSizes, type ModelInfo } from '../runtime/index.js';
import { removeStaleTemps } from '../util/index.js';
import { loadCheckpoint, readCheckpointState } from './checkpoint.js';
import { TrainLog } from './log.js';
import type { LoopOptions } from './loop.js';
import { claimNewRunDir, defaultRunDir, runPaths } from './run-dir.js';
import { checkNotLocked, lockRun, type RunLock } from './run-lock.js';
import { resolveSettings, settingsToJson, type SettingOverrides } from './settings.js';
import { autoWorkers, checkWorkers } from './workers.js';

/** A run ready for runTraining (add a signal and events). */
export type PreparedRun = Omit<LoopOptions, 'signal' | 'events' | 'backend'> & CheckedData;

/** A run's splits after checking; with --skip-bad, the bad files left out and a warning that names them. */
interface CheckedData {
  train: VocDataset;
  val?: VocDataset;
  skipped?: string[];
  warning?: string;
}

export interface NewRunOptions {
  /** A .fcn file or a model directory (from fcn compile). */
  source: string;
  /** Dataset root, VOC layout. */
  data: string;
  /** RUN directory (default runs/NET-TIMESTAMP). */
  out?: string;
  flags: SettingOverrides;
  /** Which net of the .fcn file (default its last). */
  net?: string;
  /** Told how many examples have been checked, while the data is checked before step 1. */
  onValidate?: ValidateProgress;
}

/** A class-name list for reports: the synth manifest's, or VOC's for 21 classes. */
export async function classNamesFor(data: string, classes: number): Promise<string[] | undefined> {
  const manifest = await readSynthManifest(data);
  if (manifest && manifest.classes === classes) return manifest.names;
  return classes === VOC_CLASSES.length ? [...VOC_CLASSES] : undefined;
}

/** Builds the model of a new run: compiled from a .fcn file (initialised with `seed`) or loaded from a model directory. */
async function buildModel(
  source: string,
  flags: SettingOverrides,
  net: string | undefined,
): Promise<{ model: tf.LayersModel; info: ModelInfo }> {
  if (!existsSync(source)) throw new UserError(`${source}: no such .fcn file or model directory`);
  if (statSync(source).isDirectory()) return loadModel(source);
  const { ir, analysis } = analyzeNet(source, net ? { net } : {});
  const seed = flags.seed ?? ir.solver.seed ?? 0;
  return emitModel(ir, { offsets: analysis.crops.offsets, seed });
}

/** Checks with the analysing compiler that the net takes the training images' size (or the crop); its diagnostics explain why not. */
async function checkInputSize(info: ModelInfo, train: VocDataset, crop: Pair | undefined): Promise<void> {
  const sizes = NetSizes.fromModel(info);
  if (!sizes) return;
  let size = crop;
  if (!size) {
    const { image } = await train.loadRaw(train.ids[0]!);
    size = [image.height, image.width];
  }
  sizes.check(size, crop ? 'crops' : train.imagePath(train.ids[0]!), { verb: 'train on' });
}

/** Decoded images are kept in memory when a split's take at most this (`fcn synth` data: ~5 MB; VOC train: ~1 GB, not kept). */
const CACHE_BUDGET = 256 * 2 ** 20;

/** Opens a split, caching its decoded images when they fit the budget (judged by the first image that reads). */
export async function openSplit(data: string, split: string, classes: number): Promise<VocDataset> {
  const probe = await VocDataset.open(data, { split, classes });
  // A bad file is not reported here: validateSplits reports it with all the others.
  for (const id of probe.ids) {
    const loaded = await probe.check(id);
    if ('problems' in loaded) continue;
    const bytes = probe.length * loaded.image.width * loaded.image.height * 4;
    return bytes <= CACHE_BUDGET ? VocDataset.open(data, { split, classes, cache: true }) : probe;
  }
  return probe;
}

/** A run's splits after checking every example: bad files are an error listing them all, or with `skipBad` are left out. */
async function checkData(
  train: VocDataset,
  val: VocDataset | undefined,
  skipBad: boolean,
  onProgress?: ValidateProgress,
): Promise<CheckedData> {
  const splits = val && val.split !== train.split ? [train, val] : [train];
  const bad = await validateSplits(splits, onProgress);
  if (!bad.length) return { train, ...(val ? { val } : {}) };
  if (!skipBad) throw badFilesError(bad, splits);
  const { splits: kept, warning } = skipBadFiles(bad, splits);
  const keptVal = val && kept[kept.length - 1];
  return { train: kept[0]!, ...(keptVal ? { val: keptVal } : {}), skipped: bad.map((b) => b.file), warning };
}

/** Opens the val split: the one asked for (which must exist), or 'val' when the dataset has it. */
async function openVal(data: string, split: string | undefined, classes: number): Promise<VocDataset | undefined> {
  if (split === undefined) {
    if (!(await listSplits(data)).includes('val')) return undefined;
    split = 'val';
  }
  return openSplit(data, split, classes);
}

/** Prepares a new run; the RUN directory must not hold another run. */
export async function prepareNewRun(o: NewRunOptions): Promise<PreparedRun> {
  const { model, info } = await buildModel(o.source, o.flags, o.net);
  if (!info.losses.length) throw new UserError(`net ${info.net} has no softmax_loss layer: nothing to train`);
  const opened = await openSplit(o.data, o.flags.trainSplit ?? 'train', info.classes);
  const openedVal = await openVal(o.data, o.flags.valSplit, info.classes);
  const checked = await checkData(opened, openedVal, o.flags.skipBad ?? false, o.onValidate);
  const { train } = checked;
  const settings = resolveSettings(
    info.solver,
    { ...o.flags, ...(checked.val ? { valSplit: checked.val.split } : {}) },
    (b) => train.iterationsPerEpoch(b),
    autoWorkers(model),
  );
  await checkInputSize(info, train, settings.crop);
  checkWorkers(settings);
  const run = o.out ?? defaultRunDir(info.net);
  return withLock(await claimNewRunDir(run), async (lock) => {
    const log = await TrainLog.create(runPaths(run).log);
    const state = { iteration: 0, settings, data: resolve(o.data), source: resolve(o.source), elapsed: 0 };
    log.add({
      type: 'start',
      iter: 0,
      time: 0,
      net: info.net,
      source: state.source,
      data: state.data,
      settings: settingsToJson(settings),
      ...(checked.skipped ? { skipped: checked.skipped } : {}),
    });
    const classNames = await classNamesFor(o.data, info.classes);
    return {
      run,
      model,
      info,
      ...checked,
      state,
      log,
      ...(classNames ? { classNames } : {}),
      lock,
    };
  });
}

/** Runs the rest of a run's preparation under its lock, releasing it if that fails. */
async function withLock<T>(lock: RunLock, f: (lock: RunLock) => Promise<T>): Promise<T> {
  try {
    return await f(lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Thrown by prepareResume for a run that has already done all its iterations: there is nothing to do. */
export class RunFinished extends Error {
  constructor(
    readonly run: string,
    readonly iteration: number,
  ) {
    super(`${run} already finished at iteration ${iteration}; to train longer, pass --iters M with M > ${iteration}`);
    this.name = 'RunFinished';
  }
}

/** What may change when resuming: the length of the run, and where the dataset now lives. */
export interface ResumeOptions {
  iters?: number;
  epochs?: number;
  data?: string;
  /** Leave out examples whose files are bad (a run started with it keeps doing so). */
  skipBad?: boolean;
  /** Told how many examples have been checked, while the data is checked again. */
  onValidate?: ValidateProgress;
}

/**
 * Prepares to continue a run from its checkpoint, exactly where it stopped. A finished run
 * (summary written, no more iterations asked for) is left untouched: RunFinished.
 */
export async function prepareResume(run: string, o: ResumeOptions = {}): Promise<PreparedRun> {
  // A run in use is named as such, even before it has a checkpoint.
  checkNotLocked(run);
  const saved = await readCheckpointState(run);
  const finished = (iters: number) => iters === saved.iteration && existsSync(runPaths(run).summary);
  if (o.epochs === undefined && finished(o.iters ?? saved.settings.iters)) throw new RunFinished(run, saved.iteration);
  return withLock(lockRun(run), async (lock) => {
    await removeStaleTemps(run); // of files a killed session was writing (summary, log)
    const ckpt = await loadCheckpoint(run);
    const { state, model, info, optimizer } = ckpt;
    const data = o.data ?? state.data;
    const settings = { ...state.settings, ...(o.skipBad ? { skipBad: true } : {}) };
    // Checked again, as the data may have changed since (or moved: --data); cheap for cached splits, whose decoded images training reuses.
    const checked = await checkData(
      await openSplit(data, settings.trainSplit, info.classes),
      settings.valSplit ? await openSplit(data, settings.valSplit, info.classes) : undefined,
      settings.skipBad ?? false,
      o.onValidate,
    );
    const { train } = checked;
    if (o.iters !== undefined || o.epochs !== undefined)
      settings.iters = o.iters ?? o.epochs! * train.iterationsPerEpoch(settings.batch);
    if (finished(settings.iters)) {
      model.dispose();
      tf.dispose(Object.values(optimizer.history));
      throw new RunFinished(run, state.iteration);
    }
    if (settings.iters < state.iteration) {
      throw new UserError(
        `${run} stopped at iteration ${state.iteration}; --iters ${settings.iters} would end before it`,
        2,
      );
    }
    const log = await TrainLog.resume(runPaths(run).log, state.iteration);
    log.add({
      type: 'resume',
      iter: state.iteration,
      time: state.elapsed,
      ...(settings.iters !== state.settings.iters ? { iters: settings.iters } : {}),
      ...(checked.skipped ? { skipped: checked.skipped } : {}),
    });
    const classNames = await classNamesFor(data, info.classes);
    return {
      run,
      model,
      info,
      ...checked,
      state: { ...state, settings, data: resolve(data) },
      optimizer,
      log,
      ...(classNames ? { classNames } : {}),
      lock,
    };
  });
}
