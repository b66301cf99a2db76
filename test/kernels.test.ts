/**
 * The kernels fcn registers on wasm (Conv2DBackpropFilter, and Conv2DBackpropInput rebuilt on
 * XNNPack) against the cpu backend's reference kernels, on seeded random shapes: strides,
 * pads (explicit and the 100-pixel pad), odd and anisotropic sizes, batches. Also the native
 * wasm kernels a training step relies on (pool gradients, LRN and its gradient).
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import { WASM_KERNELS } from '../src/runtime/kernels/index.js';
import { randn, relError, runOn, useWasm } from './helpers/tf.js';

const TOL = 1e-5;

test.before(async () => {
  await useWasm();
});

type Pad = [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: [number, number];
  s: [number, number];
  pad: Pad;
}

function randomConvCase(rng: Rng): ConvCase {
  const k: [number, number] = [1 + rng.int(5), 1 + rng.int(5)];
  const s: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
  const p = (kk: number): [number, number] => [rng.int(kk), rng.int(kk)];
  return convCase(1 + rng.int(2), k[0] + rng.int(12), k[1] + rng.int(12), 1 + rng.int(5), 1 + rng.int(5), k, s, [
    ...p(k[0]),
    ...p(k[1]),
  ]);
}

/** A case with [top, bottom, left, right] padding. */
function convCase(
  n: number,
  h: number,
  w: number,
  cin: number,
  cout: number,
  k: [number, number],
  s: [number, number],
  p: number[],
): ConvCase {
  return {
    n,
    h,
    w,
    cin,
    cout,
    k,
    s,
    pad: [
      [0, 0],
      [p[0]!, p[1]!],
      [p[2]!, p[3]!],
      [0, 0],
    ],
  };
}

const FIXED: ConvCase[] = [
  // VGG-like 3×3 pad 1; AlexNet conv1 (11×11 stride 4); the FCN 100-pixel pad; 1×1 scores; anisotropic.
  convCase(1, 9, 7, 3, 5, [3, 3], [1, 1], [1, 1, 1, 1]),
  convCase(1, 23, 21, 3, 4, [11, 11], [4, 4], [5, 5, 5, 5]),
  convCase(1, 5, 6, 2, 3, [3, 3], [1, 1], [100, 100, 100, 100]),
  convCase(2, 8, 8, 4, 3, [1, 1], [1, 1], [0, 0, 0, 0]),
  convCase(1, 11, 10, 4, 6, [3, 2], [2, 3], [0, 2, 1, 0]),
  // fc6-like: the filter outweighs the activations, so both gradients take the matrix-product path.
  convCase(1, 8, 7, 16, 24, [7, 7], [1, 1], [0, 0, 0, 0]),
  convCase(1, 3, 4, 8, 12, [3, 3], [1, 1], [2, 1, 0, 2]),
  convCase(2, 9, 9, 20, 20, [5, 3], [2, 3], [1, 0, 2, 1]),
];

function describe(c: ConvCase): string {
  return `${c.n}×${c.h}×${c.w}×${c.cin}→${c.cout} k${c.k} s${c.s} p${JSON.stringify(c.pad.slice(1, 3))}`;
}

test('Conv2DBackpropFilter and Conv2DBackpropInput are registered on wasm', (t) => {
  for (const name of Object.keys(WASM_KERNELS)) t.truthy(tf.getKernel(name, 'wasm'), name);
});

test('conv filter and input gradients match the cpu backend on random shapes', async (t) => {
  const rng = new Rng(4, 1);
  const cases = [...FIXED, ...Array.from({ length: 12 }, () => randomConvCase(rng))];
  for (const c of cases) {
    const x = randn([c.n, c.h, c.w, c.cin], rng);
    const w = randn([...c.k, c.cin, c.cout], rng);
    const f = (): tf.Tensor[] => {
      const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.s, c.pad);
      const dy = tf.sin(tf.add(y, 1));
      return [
        tf.conv2dTranspose(
          dy as tf.Tensor4D,
          w as tf.Tensor4D,
          x.shape as [number, number, number, number],
          c.s,
          c.pad,
        ),
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: w.shape },
          ) as tf.Tensor,
      ];
    };
    const [dxW, dwW] = await runOn('wasm', f);
    const [dxC, dwC] = await runOn('cpu', f);
    t.true(relError(dxW!, dxC!) < TOL, `dx ${describe(c)}: ${relError(dxW!, dxC!)}`);
    t.true(relError(dwW!, dwC!) < TOL, `dW ${describe(c)}: ${relError(dwW!, dwC!)}`);
    tf.dispose([x, w]);
  }
});

