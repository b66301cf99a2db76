/**
 * The messages between a ParallelTrainer and its worker threads. One request is in flight per
 * worker at a time, so replies need no ids. The weights and the gradients live in shared
 * memory, written before the message that hands them over (posting and receiving a message
 * orders the writes before the reads); a shard's images and labels are transferred.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelInfo } from '../info.js';

/** A tensor's values as they cross threads. */
export interface ShardArray {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** Sent once: what the worker rebuilds the model from, and which weights it differentiates. */
export interface InitRequest {
  type: 'init';
  /** The tfjs backend to run on (the main thread's). */
  backend: string;
  /** The model's topology and every weight's value (the frozen ones never change after this). */
  artifacts: tf.io.ModelArtifacts;
  info: ModelInfo;
  /** The trainable weights' names, in the order of the packed weights and gradients. */
  trainable: string[];
  /** The current trainable weights, packed (packing.ts): the main thread writes them before each step. */
  weights: SharedArrayBuffer;
  /** Where this worker writes its shard's gradients, packed alike. */
  gradient: SharedArrayBuffer;
  /** On the native backend: the worker's oneDNN thread count (its share of the cores). */
  threads?: number;
}

/** Sent every step, once the weights are written: the worker's shard and the batch's normalisers. */
export interface StepRequest {
  type: 'step';
  inputs: Record<string, ShardArray>;
  labels: Record<string, ShardArray>;
  /** Each loss's normaliser over the whole batch, by loss name. */
  normalisers: Record<string, number>;
}

export type Request = InitRequest | StepRequest;

export type Reply =
  | { type: 'ready' }
  /** The shard's loss; its gradients are in the shared gradient buffer. */
  | { type: 'result'; loss: number }
  | { type: 'error'; name: string; message: string; stack?: string };
