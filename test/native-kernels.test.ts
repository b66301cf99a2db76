/**
 * Every kernel of the native backend (the oneDNN addon) against the cpu backend's reference
 * kernels on seeded random shapes: strides, explicit and asymmetric pads, dilations, odd and
 * non-square sizes, batches > 1. Relative error below 1e-4 (float32 sums in another order).
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import { addon } from '../src/runtime/native/addon.js';
import { softmaxLoss } from '../src/runtime/loss.js';
import { broadcastRun } from '../src/runtime/native/eltwise.js';
import { nativeTest, useNative } from './helpers/native.js';
import { randn, relError, runOn } from './helpers/tf.js';

const TOL = 1e-4;

test.before(async () => {
  await useNative();
});

type Pad4 = [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: [number, number];
  s: [number, number];
  d: [number, number];
  pad: Pad4;
}

function randomCase(rng: Rng, dilated: boolean): Case {
  const k: [number, number] = [1 + rng.int(5), 1 + rng.int(5)];
  const d: [number, number] = dilated ? [1 + rng.int(3), 1 + rng.int(3)] : [1, 1];
  const s: [number, number] = dilated ? [1, 1] : [1 + rng.int(3), 1 + rng.int(3)];
  const extent = (i: 0 | 1): number => d[i] * (k[i] - 1) + 1;
  return {
    n: 1 + rng.int(3),
    h: extent(0) + rng.int(13),
    w: extent(1) + rng.int(13),
    cin: 1 + rng.int(20),
    cout: 1 + rng.int(20),
    k,
    s,
    d,
    pad: [
      [0, 0],
      [rng.int(k[0] + 1), rng.int(k[0] + 1)],
      [rng.int(k[1] + 1), rng.int(k[1] + 1)],
      [0, 0],
    ],
  };
}

/** A case with [top, bottom, left, right] padding. */
function convCase(
  n: number,
  h: number,
  w: number,
  cin: number,
  cout: number,
  k: number[],
  s: number[],
  d: number[],
  p: number[],
): Case {
  const pair = (v: number[]): [number, number] => [v[0]!, v[1]!];
  return {
    n,
    h,
    w,
    cin,
    cout,
    k: pair(k),
    s: pair(s),
    d: pair(d),
    pad: [
      [0, 0],
      [p[0]!, p[1]!],
      [p[2]!, p[3]!],
      [0, 0],
    ],
  };
}

/** VGG's 3×3, AlexNet's 11×11/4, FCN's pad 100, 1×1 scores, fc6-like 7×7 over few pixels, wide channels, dilation. */
const FIXED: Case[] = [
  convCase(1, 9, 7, 3, 5, [3, 3], [1, 1], [1, 1], [1, 1, 1, 1]),
  convCase(1, 23, 21, 3, 4, [11, 11], [4, 4], [1, 1], [5, 5, 5, 5]),
  convCase(1, 5, 6, 2, 3, [3, 3], [1, 1], [1, 1], [100, 100, 100, 100]),
  convCase(2, 8, 8, 16, 21, [1, 1], [1, 1], [1, 1], [0, 0, 0, 0]),
  convCase(1, 8, 7, 32, 40, [7, 7], [1, 1], [1, 1], [0, 0, 0, 0]),
  convCase(2, 13, 11, 64, 72, [3, 3], [2, 1], [1, 1], [0, 2, 1, 0]),
  convCase(1, 12, 14, 8, 8, [3, 3], [1, 1], [2, 3], [2, 2, 3, 3]),
];

const describe = (c: Case): string =>
  `${c.n}×${c.h}×${c.w}×${c.cin}→${c.cout} k${c.k} s${c.s} d${c.d} p${JSON.stringify(c.pad.slice(1, 3))}`;

/** Runs `f` on native and on cpu and asserts every output agrees. */
async function agree(t: import('ava').ExecutionContext, label: string, f: () => tf.Tensor[]): Promise<void> {
  const native = await runOn('native', f);
  const cpu = await runOn('cpu', f);
  t.is(native.length, cpu.length);
  for (let i = 0; i < cpu.length; i++) {
    const e = relError(native[i]!, cpu[i]!);
    t.true(e < TOL, `${label} output ${i}: relative error ${e}`);
  }
}

