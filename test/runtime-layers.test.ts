/**
 * Every custom layer against a direct computation written from Caffe's definitions, in plain
 * loops over NHWC arrays (Caffe's own loops, transposed to NHWC).
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import {
  CaffeConv,
  CaffeDeconv,
  CaffeFc,
  CaffeLRN,
  CaffePool,
  CaffeScale,
  ChannelArgmax,
  Crop,
  EltwiseSum,
  poolOutSize,
} from '../src/runtime/layers/index.js';
import { randn, relError, useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

/** A dense NHWC array with an index helper. */
class Nhwc {
  readonly data: Float32Array;
  constructor(
    readonly n: number,
    readonly h: number,
    readonly w: number,
    readonly c: number,
    data?: ArrayLike<number>,
  ) {
    this.data = data ? Float32Array.from(data) : new Float32Array(n * h * w * c);
  }
  at(b: number, y: number, x: number, ch: number): number {
    return ((b * this.h + y) * this.w + x) * this.c + ch;
  }
  static of(t: tf.Tensor): Nhwc {
    const [n, h, w, c] = t.shape as number[];
    return new Nhwc(n!, h!, w!, c!, t.dataSync());
  }
}

function apply(layer: tf.layers.Layer, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return layer.apply(inputs) as tf.Tensor;
}

test('Crop cuts the input to the reference size at the offset', (t) => {
  const rng = new Rng(7, 1);
  const x = randn([2, 9, 8, 3], rng);
  const ref = tf.zeros([2, 4, 5, 1]);
  const y = Nhwc.of(apply(new Crop({ offset: [3, 2] }), [x, ref]));
  const xs = Nhwc.of(x);
  t.deepEqual([y.n, y.h, y.w, y.c], [2, 4, 5, 3]);
  for (let b = 0; b < 2; b++)
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 5; j++)
        for (let c = 0; c < 3; c++) t.is(y.data[y.at(b, i, j, c)], xs.data[xs.at(b, i + 3, j + 2, c)]);
  t.throws(() => apply(new Crop({ offset: [6, 0] }), [x, ref]), { message: /too small/ });
});

/** Caffe's PoolingLayer::Forward_cpu, MAX and AVE, in NHWC. */
function caffePool(
  x: Nhwc,
  method: 'max' | 'ave',
  k: [number, number],
  s: [number, number],
  p: [number, number],
): Nhwc {
  const oh = poolOutSize(x.h, k[0], s[0], p[0], 'ceil');
  const ow = poolOutSize(x.w, k[1], s[1], p[1], 'ceil');
  const y = new Nhwc(x.n, oh, ow, x.c);
  for (let b = 0; b < x.n; b++)
    for (let ph = 0; ph < oh; ph++)
      for (let pw = 0; pw < ow; pw++)
        for (let c = 0; c < x.c; c++) {
          let hstart = ph * s[0] - p[0];
          let wstart = pw * s[1] - p[1];
          let hend = Math.min(hstart + k[0], x.h + p[0]);
          let wend = Math.min(wstart + k[1], x.w + p[1]);
          const poolSize = (hend - hstart) * (wend - wstart);
          hstart = Math.max(hstart, 0);
          wstart = Math.max(wstart, 0);
          hend = Math.min(hend, x.h);
          wend = Math.min(wend, x.w);
          let acc = method === 'max' ? -Infinity : 0;
          for (let i = hstart; i < hend; i++)
            for (let j = wstart; j < wend; j++) {
              const v = x.data[x.at(b, i, j, c)]!;
              acc = method === 'max' ? Math.max(acc, v) : acc + v;
            }
          y.data[y.at(b, ph, pw, c)] = method === 'max' ? acc : acc / poolSize;
        }
  return y;
}

