/**
 * Setting a run up, before the loop: a new run (net from a .fcn file or a model directory,
 * datasets opened and checked against the net, settings resolved, RUN directory and log
 * created) or a resumed one (everything from the checkpoint). `fcn train` and `fcn demo`
 * both start runs through here.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { Pair } from '../compiler/layers/types.js';
import { listSplits, readSynthManifest, VOC_CLASSES, VocDataset } from '../data/index.js';
import { UserError } from '../diagnostics/index.js';
import { analyzeNet, emitModel, loadModel, type ModelInfo } from '../runtime/index.js';
import { loadCheckpoint } from './checkpoint.js';
import { TrainLog } from './log.js';
import type { LoopOptions } from './loop.js';
import { checkNewRunDir, defaultRunDir, runPaths } from './run-dir.js';
import { resolveSettings, settingsToJson, type SettingOverrides } from './settings.js';
import { autoWorkers, checkWorkers } from './workers.js';

/** A run ready for runTraining (add a signal and events). */
export type PreparedRun = Omit<LoopOptions, 'signal' | 'events' | 'backend'>;

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
): Promise<{ model: tf.LayersModel; info: ModelInfo; file?: string }> {
  if (!existsSync(source)) throw new UserError(`${source}: no such .fcn file or model directory`);
  if (statSync(source).isDirectory()) return loadModel(source);
  const { ir, analysis } = analyzeNet(source, net ? { net } : {});
  const seed = flags.seed ?? ir.solver.seed ?? 0;
  return { ...emitModel(ir, { offsets: analysis.crops.offsets, seed }), file: source };
}

/** Checks with the analysing compiler that the net takes the training images' size; its diagnostics explain why not. */
async function checkInputSize(
  file: string | undefined,
  info: ModelInfo,
  train: VocDataset,
  crop: Pair | undefined,
  net?: string,
): Promise<void> {
  if (!file) return;
  let size = crop;
  if (!size) {
    const { image } = await train.loadRaw(train.ids[0]!);
    size = [image.height, image.width];
  }
  try {
    analyzeNet(file, { input: size, ...(net ? { net } : {}) });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    throw new UserError(
      `net ${info.net} cannot train on ${size[0]}x${size[1]} images (${train.imagePath(train.ids[0]!)})`,
      1,
      e.diagnostics,
    );
  }
}

/** Decoded images are kept in memory when a split's take at most this (`fcn synth` data: ~5 MB; VOC train: ~1 GB, not kept). */
const CACHE_BUDGET = 256 * 2 ** 20;

/** Opens a split, caching its decoded images when they fit the budget (judged by the first image). */
export async function openSplit(data: string, split: string, classes: number): Promise<VocDataset> {
  const probe = await VocDataset.open(data, { split, classes });
  const { image } = await probe.loadRaw(probe.ids[0]!);
  const bytes = probe.length * image.width * image.height * 4;
  return bytes <= CACHE_BUDGET ? VocDataset.open(data, { split, classes, cache: true }) : probe;
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
  const { model, info, file } = await buildModel(o.source, o.flags, o.net);
  if (!info.losses.length) throw new UserError(`net ${info.net} has no softmax_loss layer: nothing to train`);
  const train = await openSplit(o.data, o.flags.trainSplit ?? 'train', info.classes);
  const val = await openVal(o.data, o.flags.valSplit, info.classes);
  const settings = resolveSettings(
    info.solver,
    { ...o.flags, ...(val ? { valSplit: val.split } : {}) },
    (b) => train.iterationsPerEpoch(b),
    autoWorkers(model),
  );
  await checkInputSize(file, info, train, settings.crop, o.net);
  checkWorkers(settings);
  const run = o.out ?? defaultRunDir(info.net);
  await checkNewRunDir(run);
  await mkdir(run, { recursive: true });
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
  });
  const classNames = await classNamesFor(o.data, info.classes);
  return { run, model, info, train, ...(val ? { val } : {}), state, log, ...(classNames ? { classNames } : {}) };
}

/** What may change when resuming: the length of the run, and where the dataset now lives. */
export interface ResumeOptions {
  iters?: number;
  epochs?: number;
  data?: string;
}

/** Prepares to continue a run from its checkpoint, exactly where it stopped. */
export async function prepareResume(run: string, o: ResumeOptions = {}): Promise<PreparedRun> {
  const ckpt = await loadCheckpoint(run);
  const { state, model, info, optimizer } = ckpt;
  const data = o.data ?? state.data;
  const settings = { ...state.settings };
  const train = await openSplit(data, settings.trainSplit, info.classes);
  if (o.iters !== undefined || o.epochs !== undefined)
    settings.iters = o.iters ?? o.epochs! * train.iterationsPerEpoch(settings.batch);
  if (settings.iters < state.iteration) {
    throw new UserError(
      `${run} stopped at iteration ${state.iteration}; --iters ${settings.iters} would end before it`,
      2,
    );
  }
  const val = settings.valSplit ? await openSplit(data, settings.valSplit, info.classes) : undefined;
  const log = await TrainLog.resume(runPaths(run).log, state.iteration);
  log.add({
    type: 'resume',
    iter: state.iteration,
    time: state.elapsed,
    ...(settings.iters !== state.settings.iters ? { iters: settings.iters } : {}),
  });
  const classNames = await classNamesFor(data, info.classes);
  return {
    run,
    model,
    info,
    train,
    ...(val ? { val } : {}),
    state: { ...state, settings, data: resolve(data) },
    optimizer,
    log,
    ...(classNames ? { classNames } : {}),
  };
}