nativeTest('Conv2D, FusedConv2D (bias, ReLU) and both conv gradients match the cpu backend', async (t) => {
  const rng = new Rng(10, 1);
  const cases = [...FIXED, ...Array.from({ length: 10 }, (_, i) => randomCase(rng, i % 3 === 2))];
  for (const c of cases) {
    const x = randn([c.n, c.h, c.w, c.cin], rng) as tf.Tensor4D;
    const w = randn([...c.k, c.cin, c.cout], rng) as tf.Tensor4D;
    const bias = randn([c.cout], rng) as tf.Tensor1D;
    const f = (): tf.Tensor[] => {
      const y = tf.conv2d(x, w, c.s, c.pad, 'NHWC', c.d);
      const fused = tf.fused.conv2d({
        x,
        filter: w,
        strides: c.s,
        pad: c.pad,
        dilations: c.d,
        bias,
        activation: 'relu',
      });
      if (c.d[0] > 1 || c.d[1] > 1) return [y, fused]; // tfjs has no gradient for dilated convs
      const dy = tf.sin(tf.add(y, 1)) as tf.Tensor4D;
      return [
        y,
        fused,
        tf.conv2dTranspose(dy, w, x.shape, c.s, c.pad),
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: w.shape },
          ) as tf.Tensor,
      ];
    };
    await agree(t, describe(c), f);
    tf.dispose([x, w, bias]);
  }
});

nativeTest('the transposed convolution (deconv) and its gradients match the cpu backend', async (t) => {
  const rng = new Rng(10, 2);
  // FCN's ×2 (k4 s2), ×8 (k16 s8), AlexNet's ×32 (k63 s32), padded, anisotropic, batch 2.
  const cases = [
    { n: 1, h: 5, w: 6, cin: 21, cout: 21, k: [4, 4], s: [2, 2], p: [0, 0] },
    { n: 1, h: 4, w: 3, cin: 2, cout: 4, k: [16, 16], s: [8, 8], p: [0, 0] },
    { n: 1, h: 2, w: 3, cin: 2, cout: 2, k: [63, 63], s: [32, 32], p: [0, 0] },
    { n: 2, h: 4, w: 5, cin: 3, cout: 2, k: [3, 3], s: [2, 2], p: [1, 1] },
    { n: 1, h: 5, w: 4, cin: 2, cout: 3, k: [4, 3], s: [2, 3], p: [1, 0] },
  ];
  for (const c of cases) {
    const oh = c.s[0]! * (c.h - 1) + c.k[0]! - 2 * c.p[0]!;
    const ow = c.s[1]! * (c.w - 1) + c.k[1]! - 2 * c.p[1]!;
    const x = randn([c.n, c.h, c.w, c.cin], rng);
    const w = randn([c.k[0]!, c.k[1]!, c.cout, c.cin], rng);
    const pad: Pad4 = [
      [0, 0],
      [c.p[0]!, c.p[0]!],
      [c.p[1]!, c.p[1]!],
      [0, 0],
    ];
    const f = (): tf.Tensor[] => {
      const run = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
        tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [c.n, oh, ow, c.cout], c.s as [number, number], pad);
      return [run(x, w), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.sin(run(a, b))))([x, w])];
    };
    await agree(t, `deconv ${JSON.stringify(c)}`, f);
    tf.dispose([x, w]);
  }
});

nativeTest("grouped convolution in the addon equals the groups' separate convolutions", async (t) => {
  const rng = new Rng(10, 3);
  // AlexNet's conv2: group 2, pad 2, 5×5; and a strided 3×3 with 4 groups.
  for (const [g, k, s, p, cin, cout] of [
    [2, 5, 1, 2, 8, 12],
    [4, 3, 2, 1, 16, 8],
  ] as const) {
    const [n, h, w] = [2, 11, 9];
    const x = randn([n, h, w, cin], rng);
    const kernel = randn([k, k, cin / g, cout], rng);
    const pad: Pad4 = [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ];
    const ref = await runOn('cpu', () => {
      const xs = tf.split(x, g, 3);
      const ks = tf.split(kernel, g, 3);
      return [
        tf.concat(
          xs.map((xi, i) => tf.conv2d(xi as tf.Tensor4D, ks[i] as tf.Tensor4D, s, pad)),
          3,
        ),
      ];
    });
    const oh = Math.floor((h + 2 * p - k) / s) + 1;
    const ow = Math.floor((w + 2 * p - k) / s) + 1;
    const y = new Float32Array(n * oh * ow * cout);
    const geometry = Int32Array.from([n, h, w, cin, oh, ow, cout, k, k, s, s, 1, 1, p, p, p, p, g]);
    addon().convForward(geometry, x.dataSync() as Float32Array, kernel.dataSync() as Float32Array, null, y, false, 0);
    t.true(relError(y, ref[0]!) < TOL, `group ${g}: ${relError(y, ref[0]!)}`);
    tf.dispose([x, kernel]);
  }
});

