/**
 * The layers added for DeepLab and ResNet against direct computations of Caffe's definitions:
 * Interp (bilinear, corners aligned: output x samples input x·(in − 1)/(out − 1)), global
 * pooling, Eltwise MAX, and BatchNorm's running sums and factor.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import { CaffeBatchNorm, CaffeInterp, Eltwise, GlobalPool } from '../src/runtime/layers/index.js';
import { randn, relError, useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

/** Caffe's interp.cpp (caffe_cpu_interp2), one channel, corners aligned. */
function caffeInterp(x: number[][], oh: number, ow: number): number[][] {
  const [h, w] = [x.length, x[0]!.length];
  const rh = oh > 1 ? (h - 1) / (oh - 1) : 0;
  const rw = ow > 1 ? (w - 1) / (ow - 1) : 0;
  return Array.from({ length: oh }, (_, i) => {
    const y = rh * i;
    const y0 = Math.floor(y);
    const y1 = y0 < h - 1 ? 1 : 0;
    const ly = y - y0;
    return Array.from({ length: ow }, (_, j) => {
      const xx = rw * j;
      const x0 = Math.floor(xx);
      const x1 = x0 < w - 1 ? 1 : 0;
      const lx = xx - x0;
      return (
        (1 - ly) * ((1 - lx) * x[y0]![x0]! + lx * x[y0]![x0 + x1]!) +
        ly * ((1 - lx) * x[y0 + y1]![x0]! + lx * x[y0 + y1]![x0 + x1]!)
      );
    });
  });
}

test("CaffeInterp is Caffe's Interp: zoom z gives in + (in − 1)(z − 1), sampled with the corners aligned", (t) => {
  const rng = new Rng(21);
  const x = randn([1, 5, 7, 1], rng);
  const y = new CaffeInterp({ factor: 8 }).apply(x) as tf.Tensor;
  t.deepEqual(y.shape, [1, 33, 49, 1]);
  const grid = (x.arraySync() as number[][][][])[0]!.map((row) => row.map((v) => v[0]!));
  const want = caffeInterp(grid, 33, 49).flat();
  t.true(relError(y.dataSync(), want) < 1e-5, String(relError(y.dataSync(), want)));
  // DeepLab-LargeFOV's 41×41 scores at 321: zoom 8 gives 321 again.
  const s = new CaffeInterp({ factor: 8 }).computeOutputShape([null, 41, 41, 21]);
  t.deepEqual(s, [null, 321, 321, 21]);
  const like = new CaffeInterp({ factor: null }).apply([x, tf.zeros([1, 9, 4, 1])]) as tf.Tensor;
  t.true(relError(like.dataSync(), caffeInterp(grid, 9, 4).flat()) < 1e-5);
});

test("CaffeInterp agrees with PyTorch's align_corners=True bilinear (values from torch 1.13)", (t) => {
  // torch.nn.functional.interpolate(arange(35).reshape(1,1,5,7)**1.5, size=(33,49), mode='bilinear', align_corners=True)
  const x = tf.pow(tf.range(0, 35).reshape([1, 5, 7, 1]), 1.5);
  const y = (new CaffeInterp({ factor: 8 }).apply(x) as tf.Tensor).arraySync() as number[][][][];
  t.true(Math.abs(y[0]![3]![5]![0]! - 8.29833698272705) < 1e-4);
  t.true(Math.abs(y[0]![17]![30]![0]! - 80.84197235107422) < 1e-4);
});

test('global pooling takes the max or the mean of each channel over the whole map', (t) => {
  const x = tf.tensor4d([1, -2, 3, 4, 5, -6, 0, 8], [1, 2, 2, 2]);
  t.deepEqual(Array.from((new GlobalPool({ method: 'max' }).apply(x) as tf.Tensor).dataSync()), [5, 8]);
  t.deepEqual(Array.from((new GlobalPool({ method: 'ave' }).apply(x) as tf.Tensor).dataSync()), [2.25, 1]);
});

test('Eltwise MAX and PROD combine inputs element by element, and refuse shapes that differ', (t) => {
  const a = tf.tensor4d([1, 5, -2, 0], [1, 2, 2, 1]);
  const b = tf.tensor4d([3, 4, -1, -7], [1, 2, 2, 1]);
  t.deepEqual(Array.from((new Eltwise({ operation: 'max' }).apply([a, b]) as tf.Tensor).dataSync()), [3, 5, -1, 0]);
  t.deepEqual(
    Array.from((new Eltwise({ operation: 'prod' }).apply([a, b, b]) as tf.Tensor).dataSync()),
    [9, 80, -2, 0],
  );
  t.throws(() => new Eltwise({ operation: 'max' }).apply([a, tf.zeros([1, 2, 1, 1])]), { message: /cannot combine/ });
});

test("CaffeBatchNorm keeps Caffe's running sums and factor, and normalises with sum/factor at inference", (t) => {
  const layer = new CaffeBatchNorm({ eps: 1e-5, momentum: 0.5, global: false });
  const x1 = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2]);
  const y = layer.apply(x1, { training: true }) as tf.Tensor;
  // Channel 0 holds 1, 3, 5, 7: mean 4, biased variance 5, unbiased 20/3.
  const want0 = [1, 3, 5, 7].map((v) => (v - 4) / Math.sqrt(5 + 1e-5));
  const got = Array.from(y.dataSync());
  t.true(relError([got[0]!, got[2]!, got[4]!, got[6]!], want0) < 1e-5);
  const [mean, variance, factor] = layer.getWeights().map((w) => Array.from(w.dataSync()));
  // From zero sums and a factor of 1: sum = 0.5·0 + statistic; factor = 0.5·1 + 1.
  t.deepEqual(mean, [4, 5]);
  t.true(Math.abs(variance![0]! - (1 + 20 / 3 - 0.5)) < 1e-4, String(variance));
  t.deepEqual(factor, [1.5]);
  const z = layer.apply(tf.tensor4d([4, 5], [1, 1, 1, 2]), { training: false }) as tf.Tensor;
  const v0 = variance![0]! / 1.5;
  t.true(Math.abs(z.dataSync()[0]! - (4 - 4 / 1.5) / Math.sqrt(v0 + 1e-5)) < 1e-4);
});