test('CaffePool matches Caffe (ceil rounding, max and ave, padding) on odd sizes', (t) => {
  const rng = new Rng(7, 2);
  const cases: Array<[number, number, [number, number], [number, number], [number, number]]> = [
    [7, 7, [2, 2], [2, 2], [0, 0]],
    [9, 8, [3, 3], [2, 2], [0, 0]],
    [10, 11, [3, 3], [2, 2], [1, 1]],
    [5, 6, [3, 2], [2, 1], [1, 0]],
    [6, 6, [3, 3], [1, 1], [1, 1]],
    [13, 13, [3, 3], [3, 3], [2, 1]],
  ];
  for (const [h, w, k, s, p] of cases) {
    const x = randn([1, h, w, 3], rng);
    for (const method of ['max', 'ave'] as const) {
      const got = Nhwc.of(apply(new CaffePool({ method, kernel: k, stride: s, pad: p }), x));
      const want = caffePool(Nhwc.of(x), method, k, s, p);
      t.deepEqual([got.h, got.w], [want.h, want.w], `${method} ${h}×${w} k${k} s${s} p${p}`);
      t.true(relError(got.data, want.data) < 1e-6, `${method} ${h}×${w} k${k} s${s} p${p}`);
    }
  }
});

test("CaffePool's average divides by the window clipped to the padded extent", (t) => {
  // 3×3 ones, kernel 3, stride 2, pad 1: each corner window covers 4 ones of a 3×3 window (Caffe counts the pad).
  const y = apply(new CaffePool({ method: 'ave', kernel: 3, stride: 2, pad: 1 }), tf.ones([1, 3, 3, 1]));
  t.deepEqual(y.shape, [1, 2, 2, 1]);
  t.deepEqual(Array.from(y.dataSync()), [4 / 9, 4 / 9, 4 / 9, 4 / 9].map(Math.fround));
  // Ceil rounding without pad: 5 wide, kernel 2, stride 2 → 3 outputs, the last window clipped to one column.
  const z = apply(
    new CaffePool({ method: 'ave', kernel: [1, 2], stride: [1, 2] }),
    tf.tensor4d([1, 2, 3, 4, 5], [1, 1, 5, 1]),
  );
  t.deepEqual(Array.from(z.dataSync()), [1.5, 3.5, 5]);
  t.deepEqual(
    apply(new CaffePool({ method: 'max', kernel: 2, stride: 2, round: 'floor' }), tf.ones([1, 5, 5, 1])).shape,
    [1, 2, 2, 1],
  );
});

/** Caffe's convolution with groups and dilation; kernel in tfjs layout [kh, kw, in/g, out]. */
function caffeConv(
  x: Nhwc,
  kernel: tf.Tensor,
  bias: Float32Array,
  s: [number, number],
  p: [number, number],
  d: [number, number],
  group: number,
): Nhwc {
  const [kh, kw, cig, co] = kernel.shape as number[];
  const k = kernel.dataSync();
  const oh = Math.floor((x.h + 2 * p[0] - (d[0] * (kh! - 1) + 1)) / s[0]) + 1;
  const ow = Math.floor((x.w + 2 * p[1] - (d[1] * (kw! - 1) + 1)) / s[1]) + 1;
  const y = new Nhwc(x.n, oh, ow, co!);
  const cog = co! / group;
  for (let b = 0; b < x.n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < co!; o++) {
          const g = Math.floor(o / cog);
          let acc = bias[o]!;
          for (let a = 0; a < kh!; a++)
            for (let bb = 0; bb < kw!; bb++) {
              const yy = i * s[0] - p[0] + a * d[0];
              const xx = j * s[1] - p[1] + bb * d[1];
              if (yy < 0 || yy >= x.h || xx < 0 || xx >= x.w) continue;
              for (let ci = 0; ci < cig!; ci++)
                acc += x.data[x.at(b, yy, xx, g * cig! + ci)]! * k[((a * kw! + bb) * cig! + ci) * co! + o]!;
            }
          y.data[y.at(b, i, j, o)] = acc;
        }
  return y;
}

function randomWeights(layer: tf.layers.Layer, rng: Rng): void {
  layer.setWeights(layer.weights.map((v) => randn(v.shape as number[], rng)));
}