nativeTest(
  "max and average pooling with Caffe's ceil-mode padding, and their gradients, match the cpu backend",
  async (t) => {
    const rng = new Rng(10, 4);
    // 12 random cases, then 2 past the addon's serial threshold (info().parallelMin): every thread.
    for (let i = 0; i < 14; i++) {
      const k: [number, number] = [2 + rng.int(2), 2 + rng.int(2)];
      const s: [number, number] = [1 + rng.int(2), 1 + rng.int(2)];
      // Pads below the kernel (Caffe's rule): a window wholly in padding has no maximum.
      const pad: Pad4 = [
        [0, 0],
        [rng.int(k[0]), rng.int(k[0])],
        [rng.int(k[1]), rng.int(k[1])],
        [0, 0],
      ];
      const shape = i < 12 ? [1 + rng.int(2), 4 + rng.int(9), 4 + rng.int(9), 1 + rng.int(40)] : [2, 41, 37, 24 + i];
      const x = randn(shape, rng);
      const f = (): tf.Tensor[] => {
        const max = (a: tf.Tensor): tf.Tensor => tf.maxPool(a as tf.Tensor4D, k, s, pad);
        // Average pooling 'valid' only: with padding, the cpu backend's gradient divides by the
        // whole window while its forward pass divides by the cells inside (native-gradcheck covers it).
        const avg = (a: tf.Tensor): tf.Tensor => tf.avgPool(a as tf.Tensor4D, k, s, 'valid');
        return [
          max(x),
          avg(x),
          tf.grad((a: tf.Tensor) => tf.sum(tf.sin(max(a))))(x),
          tf.grad((a: tf.Tensor) => tf.sum(tf.sin(avg(a))))(x),
        ];
      };
      await agree(t, `pool ${x.shape} k${k} s${s} ${JSON.stringify(pad)}`, f);
      x.dispose();
    }
  },
);

nativeTest('max pooling sends a tied window’s gradient to its first maximum, as Caffe does', async (t) => {
  const x = tf.tensor4d([1, 1, 1, 1], [1, 2, 2, 1]);
  const [dx] = await runOn('native', () => [
    tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(x),
  ]);
  t.deepEqual([...dx!], [1, 0, 0, 0]);
  x.dispose();
});

/**
 * The shapes of the elementwise cases: a small one, which the addon runs on the calling thread,
 * and one past the addon's serial threshold (info().parallelMin), which runs on every thread.
 */
const ELTWISE_SHAPES: Array<[number, number, number, number]> = [
  [2, 7, 5, 6],
  [2, 40, 33, 26],
];

nativeTest('the elementwise shapes cover the serial and the parallel path', (t) => {
  const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  const { parallelMin } = addon().info();
  t.true(size(ELTWISE_SHAPES[0]!) < parallelMin);
  t.true(size(ELTWISE_SHAPES[1]!) >= parallelMin);
});

