/**
 * The TensorFlow.js side of the public API (Node): backends, emitting a model, training,
 * evaluating and predicting. Each function loads TensorFlow.js when first called, so that
 * `import … from 'fcn'` stays as light as the compiler. A backend is chosen on first use (the
 * best that works, or FCN_BACKEND) unless `useBackend` named one.
 */
import type * as tf from '@tensorflow/tfjs';
import type { CompiledNet } from '../compiler/compile.js';
import type { Pair } from '../compiler/layers/types.js';
import type { RgbImage } from '../data/image.js';
import type { EvalResult } from '../eval/index.js';
import type { BackendReport, ModelInfo, OverlapTilePlan, Prediction, TilePlan } from '../runtime/index.js';
import type { LoopEvents, LoopResult, SettingOverrides } from '../train/index.js';

/** A model and its description (inputs, outputs, crops, losses): what `emit`, `loadModel` and `train` give. */
export interface Model {
  model: tf.LayersModel;
  info: ModelInfo;
}

let chosen: Promise<BackendReport> | undefined;

/** Chooses the TensorFlow.js backend: `node-gpu`, `node`, `native`, `wasm` or `cpu` (default: the best that works). */
export function useBackend(name?: string): Promise<BackendReport> {
  chosen = import('../runtime/backend.js').then((b) => b.selectBackend(name));
  return chosen;
}

/** The chosen backend, choosing the default on first use. */
function ready(): Promise<BackendReport> {
  return (chosen ??= useBackend());
}

/** Emits a compiled net as a trainable `tf.LayersModel`, initialised from `seed` (default 0) as the net says. */
export async function emit(compiled: CompiledNet, options: { seed?: number; input?: Pair } = {}): Promise<Model> {
  await ready();
  const { emitModel } = await import('../runtime/emit.js');
  return emitModel(compiled.ir, {
    offsets: compiled.analysis.crops.offsets,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.input ? { inputSize: options.input } : {}),
  });
}

/** Loads a model directory (from `saveModel`, `fcn compile` or `fcn train`). */
export async function loadModel(dir: string): Promise<Model> {
  await ready();
  return (await import('../runtime/model-io.js')).loadModel(dir);
}

/** Writes a model directory (model.json, weights.bin, fcn.json) atomically; an existing fcn model directory gets a new version. */
export async function saveModel(dir: string, { model, info }: Model): Promise<void> {
  await (await import('../runtime/model-io.js')).saveModel(dir, model, info);
}

export interface TrainOptions extends LoopEvents {
  /** A .fcn file or a model directory. */
  net: string;
  /** A dataset in the PASCAL VOC layout (`writeSynthDataset` writes one). */
  data: string;
  /** The run directory to create (default runs/NET-TIMESTAMP). */
  out?: string;
  /** Which net of the .fcn file (default its last). */
  netName?: string;
  /** Settings over the net's solver section: iters or epochs, lr, momentum, batch, crop, seed, workers, … */
  settings?: SettingOverrides;
  /** Aborting stops the run after the current step, with a checkpoint (`fcn train --resume RUN` continues it). */
  signal?: AbortSignal;
  /** Hears `(done, total)` while every image is checked before step 1. */
  onValidate?: (done: number, total: number) => void;
}

/** A finished (or stopped) run: the loop's result, the run directory and the trained model (dispose it when done). */
export interface TrainResult extends LoopResult, Model {
  run: string;
}

/**
 * Trains a net with Caffe's SGD as `fcn train` does: a run directory with checkpoints, a log,
 * the best and final models and a report. `onStep` and `onEval` hear the progress.
 */
export async function train(o: TrainOptions): Promise<TrainResult> {
  const backend = await ready();
  const { prepareNewRun, runTraining } = await import('../train/index.js');
  const prepared = await prepareNewRun({
    source: o.net,
    data: o.data,
    ...(o.out ? { out: o.out } : {}),
    flags: o.settings ?? {},
    ...(o.netName ? { net: o.netName } : {}),
    ...(o.onValidate ? { onValidate: o.onValidate } : {}),
  });
  const events: LoopEvents = {
    ...(o.onStep ? { onStep: o.onStep } : {}),
    ...(o.onEvalStart ? { onEvalStart: o.onEvalStart } : {}),
    ...(o.onEval ? { onEval: o.onEval } : {}),
  };
  const result = await runTraining({
    ...prepared,
    events,
    backend: backend.chosen,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  return { ...result, run: prepared.run, model: prepared.model, info: prepared.info };
}

/** Scores a model on a split of a VOC-layout dataset: pixel accuracy, mean accuracy, mean IU, fw IU, per class. */
export async function evaluate(
  { model, info }: Model,
  data: string,
  options: { split?: string; onImage?: (done: number) => void } = {},
): Promise<EvalResult> {
  await ready();
  const { evaluateModel, openSplit } = await import('../train/index.js');
  const dataset = await openSplit(data, options.split ?? 'val', info.classes);
  return evaluateModel(model, info, dataset, options.onImage);
}

export interface PredictOptions {
  /**
   * Run in overlapping tiles at most this many pixels a side: any size in bounded memory. A net
   * whose scores are a crop of its input (U-Net) runs in overlap tiles, the image mirrored past
   * its edges: scores and labels of the image's size.
   */
  tile?: number;
  /** Hears the tile plan: blended tiles, or overlap tiles (`kind: 'overlap'`). */
  onPlan?: (plan: TilePlan | OverlapTilePlan) => void;
  /** Hears `(done, total)` after each tile. */
  onTile?: (done: number, total: number) => void;
}

/** Segments an image (an `RgbImage`, or a JPEG/PNG file) with the net's own preprocessing: scores and a label map. */
export async function predict(
  { model, info }: Model,
  image: RgbImage | string,
  options: PredictOptions = {},
): Promise<Prediction> {
  await ready();
  const { imageToArray, segment } = await import('../runtime/index.js');
  const { readImage } = await import('../data/image.js');
  const rgb = typeof image === 'string' ? await readImage(image) : image;
  return segment(model, info, imageToArray(rgb, info), {
    ...(typeof image === 'string' ? { name: image } : {}),
    ...options,
  });
}