test('CaffeConv matches a direct convolution: groups, pads, strides, dilation', async (t) => {
  const rng = new Rng(7, 3);
  const cases = [
    { cin: 4, out: 6, k: [3, 3], s: [1, 1], p: [1, 1], d: [1, 1], g: 2 },
    { cin: 3, out: 4, k: [5, 3], s: [2, 1], p: [2, 0], d: [1, 1], g: 1 },
    { cin: 2, out: 2, k: [3, 3], s: [1, 1], p: [2, 2], d: [2, 2], g: 1 },
    { cin: 6, out: 6, k: [3, 3], s: [2, 2], p: [1, 1], d: [2, 1], g: 3 },
    { cin: 3, out: 2, k: [3, 3], s: [1, 1], p: [10, 10], d: [1, 1], g: 1 },
  ] as const;
  for (const c of cases) {
    const x = randn([1, 9, 8, c.cin], rng);
    const layer = new CaffeConv({
      filters: c.out,
      kernel: [...c.k],
      stride: [...c.s],
      pad: [...c.p],
      dilation: [...c.d],
      group: c.g,
    });
    layer.build(x.shape);
    randomWeights(layer, rng);
    const [kernel, bias] = layer.getWeights();
    const want = caffeConv(Nhwc.of(x), kernel!, bias!.dataSync() as Float32Array, [...c.s], [...c.p], [...c.d], c.g);
    for (const training of [false, true]) {
      const got = Nhwc.of(layer.apply(x, { training }) as tf.Tensor);
      t.deepEqual([got.h, got.w, got.c], [want.h, want.w, want.c], JSON.stringify(c));
      t.true(relError(got.data, want.data) < 1e-5, `${JSON.stringify(c)} training=${training}`);
    }
  }
});

test('CaffeDeconv matches Caffe: output size s(H−1)+k−2p, weights (in, out, kh, kw) without a flip', (t) => {
  const rng = new Rng(7, 4);
  const cases = [
    { cin: 3, out: 3, k: [4, 4], s: [2, 2], p: [0, 0], g: 1 },
    { cin: 2, out: 4, k: [3, 5], s: [2, 3], p: [1, 2], g: 1 },
    { cin: 4, out: 2, k: [4, 4], s: [2, 2], p: [1, 1], g: 2 },
  ] as const;
  for (const c of cases) {
    const x = randn([1, 4, 5, c.cin], rng);
    const layer = new CaffeDeconv({ filters: c.out, kernel: [...c.k], stride: [...c.s], pad: [...c.p], group: c.g });
    layer.build(x.shape);
    randomWeights(layer, rng);
    const [kernel, bias] = layer.getWeights().map((w) => w.dataSync());
    const xs = Nhwc.of(x);
    const oh = c.s[0] * (4 - 1) + c.k[0] - 2 * c.p[0];
    const ow = c.s[1] * (5 - 1) + c.k[1] - 2 * c.p[1];
    // Caffe: top[o, s·i + a − p, s·j + b − p] += W[ci, o, a, b] · bottom[ci, i, j], per group.
    const want = new Nhwc(1, oh, ow, c.out);
    const cog = c.out / c.g;
    const cig = c.cin / c.g;
    for (let y = 0; y < oh; y++)
      for (let x2 = 0; x2 < ow; x2++) for (let o = 0; o < c.out; o++) want.data[want.at(0, y, x2, o)] = bias![o]!;
    for (let ci = 0; ci < c.cin; ci++)
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 5; j++)
          for (let ol = 0; ol < cog; ol++)
            for (let a = 0; a < c.k[0]; a++)
              for (let b = 0; b < c.k[1]; b++) {
                const y = c.s[0] * i + a - c.p[0];
                const x2 = c.s[1] * j + b - c.p[1];
                if (y < 0 || y >= oh || x2 < 0 || x2 >= ow) continue;
                const o = Math.floor(ci / cig) * cog + ol;
                // tfjs kernel [kh, kw, out/g, in] holds Caffe's W[ci, ol, a, b].
                want.data[want.at(0, y, x2, o)] +=
                  kernel![((a * c.k[1] + b) * cog + ol) * c.cin + ci]! * xs.data[xs.at(0, i, j, ci)]!;
              }
    const got = Nhwc.of(apply(layer, x));
    t.deepEqual([got.h, got.w, got.c], [oh, ow, c.out]);
    t.true(relError(got.data, want.data) < 1e-5, JSON.stringify(c));
  }
});