test('transposed convolution (deconv) forward and both gradients match the cpu backend', async (t) => {
  const rng = new Rng(4, 2);
  // FCN's ×2 (k4 s2), ×8 (k16 s8), AlexNet's ×32 (k63 s32), a padded one, an anisotropic one.
  const cases = [
    { h: 5, w: 6, cin: 3, cout: 3, k: [4, 4], s: [2, 2], p: [0, 0] },
    { h: 4, w: 3, cin: 2, cout: 4, k: [16, 16], s: [8, 8], p: [0, 0] },
    { h: 2, w: 3, cin: 2, cout: 2, k: [63, 63], s: [32, 32], p: [0, 0] },
    { h: 4, w: 5, cin: 3, cout: 2, k: [3, 3], s: [2, 2], p: [1, 1] },
    { h: 5, w: 4, cin: 2, cout: 3, k: [4, 3], s: [2, 3], p: [1, 0] },
    { h: 3, w: 3, cin: 3, cout: 2, k: [5, 5], s: [1, 1], p: [2, 2] },
  ];
  for (const c of cases) {
    const oh = c.s[0]! * (c.h - 1) + c.k[0]! - 2 * c.p[0]!;
    const ow = c.s[1]! * (c.w - 1) + c.k[1]! - 2 * c.p[1]!;
    const x = randn([1, c.h, c.w, c.cin], rng);
    const w = randn([c.k[0]!, c.k[1]!, c.cout, c.cin], rng);
    const pad: Pad = [
      [0, 0],
      [c.p[0]!, c.p[0]!],
      [c.p[1]!, c.p[1]!],
      [0, 0],
    ];
    const f = (): tf.Tensor[] => {
      const run = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
        tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [1, oh, ow, c.cout], c.s as [number, number], pad);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.sin(run(a, b))));
      return [run(x, w), ...g([x, w])];
    };
    const wasm = await runOn('wasm', f);
    const cpu = await runOn('cpu', f);
    for (let i = 0; i < 3; i++)
      t.true(
        relError(wasm[i]!, cpu[i]!) < TOL,
        `deconv ${JSON.stringify(c)} output ${i}: ${relError(wasm[i]!, cpu[i]!)}`,
      );
    tf.dispose([x, w]);
  }
});

test('pooling gradients with explicit (ceil-mode) padding match the cpu backend', async (t) => {
  const rng = new Rng(4, 3);
  for (let i = 0; i < 10; i++) {
    const k: [number, number] = [2 + rng.int(2), 2 + rng.int(2)];
    const s: [number, number] = [1 + rng.int(2), 1 + rng.int(2)];
    const pad: Pad = [
      [0, 0],
      [rng.int(k[0]), rng.int(k[0]) + 1],
      [rng.int(k[1]), rng.int(k[1]) + 1],
      [0, 0],
    ];
    const x = randn([1, 4 + rng.int(9), 4 + rng.int(9), 1 + rng.int(4)], rng);
    const f = (): tf.Tensor[] => [
      tf.grad((a: tf.Tensor) => tf.sum(tf.sin(tf.maxPool(a as tf.Tensor4D, k, s, pad))))(x),
      tf.grad((a: tf.Tensor) => tf.sum(tf.sin(tf.avgPool(a as tf.Tensor4D, k, s, 'valid'))))(x),
    ];
    const wasm = await runOn('wasm', f);
    const cpu = await runOn('cpu', f);
    t.true(relError(wasm[0]!, cpu[0]!) < TOL, `MaxPoolGrad k${k} s${s} ${JSON.stringify(pad)}`);
    t.true(relError(wasm[1]!, cpu[1]!) < TOL, `AvgPoolGrad k${k} s${s}`);
    x.dispose();
  }
});

test('MaxPoolGrad of 2x2 stride-2 windows that tile the input (its fast path) matches the cpu backend, ties and all-zero windows included', async (t) => {
  const rng = new Rng(4, 5);
  // After a ReLU: many zeros (whole windows of them, and ties), and values rounded so that ties are common.
  const values = Array.from({ length: 2 * 6 * 8 * 5 }, () => Math.max(0, Math.round(rng.normal() * 2) / 2));
  const x = tf.tensor4d(values, [2, 6, 8, 5]);
  const weights = randn([2, 3, 4, 5], rng);
  const f = (): tf.Tensor[] => [
    tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), weights)))(x),
  ];
  const wasm = await runOn('wasm', f);
  const cpu = await runOn('cpu', f);
  t.deepEqual(Array.from(wasm[0]!), Array.from(cpu[0]!));
  tf.dispose([x, weights]);
});

test('LRN and its gradient match the cpu backend', async (t) => {
  const rng = new Rng(4, 4);
  const x = randn([1, 5, 6, 11], rng);
  const f = (): tf.Tensor[] => {
    const lrn = (a: tf.Tensor): tf.Tensor => tf.localResponseNormalization(a as tf.Tensor4D, 2, 1, 1e-4 / 5, 0.75);
    return [lrn(x), tf.grad((a: tf.Tensor) => tf.sum(tf.sin(lrn(a))))(x)];
  };
  const wasm = await runOn('wasm', f);
  const cpu = await runOn('cpu', f);
  t.true(relError(wasm[0]!, cpu[0]!) < TOL);
  t.true(relError(wasm[1]!, cpu[1]!) < TOL);
  x.dispose();
});