nativeTest(
  'elementwise kernels with broadcasts, ReLU, Step, sums, slices and pads match the cpu backend',
  async (t) => {
    const rng = new Rng(10, 5);
    for (const shape of ELTWISE_SHAPES) {
      const [n, h, w, c] = shape;
      const x = randn(shape, rng);
      const y = randn(shape, rng);
      const bias = randn([c], rng);
      const mask = randn([n, h, w, 1], rng);
      const row = randn([w, 1], rng);
      const f = (): tf.Tensor[] => [
        tf.add(x, y),
        tf.sub(x, bias),
        tf.sub(bias, x),
        tf.mul(x, mask),
        tf.div(x, 3),
        tf.div(2, tf.add(tf.abs(x), 1)),
        tf.maximum(x, 0.25),
        tf.minimum(y, x),
        tf.mul(x, row), // a run in the middle: broadcast over the batch, rows and channels
        tf.relu(x),
        tf.step(x, 0.5),
        tf.sum(x, [0, 1, 2]),
        tf.sum(x, -1),
        tf.sum(x, [2, 3], true),
        tf.sum(x),
        tf.sum(x, [1]), // a middle axis: the cpu kernel
        tf.slice(x, [1, 2, 1, 0], [1, 4, 3, 6]),
        tf.slice(x, [0, 0, 0, 2], [2, 7, 5, 3]),
        tf.pad(x, [
          [0, 0],
          [3, 1],
          [0, 2],
          [0, 0],
        ]),
        tf.pad(
          x,
          [
            [1, 0],
            [0, 0],
            [0, 0],
            [2, 1],
          ],
          -1,
        ),
        tf.zerosLike(x),
      ];
      await agree(t, `eltwise ${shape}`, f);
      tf.dispose([x, y, bias, mask, row]);
    }
  },
);

nativeTest(
  "Caffe's softmax loss (ignore label, both normalisations, a loss weight, a label past the classes) and its gradient match the cpu backend",
  async (t) => {
    const rng = new Rng(10, 9);
    // [N, H, W, C]: a small map (the calling thread) and one past the serial threshold.
    for (const shape of [
      [2, 5, 7, 4],
      [2, 48, 40, 21],
    ] as Array<[number, number, number, number]>) {
      const scores = tf.mul(randn(shape, rng), 4) as tf.Tensor4D;
      const [n, h, w, c] = shape;
      const labels = tf.tensor3d(
        // one in eight ignored (255); one in fifty past the classes (tf.oneHot picks nothing: the cpu path's rule)
        Int32Array.from({ length: n * h * w }, () => (rng.chance(0.125) ? 255 : rng.chance(0.02) ? c + 3 : rng.int(c))),
        [n, h, w],
        'int32',
      );
      for (const params of [
        { ignore: 255, normalize: true, weight: 1 },
        { ignore: 255, normalize: false, weight: 0.5 },
        { normalize: true, weight: 1, normaliser: 37 },
      ]) {
        const f = (): tf.Tensor[] => {
          const { value, grad } = tf.valueAndGrad((s: tf.Tensor) => softmaxLoss(s as tf.Tensor4D, labels, params))(
            scores,
            tf.scalar(1.5),
          );
          return [value, grad];
        };
        await agree(t, `softmax loss ${shape} ${JSON.stringify(params)}`, f);
      }
      tf.dispose([scores, labels]);
    }
  },
);

nativeTest('broadcastRun finds the contiguous run of shared dims, or refuses', (t) => {
  t.deepEqual(broadcastRun([6], [2, 7, 5, 6]), { m: 6, inner: 1 });
  t.deepEqual(broadcastRun([2, 7, 5, 1], [2, 7, 5, 6]), { m: 70, inner: 6 });
  t.deepEqual(broadcastRun([], [2, 3]), { m: 1, inner: 1 });
  t.deepEqual(broadcastRun([5, 1], [2, 7, 5, 6]), { m: 5, inner: 6 });
  t.is(broadcastRun([2, 1, 5, 1], [2, 7, 5, 6]), undefined);
});

nativeTest('a weight’s reordered copy is cached across calls and dropped when the weight is freed', (t) => {
  const rng = new Rng(10, 6);
  addon().clearCaches();
  const x = randn([1, 10, 10, 16], rng) as tf.Tensor4D;
  const w = randn([3, 3, 16, 32], rng) as tf.Tensor4D;
  const a = tf.conv2d(x, w, 1, 'same').dataSync();
  const cached = addon().cacheSizes();
  const b = tf.conv2d(x, w, 1, 'same').dataSync();
  t.deepEqual(addon().cacheSizes(), cached, 'a repeated shape builds nothing new');
  t.deepEqual([...a], [...b]);
  const before = cached.weights;
  w.dispose();
  t.is(addon().cacheSizes().weights, before - (before > 0 ? 1 : 0));
  x.dispose();
});

nativeTest('clearCaches() drops the cached matmul primitives with the convolutions’', (t) => {
  const rng = new Rng(10, 10);
  addon().clearCaches();
  t.is(addon().cacheSizes().primitives, 0);
  const a = randn([3, 7, 5], rng);
  const b = randn([3, 5, 4], rng);
  tf.matMul(a, b).dispose();
  t.is(addon().cacheSizes().primitives, 1, 'one matmul primitive');
  addon().clearCaches();
  t.is(addon().cacheSizes().primitives, 0);
  tf.dispose([a, b]);
});

