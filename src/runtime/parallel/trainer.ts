/**
 * Synchronous data-parallel SGD: Caffe's step of a Trainer, with the batch's gradient computed
 * by several threads. The batch is cut into contiguous shards; the main thread computes shard
 * 0 while each worker computes one other, every shard with the whole batch's loss normalisers
 * (loss.ts), so the batch's loss and gradient are exactly the sums of the shards'. Gradients are
 * summed in shard order, a fixed order, so a run is deterministic for a given worker count;
 * the update and the momentum history stay in the main thread's Trainer, so `state()`,
 * `restore()` and checkpoints are the Trainer's. It differs from a Trainer step on the whole
 * batch only in float rounding: the order in which the batch's terms are summed.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../diagnostics/index.js';
import type { ModelInfo, ModelLoss } from '../info.js';
import { modelArtifacts } from '../model-io.js';
import { lossNormaliser } from '../loss.js';
import { lossLabels, type Batch } from '../net-loss.js';
import { Trainer, type SgdSettings, type SgdTrainer, type TrainerState } from '../train-step.js';
import { setNativeThreads } from '../native/addon.js';
import { Packing } from './packing.js';
import { WorkerPool, workerEntry, type WorkerEntry } from './pool.js';
import type { InitRequest, Reply, ShardArray, StepRequest } from './protocol.js';
import { shardGradient, type ShardGradient } from './shard.js';

/** The backends whose kernels run in the calling thread, so that worker threads can each run a copy. */
const PARALLEL_BACKENDS = ['native', 'wasm', 'cpu'];

/** Why `workers` cannot train on tfjs backend `backend` (only native, wasm and cpu can), or undefined when they can. */
export function workersUnsupported(workers: number, backend: string): UserError | undefined {
  if (workers < 2 || PARALLEL_BACKENDS.includes(backend)) return undefined;
  return new UserError(
    `training with ${workers} workers needs the native, wasm or cpu backend, not ${backend} ` +
      '(it already uses every core): use --backend native, or --workers 1 for a new run',
  );
}

/**
 * The oneDNN threads each of `workers` gradient threads runs on the native backend: its share
 * of the cores, at least 1. Teams of all the cores in each worker would contend for them, and
 * a tiny net's hundreds of small parallel regions per step then wait on one another.
 */
export function nativeThreadsPerWorker(workers: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / workers));
}

export interface ParallelOptions {
  /** Threads computing gradients, the main thread included (at least 2). */
  workers: number;
  /** The worker entry; tests substitute one that fails. */
  entry?: WorkerEntry;
}

/** Images [start, end) of the batch for each of `shards` shards: contiguous, the first ones one larger when uneven. */
export function shardRanges(batch: number, shards: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < shards; i++) {
    const size = Math.floor(batch / shards) + (i < batch % shards ? 1 : 0);
    ranges.push([start, start + size]);
    start += size;
  }
  return ranges;
}

/** A tensor's values read once, to cut shards from. */
interface Whole {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

function readWhole(t: tf.Tensor): Whole {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new Error(`cannot shard a ${t.dtype} tensor`);
  return { values: t.dataSync() as Float32Array | Int32Array, shape: [...t.shape], dtype: t.dtype };
}

/** Images [start, end) of a whole tensor, as a new (transferable) array. */
function cut(w: Whole, [start, end]: [number, number]): ShardArray {
  const per = w.values.length / w.shape[0]!;
  return { values: w.values.slice(start * per, end * per), shape: [end - start, ...w.shape.slice(1)], dtype: w.dtype };
}

/** Images [start, end) of a batch tensor, as a tensor. */
function sliceTensor<T extends tf.Tensor>(t: T, [start, end]: [number, number]): T {
  return tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [end - start, ...t.shape.slice(1).map(() => -1)]);
}

