/**
 * Numerical gradient checks (central differences) through the layers whose gradients fcn
 * assembles itself on wasm: crop, Caffe's ceil-mode pooling (max and average, with padding),
 * grouped and dilated convolution, and the deconvolution.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import { CaffeConv, CaffeDeconv, CaffePool, Crop } from '../src/runtime/layers/index.js';
import { randn, useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

/** Checks d(Σ c·f(x))/dx and d/dW (W the layer's kernel variable) at `samples` random entries against central differences. */
function gradcheck(
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
    const values = base.dataSync().slice();
    const g = grad.dataSync();
    const eps = 1e-2;
    let worst = 0;
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
      worst = Math.max(worst, Math.abs(numeric - g[i]!) / Math.max(1, Math.abs(numeric)));
    }
    if (name === 'W') kernel.assign(base);
    t.true(worst < 2e-3, `${label} d/d${name}: worst relative error ${worst}`);
  }
  tf.dispose([c, gx, gw]);
}

/** Builds `layer` for `inputShape` with random weights. */
function built<T extends tf.layers.Layer>(layer: T, inputShape: number[], rng: Rng): T {
  layer.build(inputShape);
  layer.setWeights(layer.weights.map((v) => randn(v.shape as number[], rng)));
  return layer;
}

test('grouped convolution with pad and stride, then ceil-mode max pooling and a crop', (t) => {
  const rng = new Rng(11, 1);
  const x = randn([1, 9, 8, 4], rng);
  const conv = built(
    new CaffeConv({ filters: 6, kernel: 3, pad: 2, stride: [1, 2], group: 2, useBias: false }),
    x.shape,
    rng,
  );
  const pool = new CaffePool({ method: 'max', kernel: 3, stride: 2, pad: 1 });
  const crop = new Crop({ offset: [1, 0] });
  const ref = tf.zeros([1, 3, 2, 1]);
  const f = (a: tf.Tensor): tf.Tensor =>
    crop.apply([pool.apply(conv.apply(a, { training: true }) as tf.Tensor) as tf.Tensor, ref]) as tf.Tensor;
  gradcheck(t, 'conv(group 2) → max pool(ceil) → crop', f, x, conv, rng);
});

test('ceil-mode average pooling with padding (Caffe divisor) after a dilated convolution', (t) => {
  const rng = new Rng(11, 2);
  const x = randn([1, 10, 9, 3], rng);
  const conv = built(new CaffeConv({ filters: 4, kernel: 3, pad: 2, dilation: 2, useBias: false }), x.shape, rng);
  const pool = new CaffePool({ method: 'ave', kernel: 3, stride: 2, pad: 1 });
  const f = (a: tf.Tensor): tf.Tensor => pool.apply(conv.apply(a, { training: true }) as tf.Tensor) as tf.Tensor;
  gradcheck(t, 'dilated conv → ave pool(ceil, pad)', f, x, conv, rng);
});

test('grouped deconvolution with padding, then a crop', (t) => {
  const rng = new Rng(11, 3);
  const x = randn([1, 4, 5, 4], rng);
  const deconv = built(
    new CaffeDeconv({ filters: 4, kernel: 4, stride: 2, pad: 1, group: 2, useBias: false }),
    x.shape,
    rng,
  );
  const crop = new Crop({ offset: [2, 1] });
  const ref = tf.zeros([1, 5, 6, 1]);
  const f = (a: tf.Tensor): tf.Tensor => crop.apply([deconv.apply(a) as tf.Tensor, ref]) as tf.Tensor;
  gradcheck(t, 'deconv(group 2, pad 1) → crop', f, x, deconv, rng);
});
