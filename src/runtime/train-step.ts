/**
 * One training step as Caffe's SGDSolver takes it, for a compiled model:
 *   forward (training mode), Caffe's softmax loss for each softmax_loss of the net, backward,
 *   then for each weight with lr multiplier > 0 (sgd_solver.cpp: Regularize,
 *   ComputeUpdateValue, Blob::Update):
 *     diff    = grad + weight_decay·decay_mult·w
 *     history = momentum·history + lr·lr_mult·diff
 *     w       = w − history
 * A weight whose lr multiplier is 0 is frozen: no gradient is computed for it and it is never
 * written, so it stays bit-identical. Each weight is updated as soon as the backward pass has
 * its gradient (backprop.ts): the same result, with far less memory held. The momentum
 * history is the optimizer state a checkpoint saves (`state()` / `restore()`). With Caffe's
 * clip_gradients, the raw gradients of all weights are first scaled by clip / ‖g‖₂ when their
 * joint L2 norm exceeds it (SGDSolver::ClipGradients); the updates then wait for the whole
 * backward pass, which needs the norm.
 */
import * as tf from '@tensorflow/tfjs';
import { streamingGradients } from './backprop.js';
import type { ModelInfo, ModelParam } from './info.js';
import { netLoss, type Batch } from './net-loss.js';
import { sgdUpdate } from './sgd-update.js';
import { keepBuffers } from './wasm-allocator.js';
import { heapBackend } from './wasm-heap.js';

/** Weights from this size (bytes) up keep their gradient's buffer between steps on wasm (wasm-allocator.ts). */
const KEEP_GRADIENT_FROM = 32 * 2 ** 20;

export interface SgdSettings {
  lr: number;
  momentum: number;
  weightDecay: number;
  /** Caffe's clip_gradients: the largest L2 norm of a step's gradients, all weights together; absent: none. */
  clipGradients?: number;
}

/** What a checkpoint needs to resume exactly: the iteration and the momentum history by weight name. */
export interface TrainerState {
  iteration: number;
  history: tf.NamedTensorMap;
}

interface Slot {
  param: ModelParam;
  variable: tf.Variable;
  history: tf.Variable;
}

export type { Batch } from './net-loss.js';

/** What the training loop needs of a trainer: Trainer, or ParallelTrainer whose step is asynchronous. */
export interface SgdTrainer {
  readonly iteration: number;
  readonly trainable: string[];
  /** One SGD step; the loss before the update. */
  step(batch: Batch, lr?: number): number | Promise<number>;
  state(): TrainerState;
  restore(state: TrainerState): void;
  dispose(): void;
}

export class Trainer implements SgdTrainer {
  private readonly slots: Slot[] = [];
  private readonly releaseBuffers: () => void;
  iteration = 0;

  constructor(
    readonly model: tf.LayersModel,
    readonly info: ModelInfo,
    readonly settings: SgdSettings,
  ) {
    if (!info.losses.length) throw new Error(`net ${info.net} has no softmax_loss to train`);
    const byName = new Map(info.params.map((p) => [p.name, p]));
    for (const layer of model.layers) {
      for (const lv of layer.weights) {
        const param = byName.get(lv.originalName);
        if (!param || param.lr === 0) continue;
        const variable = lv.read() as tf.Variable;
        const zeros = tf.zerosLike(variable);
        this.slots.push({ param, variable, history: tf.variable(zeros, false) });
        zeros.dispose(); // the variable holds its own reference
      }
    }
    // fc6's 400 MB gradient gets the same block every step, instead of a new hole in a fragmented heap.
    const big = this.slots.map((s) => s.variable.size * 4).filter((bytes) => bytes >= KEEP_GRADIENT_FROM);
    this.releaseBuffers = keepBuffers(heapBackend(), big);
  }

  /** Names of the weights this trainer updates (lr multiplier > 0). */
  get trainable(): string[] {
    return this.slots.map((s) => s.param.name);
  }

  /** The weights this trainer updates, in `trainable` order. */
  get variables(): tf.Variable[] {
    return this.slots.map((s) => s.variable);
  }

  /** The total loss of a batch in training mode, without updating anything. */
  loss(batch: Batch, training = true): tf.Scalar {
    return netLoss(this.model, this.info, batch, { training });
  }