function mapValues<A, B>(o: Record<string, A>, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

export class ParallelTrainer implements SgdTrainer {
  /** The main thread's own shard gradient, reused every step. */
  private readonly own: Float32Array;

  private constructor(
    private readonly base: Trainer,
    private readonly packing: Packing,
    /** The trainable weights the workers read, and each worker's gradients (shared memory). */
    private readonly shared: { weights: Float32Array; gradients: Float32Array[] },
    private readonly pool: WorkerPool,
    /** Gives the main thread back its native thread count (set to its share while this trainer lives). */
    private readonly restoreThreads?: () => void,
  ) {
    this.own = new Float32Array(packing.length);
  }

  /** Starts the workers (each rebuilds the model on the main thread's backend) and the Trainer that updates. */
  static async create(
    model: tf.LayersModel,
    info: ModelInfo,
    settings: SgdSettings,
    options: ParallelOptions,
  ): Promise<ParallelTrainer> {
    if (!Number.isInteger(options.workers) || options.workers < 2)
      throw new Error(`a ParallelTrainer needs at least 2 workers, got ${options.workers}`);
    const backend = tf.getBackend();
    const unsupported = workersUnsupported(options.workers, backend);
    if (unsupported) throw unsupported;
    const base = new Trainer(model, info, settings);
    const threads = backend === 'native' ? nativeThreadsPerWorker(options.workers) : undefined;
    const restoreThreads = threads === undefined ? undefined : setNativeThreads(threads);
    try {
      const artifacts = await modelArtifacts(model);
      const packing = new Packing(base.variables.map((v) => v.shape));
      const shared = {
        weights: packing.shared(),
        gradients: Array.from({ length: options.workers - 1 }, () => packing.shared()),
      };
      const init = (k: number): InitRequest => ({
        type: 'init',
        backend,
        artifacts,
        info,
        trainable: base.trainable,
        weights: shared.weights.buffer as SharedArrayBuffer,
        gradient: shared.gradients[k]!.buffer as SharedArrayBuffer,
        ...(threads === undefined ? {} : { threads }),
      });
      const pool = await WorkerPool.start(options.workers - 1, init, options.entry ?? workerEntry());
      return new ParallelTrainer(base, packing, shared, pool, restoreThreads);
    } catch (e) {
      restoreThreads?.();
      base.dispose();
      throw e;
    }
  }

  get iteration(): number {
    return this.base.iteration;
  }

  get trainable(): string[] {
    return this.base.trainable;
  }

  /** The normaliser of a loss over `crop(label)`: its labels are the window the scores' size cuts. */
  private croppedNormaliser(loss: ModelLoss, batch: Batch, size: number): number {
    const { model, info } = this.base;
    const shapes = info.inputs.map((i) => batch.inputs[i.name]!.shape as number[]);
    const out = model.computeOutputShape(shapes.length === 1 ? shapes[0]! : shapes);
    const outs = (Array.isArray(out[0]) ? out : [out]) as number[][];
    const scoreShape = outs[info.outputs.indexOf(loss.score)]!;
    const labels = tf.tidy(() => lossLabels(loss, batch.labels[loss.label]!, [size, scoreShape[1]!, scoreShape[2]!]));
    const n = lossNormaliser(labels.dataSync(), size, loss);
    labels.dispose();
    return n;
  }

  /** One SGD step on the whole batch; resolves to its loss before the update, or rejects with a worker's error. */
  async step(batch: Batch, lr = this.base.settings.lr): Promise<number> {
    const size = Object.values(batch.inputs)[0]?.shape[0] ?? 0;
    const ranges = shardRanges(size, this.pool.size + 1);
    if (ranges.some(([a, b]) => a === b))
      throw new Error(`a batch of ${size} cannot be shared by ${this.pool.size + 1} workers`);
    const labels = mapValues(batch.labels, readWhole);
    const normalisers: Record<string, number> = {};
    for (const l of this.base.info.losses) {
      const w = labels[l.label];
      if (!w) throw new Error(`no labels for ${l.label}`);
      normalisers[l.name] = l.labelOffset ? this.croppedNormaliser(l, batch, size) : lossNormaliser(w.values, size, l);
    }
    const replies = this.send(ranges.slice(1), mapValues(batch.inputs, readWhole), labels, normalisers);
    // Meanwhile the main thread computes shard 0.
    let mine: ShardGradient;
    try {
      mine = this.first(batch, ranges[0]!, normalisers);
    } catch (e) {
      await Promise.allSettled(replies); // the workers stay usable: one request in flight each
      throw e;
    }
    let results: Reply[];
    try {
      results = await Promise.all(replies);
    } catch (e) {
      // A worker that failed may have left the others mid-step: stop them all; this trainer is done.
      this.pool.terminate();
      throw e;
    }
    // The batch's gradient and loss: the shards' sums, in shard order.
    const gradient = mine.gradient;
    let loss = mine.loss;
    results.forEach((r, k) => {
      if (r.type !== 'result') throw new Error(`a worker replied ${r.type} to a step`);
      const theirs = this.shared.gradients[k]!;
      for (let i = 0; i < gradient.length; i++) gradient[i]! += theirs[i]!;
      loss += r.loss;
    });
    this.base.apply(this.packing.unpack(gradient), lr);
    return loss;
  }

  /** Writes the current weights for the workers and sends worker k images `ranges[k]` of the batch; its reply, later. */
  private send(
    ranges: Array<[number, number]>,
    inputs: Record<string, Whole>,
    labels: Record<string, Whole>,
    normalisers: Record<string, number>,
  ): Array<Promise<Reply>> {
    this.packing.pack(this.base.variables, this.shared.weights);
    const replies = ranges.map((range, k) => {
      const message: StepRequest = {
        type: 'step',
        inputs: mapValues(inputs, (w) => cut(w, range)),
        labels: mapValues(labels, (w) => cut(w, range)),
        normalisers,
      };
      const arrays = [message.inputs, message.labels].flatMap((o) => Object.values(o).map((a) => a.values));
      return this.pool.request(
        k,
        message,
        arrays.map((a) => a.buffer as ArrayBuffer),
      );
    });
    // A worker failing while the main thread computes is reported by step, not as an unhandled rejection.
    replies.forEach((r) => r.catch(() => {}));
    return replies;
  }

  /** The main thread's shard: images `range` of the batch. */
  private first(batch: Batch, range: [number, number], normalisers: Record<string, number>): ShardGradient {
    const shard = tf.tidy(() => ({
      inputs: mapValues(batch.inputs, (t) => sliceTensor(t, range)),
      labels: mapValues(batch.labels, (t) => sliceTensor(t, range)),
    }));
    try {
      const { model, info, variables } = this.base;
      return shardGradient(model, info, variables, this.packing, shard, normalisers, this.own);
    } finally {
      tf.dispose([...Object.values(shard.inputs), ...Object.values(shard.labels)]);
    }
  }

  state(): TrainerState {
    return this.base.state();
  }

  restore(state: TrainerState): void {
    this.base.restore(state);
  }

  /** Stops the workers and frees the optimizer state. */
  dispose(): void {
    this.pool.terminate();
    this.base.dispose();
    this.restoreThreads?.();
  }
}
