/**
 * A numerical gradient check by central differences, shared by the wasm and native gradient
 * tests: d(Σ c·f(x))/dx and d/dW (W the layer's kernel variable) at random entries.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../src/data/random.js';
import { randn } from './tf.js';

/** Checks d(Σ c·f(x))/dx and d/dW (W the layer's kernel variable) at `samples` random entries against central differences. */
export function gradcheck(
  t: import('ava').ExecutionContext,
  label: string,
  f: (x: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  layer: tf.layers.Layer,
  rng: Rng,
  samples = 12,
): void {
  const kernel = layer.weights[0]!.read() as tf.Variable;
  const c = tf.tidy(() => randn(f(x).shape, rng));
  const loss = (a: tf.Tensor): tf.Scalar => tf.tidy(() => tf.sum(tf.mul(f(a), c)));
  const gx = tf.grad((a: tf.Tensor) => loss(a))(x);
  const { value, grads } = tf.variableGrads(() => loss(x), [kernel]);
  value.dispose();
  const gw = grads[kernel.name]!;
  const probes: Array<[string, tf.Tensor, tf.Tensor, (v: tf.Tensor) => number]> = [
    ['x', x, gx, (v) => loss(v).dataSync()[0]!],
    [
      'W',
      kernel.clone(),
      gw,
      (v) => {
        kernel.assign(v);
        return loss(x).dataSync()[0]!;
      },
    ],
  ];
  for (const [name, base, grad, lossAt] of probes) {
    const worst = worstGradientError(lossAt, base, grad.dataSync(), rng, samples);
    if (name === 'W') kernel.assign(base);
    t.true(worst < 2e-3, `${label} d/d${name}: worst relative error ${worst}`);
  }
  tf.dispose([c, gx, gw]);
}

/**
 * `grad` (the analytic gradient of a scalar `lossAt` at `base`) against central differences at
 * `samples` random entries; returns the worst relative error.
 */
export function worstGradientError(
  lossAt: (v: tf.Tensor) => number,
  base: tf.Tensor,
  grad: ArrayLike<number>,
  rng: Rng,
  samples = 10,
): number {
  const values = base.dataSync().slice();
  let worst = 0;
  const eps = 1e-2;
  for (let s = 0; s < samples; s++) {
    const i = rng.int(values.length);
    const at = (delta: number): number => {
      const v = values.slice();
      v[i] = v[i]! + delta;
      const tensor = tf.tensor(v, base.shape);
      const r = lossAt(tensor);
      tensor.dispose();
      return r;
    };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    worst = Math.max(worst, Math.abs(numeric - grad[i]!) / Math.max(1, Math.abs(numeric)));
  }
  return worst;
}
