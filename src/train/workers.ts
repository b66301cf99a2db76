/**
 * How many threads compute a training step's gradients (runtime/parallel): the default for a
 * new run, and the trainer for a run's settings. The count is a setting of the run, kept in
 * its checkpoint, because the order in which the shards' gradients are summed, and so the
 * last bits of every weight, depend on it.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { ParallelTrainer, Trainer, workersUnsupported, type ModelInfo, type SgdTrainer } from '../runtime/index.js';
import type { TrainSettings } from './settings.js';

/** Nets up to this many parameters get 2 workers by default: each worker holds a copy on its own (wasm) heap. */
export const PARALLEL_MAX_PARAMS = 20e6;

export interface WorkerContext {
  cores: number;
  /** The tfjs backend's name. */
  backend: string;
  batch: number;
  params: number;
}

/**
 * The default worker count: 2 with 2+ cores, for a batch of 2+ and a small net, on wasm or cpu
 * (single-threaded) and on native (each worker then runs oneDNN on its share of the cores:
 * a small net's kernels are too short to share the cores within one op); else 1.
 */
export function defaultWorkers(c: WorkerContext): number {
  const parallel = c.backend === 'wasm' || c.backend === 'cpu' || c.backend === 'native';
  return c.cores >= 2 && parallel && c.batch >= 2 && c.params < PARALLEL_MAX_PARAMS ? 2 : 1;
}

/** The default worker count for `model` on this machine and the current backend, by batch size. */
export function autoWorkers(model: tf.LayersModel): (batch: number) => number {
  const context = { cores: availableParallelism(), backend: tf.getBackend(), params: model.countParams() };
  return (batch) => defaultWorkers({ ...context, batch });
}

/** The run's worker count; runs checkpointed before the setting existed trained with one. */
export function workerCount(s: TrainSettings): number {
  return s.workers ?? 1;
}

/** Refuses, before a run starts, a worker count the current backend cannot train with. */
export function checkWorkers(s: TrainSettings): void {
  const unsupported = workersUnsupported(workerCount(s), tf.getBackend());
  if (unsupported) throw unsupported;
}

/** ' with N workers' for a progress line, or nothing for one. */
export function describeWorkers(s: TrainSettings): string {
  return workerCount(s) > 1 ? ` with ${workerCount(s)} workers` : '';
}

/** The trainer for a run: a Trainer, or a ParallelTrainer when the settings ask for more than one worker. */
export async function createTrainer(model: tf.LayersModel, info: ModelInfo, s: TrainSettings): Promise<SgdTrainer> {
  const sgd = {
    lr: s.lr,
    momentum: s.momentum,
    weightDecay: s.weightDecay,
    ...(s.clipGradients !== undefined ? { clipGradients: s.clipGradients } : {}),
  };
  const workers = workerCount(s);
  return workers > 1 ? ParallelTrainer.create(model, info, sgd, { workers }) : new Trainer(model, info, sgd);
}