  /**
   * One SGD step; returns the loss before the update. `lr` overrides the base rate (for a
   * schedule). Should the backward pass fail (out of memory), the weights it had reached keep
   * their update.
   */
  step(batch: Batch, lr = this.settings.lr): number {
    const vars = this.slots.map((s) => s.variable);
    if (this.settings.clipGradients !== undefined) {
      // The norm needs every gradient: collect them, then clip and update (as apply does).
      const grads: Array<tf.Tensor | undefined> = vars.map(() => undefined);
      const { value } = streamingGradients(
        () => this.loss(batch),
        vars,
        (i, grad) => (grads[i] = tf.keep(grad)), // the backward pass runs in a tidy
      );
      const loss = value.dataSync()[0]!;
      value.dispose();
      this.apply(
        grads.map((g, i) => g ?? tf.zerosLike(vars[i]!)),
        lr,
      );
      return loss;
    }
    // Each weight is updated (in place) as soon as the backward pass has its gradient, and the
    // gradient freed: holding all of them until the end is 0.5 GB more at the peak for VGG.
    const { value, missing } = streamingGradients(
      () => this.loss(batch),
      vars,
      (i, grad) => this.update(this.slots[i]!, grad, lr),
    );
    // A weight the loss does not depend on still decays and keeps its momentum, as in Caffe.
    for (const i of missing) this.update(this.slots[i]!, tf.zerosLike(vars[i]!), lr);
    const loss = value.dataSync()[0]!;
    value.dispose();
    this.iteration++;
    return loss;
  }

  /**
   * One SGD step from gradients computed elsewhere (data-parallel shards): one per trainable
   * weight, in `trainable` order, consumed. The same update as `step`.
   */
  apply(grads: tf.Tensor[], lr = this.settings.lr): void {
    if (grads.length !== this.slots.length)
      throw new Error(`apply: ${grads.length} gradients for ${this.slots.length} trainable weights`);
    if (this.settings.clipGradients !== undefined) grads = clipGradients(grads, this.settings.clipGradients);
    grads.forEach((g, i) => this.update(this.slots[i]!, g, lr));
    this.iteration++;
  }

  /** Caffe's update of one weight; consumes `grad`. */
  private update(s: Slot, grad: tf.Tensor, lr: number): void {
    const f = Math.fround;
    // Caffe's local_rate and local_decay are float products of float settings.
    const rate = f(f(lr) * f(s.param.lr));
    const decay = f(f(this.settings.weightDecay) * f(s.param.decay));
    sgdUpdate(s.variable, s.history, grad, { rate, decay, momentum: f(this.settings.momentum) });
  }

  /** A copy of the optimizer state (the caller disposes the tensors). */
  state(): TrainerState {
    const history: tf.NamedTensorMap = {};
    for (const s of this.slots) history[s.param.name] = tf.clone(s.history);
    return { iteration: this.iteration, history };
  }

  /** Restores a state saved by `state()`; every updated weight must have its history. */
  restore(state: TrainerState): void {
    for (const s of this.slots) {
      const h = state.history[s.param.name];
      if (!h) throw new Error(`the saved optimizer state has no history for ${s.param.name}`);
      if (!tf.util.arraysEqual(h.shape, s.history.shape))
        throw new Error(`history for ${s.param.name} has shape [${h.shape}], expected [${s.history.shape}]`);
      s.history.assign(h);
    }
    this.iteration = state.iteration;
  }

  /** Frees the optimizer state. */
  dispose(): void {
    for (const s of this.slots) s.history.dispose();
    this.slots.length = 0;
    this.releaseBuffers();
  }
}

/**
 * Caffe's SGDSolver::ClipGradients: when the L2 norm of all the gradients together exceeds
 * `clip`, every gradient is scaled by clip / norm (in float32, as caffe_scal does). Consumes
 * `grads`; returns the gradients to apply.
 */
export function clipGradients(grads: tf.Tensor[], clip: number): tf.Tensor[] {
  // Caffe sums the squares in float (caffe_cpu_dot per blob, accumulated in a Dtype).
  let sumsq = 0;
  for (const g of grads) sumsq = Math.fround(sumsq + tf.tidy(() => tf.sum(tf.square(g)).dataSync()[0]!));
  const norm = Math.fround(Math.sqrt(sumsq));
  if (!(norm > clip)) return grads;
  const scale = Math.fround(clip / norm);
  return grads.map((g) => {
    const scaled = tf.mul(g, scale);
    g.dispose();
    return scaled;
  });
}