nativeTest("info() names oneDNN's instruction set by its 2.6 name", (t) => {
  const known = [
    'sse41',
    'avx',
    'avx2',
    'avx2_vnni',
    'avx512_mic',
    'avx512_mic_4ops',
    'avx512_core',
    'avx512_core_vnni',
    'avx512_core_bf16',
    'avx512_core_amx',
  ];
  t.true(known.includes(addon().info().isa), addon().info().isa);
});

nativeTest(
  "LRN across channels and its gradient match the cpu backend (Caffe's sizes 3, 5, 7 and odd channels)",
  async (t) => {
    const rng = new Rng(10, 7);
    // AlexNet's norm1 (size 5, alpha 1e-4, beta 0.75, k 1) scaled up so the normaliser matters,
    // GoogLeNet's, a radius past the channel count, and k ≠ 1; odd shapes, batch 2.
    const cases = [
      { shape: [1, 9, 7, 20], r: 2, bias: 1, alpha: 0.2, beta: 0.75 },
      { shape: [2, 5, 6, 13], r: 1, bias: 2, alpha: 0.5, beta: 0.5 },
      { shape: [1, 4, 3, 3], r: 3, bias: 1, alpha: 1, beta: 0.75 },
      { shape: [2, 3, 8, 1], r: 2, bias: 0.5, alpha: 0.1, beta: 1.5 },
      { shape: [1, 6, 5, 64], r: 2, bias: 1, alpha: 1e-4 / 5, beta: 0.75 },
      // past the addon's serial threshold (info().parallelMin): every thread
      { shape: [2, 30, 26, 40], r: 2, bias: 1, alpha: 0.2, beta: 0.75 },
    ];
    for (const c of cases) {
      const x = tf.mul(randn(c.shape, rng), 3) as tf.Tensor4D;
      const f = (): tf.Tensor[] => {
        const run = (a: tf.Tensor): tf.Tensor =>
          tf.localResponseNormalization(a as tf.Tensor4D, c.r, c.bias, c.alpha, c.beta);
        return [run(x), tf.grad((a: tf.Tensor) => tf.sum(tf.sin(run(a))))(x)];
      };
      await agree(t, `lrn ${JSON.stringify(c)}`, f);
      x.dispose();
    }
  },
);

nativeTest(
  'BatchMatMul with transposes, batches and a broadcast batch, and its gradients, match the cpu backend',
  async (t) => {
    const rng = new Rng(10, 8);
    // [a's shape, b's shape, transposeA, transposeB]: an fc layer (1×25088 · 25088×40 scaled down),
    // every transpose pair, rank 3 and 4 batches, a batch of 1 on either side, odd sizes.
    const cases: Array<[number[], number[], boolean, boolean]> = [
      [[1, 301], [301, 40], false, false],
      [[7, 5], [5, 3], false, false],
      [[5, 7], [5, 3], true, false],
      [[7, 5], [3, 5], false, true],
      [[5, 7], [3, 5], true, true],
      [[3, 4, 6], [3, 6, 2], false, false],
      [[2, 3, 6, 4], [2, 3, 2, 6], true, true],
      [[1, 4, 6], [5, 6, 3], false, false],
      [[5, 4, 6], [6, 3], false, false],
      [[2, 9, 1], [2, 1, 8], false, false],
      [[2, 1, 4, 3], [1, 3, 3, 5], false, false], // a broadcast on both sides: the cpu kernel
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const a = randn(sa, rng);
      const b = randn(sb, rng);
      // The gradients are matmuls too, with the other transposes (tfjs has none for a broadcast batch).
      const sameBatch = sa.length === sb.length && sa.slice(0, -2).every((d, i) => d === sb[i]);
      const f = (): tf.Tensor[] => [
        tf.matMul(a, b, ta, tb),
        ...(sameBatch ? tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.sin(tf.matMul(x, y, ta, tb))))([a, b]) : []),
      ];
      await agree(t, `matmul ${sa} · ${sb} ${ta} ${tb}`, f);
      tf.dispose([a, b]);
    }
  },
);
