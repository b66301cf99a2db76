/**
 * The initialisers: FCN's bilinear kernel exactly, Caffe's fan_in (including the
 * deconvolution's transposed blob shape), seeded determinism, and an emitted deconv's weights.
 */
import test from 'ava';
import type { Init } from '../src/compiler/layers/types.js';
import { emitModel } from '../src/runtime/emit.js';
import { bilinear1d, fanIn, initValues } from '../src/runtime/init.js';
import { IRBuilder } from './helpers/ir.js';
import { useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

test('bilinear weights along one axis follow FCN (factor = ceil(k/2), centre by parity)', (t) => {
  t.deepEqual(bilinear1d(4), [0.25, 0.75, 0.75, 0.25]);
  t.deepEqual(bilinear1d(3), [0.5, 1, 0.5]);
  t.deepEqual(bilinear1d(1), [1]);
  t.deepEqual(
    bilinear1d(16),
    [1, 3, 5, 7, 9, 11, 13, 15, 15, 13, 11, 9, 7, 5, 3, 1].map((v) => v / 16),
  );
  // k = 63 (FCN-AlexNet's ×32): factor 32, centre 31.
  const k63 = bilinear1d(63);
  t.is(k63[31], 1);
  t.is(k63[0], 1 / 32);
  t.is(k63[62], 1 / 32);
});

test('bilinear deconv kernel: the outer product on the diagonal, zero off it', (t) => {
  // tfjs deconv layout [kh, kw, out, in]; 3 classes, kernel 4.
  const w = initValues({ kind: 'bilinear' }, [4, 4, 3, 3], { kind: 'deconv', group: 1 }, 0, 'up/kernel');
  const f = [0.25, 0.75, 0.75, 0.25];
  for (let y = 0; y < 4; y++)
    for (let x = 0; x < 4; x++)
      for (let o = 0; o < 3; o++)
        for (let i = 0; i < 3; i++) t.is(w[((y * 4 + x) * 3 + o) * 3 + i], o === i ? Math.fround(f[y]! * f[x]!) : 0);
});

test('bilinear with groups fills each group on its own diagonal (one channel per group)', (t) => {
  // group = 3, 3 → 3 channels: each group is 1 in, 1 out: every channel gets the kernel.
  const w = initValues({ kind: 'bilinear' }, [2, 2, 1, 3], { kind: 'deconv', group: 3 }, 0, 'up/kernel');
  const f = bilinear1d(2);
  for (let y = 0; y < 2; y++)
    for (let x = 0; x < 2; x++) for (let i = 0; i < 3; i++) t.is(w[(y * 2 + x) * 3 + i], f[y]! * f[x]!);
});

test("fan_in is Caffe's count / shape[0] of the Caffe-shaped blob", (t) => {
  // conv (out 64, in 3/1, 3, 3): fan_in 27. tfjs [3, 3, 3, 64].
  t.is(fanIn([3, 3, 3, 64], { kind: 'conv', group: 1 }), 27);
  // grouped conv (out 256, in 96/2, 5, 5): fan_in 48·25 = 1200. tfjs [5, 5, 48, 256].
  t.is(fanIn([5, 5, 48, 256], { kind: 'conv', group: 2 }), 1200);
  // deconv (in 21, out 21, 4, 4): Caffe's shape[0] is the input: fan_in = 21·16.
  t.is(fanIn([4, 4, 21, 21], { kind: 'deconv', group: 1 }), 336);
  t.is(fanIn([4, 4, 5, 7], { kind: 'deconv', group: 1 }), 80);
  t.is(fanIn([100, 10], { kind: 'fc' }), 100);
});

test('random initialisers are deterministic per seed and per parameter name', (t) => {
  const inits: Init[] = [{ kind: 'gaussian', std: 0.01, mean: 0 }, { kind: 'xavier' }, { kind: 'msra' }];
  for (const init of inits) {
    const a = initValues(init, [3, 3, 4, 8], { kind: 'conv', group: 1 }, 7, 'conv1/kernel');
    const b = initValues(init, [3, 3, 4, 8], { kind: 'conv', group: 1 }, 7, 'conv1/kernel');
    t.deepEqual(a, b, init.kind);
    t.notDeepEqual(
      a,
      initValues(init, [3, 3, 4, 8], { kind: 'conv', group: 1 }, 8, 'conv1/kernel'),
      `${init.kind}: other seed`,
    );
    t.notDeepEqual(
      a,
      initValues(init, [3, 3, 4, 8], { kind: 'conv', group: 1 }, 7, 'conv2/kernel'),
      `${init.kind}: other name`,
    );
  }
});

test('xavier stays inside ±sqrt(3/fan_in); msra and gaussian have the right spread', (t) => {
  const shape = [3, 3, 16, 32];
  const layout = { kind: 'conv', group: 1 } as const;
  const a = Math.sqrt(3 / 144);
  const x = initValues({ kind: 'xavier' }, shape, layout, 1, 'c/kernel');
  t.true(x.every((v) => Math.abs(v) <= Math.fround(a)));
  t.true(Math.max(...x.map(Math.abs)) > 0.95 * a);
  const std = (v: Float32Array): number => Math.sqrt(v.reduce((s, e) => s + e * e, 0) / v.length);
  const m = initValues({ kind: 'msra' }, shape, layout, 1, 'c/kernel');
  t.true(Math.abs(std(m) / Math.sqrt(2 / 144) - 1) < 0.05, `msra std ${std(m)}`);
  const g = initValues({ kind: 'gaussian', std: 0.01, mean: 0 }, shape, layout, 1, 'c/kernel');
  t.true(Math.abs(std(g) / 0.01 - 1) < 0.05, `gaussian std ${std(g)}`);
  const c = initValues({ kind: 'constant', value: 0.5 }, [4], { kind: 'vector' }, 1, 'c/bias');
  t.deepEqual(Array.from(c), [0.5, 0.5, 0.5, 0.5]);
});

test('an emitted model is the same for the same seed and differs for another', (t) => {
  const b = new IRBuilder('seeded');
  b.input('data', 3);
  b.layer('conv1', 'conv', ['data'], { out: 4, kernel: 3 });
  b.layer('up', 'deconv', ['conv1'], {
    out: 4,
    kernel: 4,
    stride: 2,
    biasTerm: false,
    weight: { lr: 0, decay: 1, init: { kind: 'bilinear' } },
  });
  const ir = b.build();
  const weights = (seed: number) =>
    emitModel(ir, { offsets: new Map(), seed })
      .model.getWeights()
      .map((w) => Array.from(w.dataSync()));
  const [k1, b1, up1] = weights(3);
  const [k2, , up2] = weights(3);
  const [k3] = weights(4);
  t.deepEqual(k1, k2);
  t.notDeepEqual(k1, k3);
  t.deepEqual(up1, up2);
  t.true(
    b1!.every((v) => v === 0),
    'bias: constant(0)',
  );
});
