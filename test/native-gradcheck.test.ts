/**
 * Numerical gradient checks (central differences) on the native backend, through the layers
 * whose gradients its kernels compute: strided and padded convolution (bias in the
 * convolution), Caffe's ceil-mode max pooling, tfjs's padded average pooling, the
 * deconvolution, a crop, and LRN across channels.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import { CaffeConv, CaffeDeconv, CaffeLRN, CaffePool, Crop } from '../src/runtime/layers/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { nativeTest, useNative } from './helpers/native.js';
import { randn } from './helpers/tf.js';

test.before(async () => {
  await useNative();
});

function built<T extends tf.layers.Layer>(layer: T, inputShape: number[], rng: Rng): T {
  layer.build(inputShape);
  layer.setWeights(layer.weights.map((v) => randn(v.shape as number[], rng)));
  return layer;
}

nativeTest('strided, padded convolution with its bias, then ceil-mode max pooling and a crop', (t) => {
  const rng = new Rng(12, 4);
  const x = randn([1, 9, 8, 5], rng);
  const conv = built(new CaffeConv({ filters: 6, kernel: 3, pad: 2, stride: [1, 2] }), x.shape, rng);
  const pool = new CaffePool({ method: 'max', kernel: 3, stride: 2, pad: 1 });
  const crop = new Crop({ offset: [1, 0] });
  const ref = tf.zeros([1, 3, 2, 1]);
  const f = (a: tf.Tensor): tf.Tensor =>
    crop.apply([pool.apply(conv.apply(a, { training: true }) as tf.Tensor) as tf.Tensor, ref]) as tf.Tensor;
  gradcheck(t, 'conv(stride, pad, bias) → max pool(ceil) → crop', f, x, conv, rng);
});

nativeTest("average pooling with tfjs's padding (divisor: the cells inside) after a convolution", (t) => {
  const rng = new Rng(12, 2);
  const x = randn([1, 10, 9, 3], rng);
  const conv = built(new CaffeConv({ filters: 4, kernel: 3, pad: 1, useBias: false }), x.shape, rng);
  const pad: [[0, 0], [number, number], [number, number], [0, 0]] = [
    [0, 0],
    [1, 2],
    [2, 1],
    [0, 0],
  ];
  const f = (a: tf.Tensor): tf.Tensor =>
    tf.avgPool(conv.apply(a, { training: true }) as tf.Tensor4D, 3, 2, pad as unknown as 'valid');
  gradcheck(t, 'conv → avg pool(pad)', f, x, conv, rng);
});

nativeTest('deconvolution with stride and padding, then a crop', (t) => {
  const rng = new Rng(12, 3);
  const x = randn([1, 4, 5, 4], rng);
  const deconv = built(new CaffeDeconv({ filters: 3, kernel: 4, stride: 2, pad: 1, useBias: false }), x.shape, rng);
  const crop = new Crop({ offset: [2, 1] });
  const ref = tf.zeros([1, 5, 6, 1]);
  const f = (a: tf.Tensor): tf.Tensor => crop.apply([deconv.apply(a) as tf.Tensor, ref]) as tf.Tensor;
  gradcheck(t, 'deconv(stride 2, pad 1) → crop', f, x, deconv, rng);
});

nativeTest("a convolution, then Caffe's LRN across channels (size 5)", (t) => {
  const rng = new Rng(12, 5);
  const x = randn([1, 7, 6, 3], rng);
  const conv = built(new CaffeConv({ filters: 9, kernel: 3, pad: 1 }), x.shape, rng);
  // alpha large enough that the normaliser's own gradient is a visible part of the total.
  // No pooling after it: LRN flattens its outputs, and a max pool's winner would change within
  // the differences' step.
  const lrn = new CaffeLRN({ size: 5, alpha: 0.5, beta: 0.75, k: 2 });
  const f = (a: tf.Tensor): tf.Tensor => lrn.apply(conv.apply(a, { training: true }) as tf.Tensor) as tf.Tensor;
  gradcheck(t, 'conv → LRN(5)', f, x, conv, rng);
});
