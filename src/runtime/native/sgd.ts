/**
 * Caffe's SGD update on the native backend: one pass on all threads that writes the history
 * and the weight in place (sgd-update.ts has the formula and the wasm version). As tensor ops
 * on the cpu backend it was five single-threaded passes and five new arrays per weight. A
 * buffer that another tensor shares (a checkpoint's clone) is never written: the new values
 * go to a new buffer instead.
 */
import * as tf from '@tensorflow/tfjs';
import { addon } from './addon.js';
import type { NativeBackend } from './backend-class.js';

/** The same coefficients as sgd-update.ts's SgdCoefficients. */
interface Coefficients {
  rate: number;
  decay: number;
  momentum: number;
}

/** Updates `variable` and `history` from `grad` (disposed) on the native backend. */
export function nativeSgdUpdate(variable: tf.Variable, history: tf.Variable, grad: tf.Tensor, c: Coefficients): void {
  const backend = tf.backend() as NativeBackend;
  const g = tf.tidy(() => (grad.dtype === 'float32' ? grad : tf.cast(grad, 'float32')));
  const target = (v: tf.Variable): { values: Float32Array; inPlace: boolean } =>
    backend.refCount(v.dataId) === 1
      ? { values: backend.floats(v), inPlace: true }
      : { values: new Float32Array(v.size), inPlace: false };
  const h = target(history);
  const w = target(variable);
  // The weight's reordered copies in the addon describe its old values.
  backend.forgetWeights(variable.dataId);
  addon().sgdUpdate(
    backend.floats(variable),
    backend.floats(g),
    backend.floats(history),
    w.values,
    h.values,
    c.rate,
    c.decay,
    c.momentum,
  );
  tf.dispose(g === grad ? [grad] : [g, grad]);
  for (const [v, t] of [
    [history, h],
    [variable, w],
  ] as const) {
    if (t.inPlace) continue;
    const next = tf.tensor(t.values, v.shape, 'float32');
    v.assign(next);
    next.dispose();
  }
}
