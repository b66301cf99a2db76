/**
 * Caffe's SGD update of one weight (sgd_solver.cpp), in float32 exactly as Caffe rounds it:
 *   diff    = local_decay·w + grad           (Regularize: caffe_axpy)
 *   history = local_rate·diff + momentum·history   (ComputeUpdateValue: caffe_cpu_axpby)
 *   w       = w − history                    (Blob::Update)
 * Three implementations with identical results: tensor ops, on native one pass in the addon
 * (native/sgd.ts), and on wasm one loop over the heap
 * that writes the history and the weight in place, as Caffe does. In place matters for big
 * nets: a VGG FCN's weights and momentum are 1 GB, and allocating them anew every step
 * fragments wasm's 4 GB heap until a 400 MB fc6 block no longer fits. When another tensor
 * shares a buffer (a checkpoint's clone of the history, weights copied between models), that
 * one is written to a new buffer instead, so nothing outside the trainer ever changes.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeSgdUpdate } from './native/sgd.js';
import { allocateTensor, dropPackedWeights, heapBackend, ownsData, type HeapBackend } from './wasm-heap.js';

export interface SgdCoefficients {
  /** local_rate = lr · lr_mult, as a float32. */
  rate: number;
  /** local_decay = weight_decay · decay_mult, as a float32. */
  decay: number;
  momentum: number;
}

/** Updates `variable` and `history` (in place on wasm when they share their memory with nothing); disposes `grad`. */
export function sgdUpdate(variable: tf.Variable, history: tf.Variable, grad: tf.Tensor, c: SgdCoefficients): void {
  const backend = heapBackend();
  if (backend) heapUpdate(backend, variable, history, grad, c);
  else if (tf.getBackend() === 'native') nativeSgdUpdate(variable, history, grad, c);
  else tensorUpdate(variable, history, grad, c);
}

function tensorUpdate(variable: tf.Variable, history: tf.Variable, grad: tf.Tensor, c: SgdCoefficients): void {
  let diff = grad;
  if (c.decay !== 0) {
    const term = tf.tidy(() => tf.mul(variable, c.decay));
    diff = tf.add(term, grad);
    tf.dispose([term, grad]);
  }
  const step = tf.tidy(() => tf.mul(diff, c.rate));
  diff.dispose();
  const kept = tf.tidy(() => tf.mul(history, c.momentum));
  const next = tf.add(step, kept);
  tf.dispose([step, kept]);
  history.assign(next);
  next.dispose();
  const weight = tf.sub(variable, history);
  variable.assign(weight);
  weight.dispose();
}

/** The tensor to write `v`'s new value into: `v` itself, or a new buffer when `v`'s memory is shared. */
function target(backend: HeapBackend, v: tf.Variable): tf.Tensor {
  return ownsData(backend, v) ? v : allocateTensor(backend, v.shape);
}

/** Makes `v` hold `written` (a no-op when it was written in place) and drops the packed copies of its old values. */
function commit(backend: HeapBackend, v: tf.Variable, written: tf.Tensor): void {
  if (written === v) dropPackedWeights(backend, v);
  else {
    v.assign(written); // disposing the old buffer drops its packed copies
    written.dispose();
  }
}

function heapUpdate(
  backend: HeapBackend,
  variable: tf.Variable,
  history: tf.Variable,
  grad: tf.Tensor,
  c: SgdCoefficients,
): void {
  const f = Math.fround;
  const [rate, decay, momentum] = [f(c.rate), f(c.decay), f(c.momentum)];
  const hOut = target(backend, history);
  const wOut = target(backend, variable);
  // Views only after allocating: a heap growth detaches earlier ones.
  const w = backend.typedArrayFromHeap(variable);
  const g = backend.typedArrayFromHeap(grad);
  const h = backend.typedArrayFromHeap(history);
  const hNew = backend.typedArrayFromHeap(hOut);
  const wNew = backend.typedArrayFromHeap(wOut);
  // Element i reads w[i] and h[i] before writing them, so in place and out of place agree.
  if (decay === 0) {
    for (let i = 0; i < w.length; i++) {
      const hi = f(f(rate * g[i]!) + f(momentum * h[i]!));
      hNew[i] = hi;
      wNew[i] = f(w[i]! - hi);
    }
  } else {
    for (let i = 0; i < w.length; i++) {
      const wi = w[i]!;
      const hi = f(f(rate * f(f(decay * wi) + g[i]!)) + f(momentum * h[i]!));
      hNew[i] = hi;
      wNew[i] = f(wi - hi);
    }
  }
  grad.dispose();
  commit(backend, history, hOut);
  commit(backend, variable, wOut);
}