test("CaffeLRN uses Caffe's alpha/size convention", (t) => {
  const rng = new Rng(7, 5);
  const x = randn([1, 3, 4, 7], rng);
  const [size, alpha, beta, k] = [5, 0.3, 0.75, 2];
  const got = apply(new CaffeLRN({ size, alpha, beta, k }), x).dataSync();
  const xs = Nhwc.of(x);
  const want = new Float32Array(xs.data.length);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 4; j++)
      for (let c = 0; c < 7; c++) {
        let sq = 0;
        for (let q = Math.max(0, c - 2); q <= Math.min(6, c + 2); q++) sq += xs.data[xs.at(0, i, j, q)]! ** 2;
        want[xs.at(0, i, j, c)] = xs.data[xs.at(0, i, j, c)]! / (k + (alpha / size) * sq) ** beta;
      }
  t.true(relError(got, want) < 1e-6);
  t.throws(() => new CaffeLRN({ size: 4, alpha, beta, k }), { message: /odd/ });
});

test('CaffeScale, EltwiseSum and ChannelArgmax compute what Caffe does', (t) => {
  const rng = new Rng(7, 6);
  const x = randn([1, 2, 3, 4], rng);
  const scale = new CaffeScale();
  scale.build(x.shape);
  scale.setWeights([tf.tensor1d([0.01, 2, -1, 0])]);
  const xs = x.dataSync();
  const factors = Float32Array.from([0.01, 2, -1, 0]);
  const sy = apply(scale, x).dataSync();
  for (let i = 0; i < xs.length; i++) t.is(sy[i], Math.fround(xs[i]! * factors[i % 4]!));

  const a = randn([1, 2, 3, 4], rng);
  const sum = apply(new EltwiseSum({ coeff: [1, -0.5] }), [x, a]).dataSync();
  const as = a.dataSync();
  for (let i = 0; i < xs.length; i++) t.true(Math.abs(sum[i]! - (xs[i]! - 0.5 * as[i]!)) < 1e-6);
  t.throws(() => apply(new EltwiseSum(), [x, tf.zeros([1, 2, 2, 4])]), { message: /cannot sum/ });

  const am = apply(new ChannelArgmax(), x);
  t.deepEqual(am.shape, [1, 2, 3, 1]);
  const idx = am.dataSync();
  for (let p = 0; p < 6; p++) {
    const v = Array.from(xs.slice(p * 4, p * 4 + 4));
    t.is(idx[p], v.indexOf(Math.max(...v)));
  }
});

test("CaffeFc flattens in Caffe's (C, H, W) order", (t) => {
  const rng = new Rng(7, 7);
  const x = randn([2, 2, 3, 4], rng);
  const fc = new CaffeFc({ units: 5 });
  fc.build(x.shape);
  randomWeights(fc, rng);
  const [k, b] = fc.getWeights().map((w) => w.dataSync());
  const got = apply(fc, x);
  t.deepEqual(got.shape, [2, 1, 1, 5]);
  const xs = Nhwc.of(x);
  const want = new Float32Array(10);
  for (let n = 0; n < 2; n++)
    for (let o = 0; o < 5; o++) {
      let acc = b![o]!;
      for (let c = 0; c < 4; c++)
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 3; j++) acc += xs.data[xs.at(n, i, j, c)]! * k![((c * 2 + i) * 3 + j) * 5 + o]!;
      want[n * 5 + o] = acc;
    }
  t.true(relError(got.dataSync(), want) < 1e-6);
});

test('layer arguments are checked', (t) => {
  t.throws(() => new CaffePool({ method: 'max', kernel: 2, pad: 2 }), { message: /pad must be smaller/ });
  t.throws(() => new CaffePool({ method: 'median' as 'max', kernel: 2 }), { message: /method must be one of/ });
  t.throws(() => new CaffeConv({ filters: 5, kernel: 3, group: 2 }), { message: /divisible by group/ });
  t.throws(() => new CaffeConv({ filters: 4, kernel: 0 }), { message: /kernel must be an integer ≥ 1/ });
  t.throws(() => new Crop({ offset: [-1, 0] }), { message: /offset/ });
});
