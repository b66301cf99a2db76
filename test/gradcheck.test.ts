/**
 * Numerical gradient checks (central differences) through the layers whose gradients fcn
 * assembles itself on wasm: crop, Caffe's ceil-mode pooling (max and average, with padding),
 * grouped and dilated convolution, and the deconvolution.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import { CaffeConv, CaffeDeconv, CaffePool, Crop } from '../src/runtime/layers/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { randn, useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

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
