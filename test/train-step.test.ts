/**
 * The training step: Caffe's SoftmaxWithLoss value (ignore label, both normalisations, a
 * batch's normaliser given to its shards), SGD
 * with momentum and weight decay equal to a direct float32 computation of Caffe's update, a
 * frozen (lr 0) weight bit-identical after training, and an optimizer state that resumes
 * exactly.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../src/compiler/analysis/index.js';
import { Rng } from '../src/data/random.js';
import { emitModel } from '../src/runtime/emit.js';
import { lossNormaliser, softmaxLoss } from '../src/runtime/loss.js';
import { clipGradients, Trainer, type Batch } from '../src/runtime/train-step.js';
import { IRBuilder } from './helpers/ir.js';
import { toyFcn } from './helpers/toy-fcn.js';
import { randn, useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

test("softmaxLoss is Caffe's: ignored pixels count for nothing; normalize divides by the counted pixels, else by the batch", (t) => {
  const scores = tf.tensor4d([1, 2, 0, 0.5, -1, 3, 2, 2, 2, 0, 0, 9], [2, 1, 2, 3]);
  const labels = tf.tensor3d([2, 255, 1, 0], [2, 1, 2], 'int32');
  const logp = (s: number[], k: number): number => s[k]! - Math.log(s.reduce((a, v) => a + Math.exp(v), 0));
  const terms = [logp([1, 2, 0], 2), logp([2, 2, 2], 1), logp([0, 0, 9], 0)];
  const sum = -terms.reduce((a, b) => a + b, 0);
  const norm = softmaxLoss(scores, labels, { ignore: 255, normalize: true, weight: 1 }).dataSync()[0]!;
  const batch = softmaxLoss(scores, labels, { ignore: 255, normalize: false, weight: 2 }).dataSync()[0]!;
  t.true(Math.abs(norm - sum / 3) < 1e-5, `${norm} vs ${sum / 3}`);
  t.true(Math.abs(batch - (2 * sum) / 2) < 1e-5, `${batch} vs ${sum}`);
  // The gradient is (p − onehot)·weight/normaliser on counted pixels and zero on ignored ones.
  const g = tf
    .grad((s: tf.Tensor) => softmaxLoss(s as tf.Tensor4D, labels, { ignore: 255, normalize: true, weight: 1 }))(scores)
    .arraySync() as number[][][][];
  t.deepEqual(g[0]![0]![1]!.map(Math.abs), [0, 0, 0]);
  const p = [1, 2, 0].map((v) => Math.exp(v) / (Math.exp(1) + Math.exp(2) + 1));
  g[0]![0]![0]!.forEach((v, k) => t.true(Math.abs(v - (p[k]! - (k === 2 ? 1 : 0)) / 3) < 1e-6));
});

test("the batch's normaliser: VALID counts the labels that are not ignored (at least 1), BATCH_SIZE is the batch size", (t) => {
  const params = { ignore: 255, normalize: true, weight: 1 };
  t.is(lossNormaliser([0, 255, 2, 1, 255], 2, params), 3);
  t.is(lossNormaliser([255, 255], 2, params), 1);
  t.is(lossNormaliser([0, 255, 2], 2, { normalize: true, weight: 1 }), 3);
  t.is(lossNormaliser([0, 255, 2], 4, { ...params, normalize: false }), 4);
});

test("with the batch's normaliser, the shards' losses and score gradients are exactly the batch's parts", (t) => {
  const rng = new Rng(4);
  const scores = randn([4, 3, 5, 6], rng) as tf.Tensor4D;
  const labels = tf.tensor3d(
    Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? 255 : (i * 5) % 6)),
    [4, 3, 5],
    'int32',
  );
  for (const params of [
    { ignore: 255, normalize: true, weight: 1 },
    { ignore: 255, normalize: false, weight: 0.5 },
  ]) {
    const normaliser = lossNormaliser(labels.dataSync(), 4, params);
    const lossAndGrad = (s: tf.Tensor4D, l: tf.Tensor, p: typeof params & { normaliser?: number }) => {
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => softmaxLoss(x as tf.Tensor4D, l, p))(s);
      return { value: value.dataSync()[0]!, grad: grad.dataSync() };
    };
    const whole = lossAndGrad(scores, labels, params);
    const parts = [
      [0, 1],
      [1, 4],
    ].map(([a, b]) =>
      lossAndGrad(scores.slice([a, 0, 0, 0], [b - a, -1, -1, -1]), labels.slice([a, 0, 0], [b - a, -1, -1]), {
        ...params,
        normaliser,
      }),
    );
    // Each pixel's gradient is computed alike: bit for bit the whole batch's.
    t.deepEqual(new Float32Array([...parts[0]!.grad, ...parts[1]!.grad]), whole.grad);
    const sum = parts[0]!.value + parts[1]!.value;
    t.true(Math.abs(sum - whole.value) <= 1e-6 * Math.abs(whole.value), `${sum} vs ${whole.value}`);
  }
});

/** A one-layer net (1×1 conv scores) with a frozen second conv, for exact update checks. */
function tinyNet() {
  const b = new IRBuilder('tiny');
  b.input('data', 2);
  b.input('label', 1, { kind: 'label' });
  b.layer('frozen', 'conv', ['data'], {
    out: 3,
    kernel: 1,
    weight: { lr: 0, decay: 1, init: { kind: 'msra' } },
    bias: { lr: 0, decay: 0, init: { kind: 'constant', value: 0.1 } },
  });
  b.layer('score', 'conv', ['frozen'], {
    out: 3,
    kernel: 1,
    weight: { lr: 1, decay: 1, init: { kind: 'gaussian', std: 0.5, mean: 0 } },
    bias: { lr: 2, decay: 0, init: { kind: 'constant', value: 0 } },
  });
  b.layer('loss', 'softmax_loss', ['score', 'label'], { normalize: false });
  return b.build();
}

function batchFor(rng: Rng): Batch {
  return {
    inputs: { data: randn([1, 3, 4, 2], rng) as tf.Tensor4D },
    labels: { label: tf.tensor3d([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2], [1, 3, 4], 'int32') },
  };
}

for (const backend of ['wasm', 'cpu']) {
  test(`SGD with momentum and weight decay equals Caffe's update computed directly (${backend})`, async (t) => {
    await tf.setBackend(backend);
    try {
      const rng = new Rng(3, 1);
      const { model, info } = emitModel(tinyNet(), { offsets: new Map(), seed: 9 });
      const settings = { lr: 0.05, momentum: 0.9, weightDecay: 0.01 };
      const trainer = new Trainer(model, info, settings);
      t.deepEqual(trainer.trainable, ['score/kernel', 'score/bias']);
      const f = Math.fround;
      const weightsOf = (name: string) => model.weights.find((w) => w.originalName === name)!.read();
      const frozenBefore = ['frozen/kernel', 'frozen/bias'].map((n) => weightsOf(n).dataSync().slice());
      let w = Float32Array.from(weightsOf('score/kernel').dataSync());
      let bias = Float32Array.from(weightsOf('score/bias').dataSync());
      let hw = new Float32Array(w.length);
      let hb = new Float32Array(bias.length);
      for (let step = 0; step < 3; step++) {
        const batch = batchFor(rng);
        // The gradient from a separate tape, then Caffe's update in float32 by hand.
        const kernelVar = weightsOf('score/kernel') as tf.Variable;
        const biasVar = weightsOf('score/bias') as tf.Variable;
        const { grads } = tf.variableGrads(() => trainer.loss(batch), [kernelVar, biasVar]);
        const gw = grads[kernelVar.name]!.dataSync();
        const gb = grads[biasVar.name]!.dataSync();
        const update = (v: Float32Array, h: Float32Array, g: ArrayLike<number>, lrMult: number, decayMult: number) => {
          const rate = f(f(settings.lr) * f(lrMult));
          const decay = f(f(settings.weightDecay) * f(decayMult));
          const nh = h.map((hv, i) =>
            f(f(rate * (decay === 0 ? g[i]! : f(f(decay * v[i]!) + g[i]!))) + f(f(settings.momentum) * hv)),
          );
          return [v.map((vv, i) => f(vv - nh[i]!)), nh] as const;
        };
        [w, hw] = update(w, hw, gw, 1, 1);
        [bias, hb] = update(bias, hb, gb, 2, 0);
        trainer.step(batch);
        t.deepEqual(weightsOf('score/kernel').dataSync(), w, `kernel after step ${step}`);
        t.deepEqual(weightsOf('score/bias').dataSync(), bias, `bias after step ${step}`);
      }
      // lr multiplier 0: never written, bit-identical.
      t.deepEqual(
        ['frozen/kernel', 'frozen/bias'].map((n) => weightsOf(n).dataSync()),
        frozenBefore,
      );
      trainer.dispose();
      model.dispose();
    } finally {
      await tf.setBackend('wasm');
    }
  });
}

test('the frozen bilinear deconvolutions of an FCN stay bit-identical while the rest learns', (t) => {
  const ir = toyFcn();
  const { model, info } = emitModel(ir, { offsets: analyze(ir).crops.offsets, seed: 2 });
  const trainer = new Trainer(model, info, { lr: 1e-3, momentum: 0.9, weightDecay: 5e-4 });
  const get = (n: string) =>
    model.weights
      .find((w) => w.originalName === n)!
      .read()
      .dataSync()
      .slice();
  const before = { up: get('upscore2/kernel'), up2: get('upscore/kernel'), conv: get('conv2/kernel') };
  const rng = new Rng(5);
  const x = randn([1, 20, 24, 3], rng) as tf.Tensor4D;
  const labels = tf.tensor3d(
    Array.from({ length: 480 }, (_, i) => (i % 7 === 0 ? 255 : i % 3)),
    [1, 20, 24],
    'int32',
  );
  const losses = [0, 1, 2].map(() => trainer.step({ inputs: { data: x }, labels: { label: labels } }));
  t.true(losses.every(Number.isFinite));
  t.deepEqual(get('upscore2/kernel'), before.up);
  t.deepEqual(get('upscore/kernel'), before.up2);
  t.notDeepEqual(get('conv2/kernel'), before.conv);
  t.false(trainer.trainable.includes('upscore2/kernel'));
  trainer.dispose();
  model.dispose();
});

test('the optimizer state resumes exactly where it stopped', (t) => {
  const rng = new Rng(8);
  const batches = [batchFor(rng), batchFor(rng), batchFor(rng)];
  const settings = { lr: 0.1, momentum: 0.9, weightDecay: 1e-3 };
  const a = emitModel(tinyNet(), { offsets: new Map(), seed: 4 });
  const ta = new Trainer(a.model, a.info, settings);
  for (const b of batches) ta.step(b);

  const b = emitModel(tinyNet(), { offsets: new Map(), seed: 4 });
  const tb = new Trainer(b.model, b.info, settings);
  tb.step(batches[0]!);
  const state = tb.state();
  const weights = b.model.getWeights().map((w) => w.clone());
  const c = emitModel(tinyNet(), { offsets: new Map(), seed: 99 });
  c.model.setWeights(weights);
  const tc = new Trainer(c.model, c.info, settings);
  tc.restore(state);
  t.is(tc.iteration, 1);
  tc.step(batches[1]!);
  tc.step(batches[2]!);
  a.model.getWeights().forEach((w, i) => t.deepEqual(c.model.getWeights()[i]!.dataSync(), w.dataSync()));
  t.throws(() => tc.restore({ iteration: 0, history: {} }), { message: /no history for score\/kernel/ });
});

test.serial(
  "clip_gradients: a step whose gradients' joint L2 norm exceeds it scales them all by clip/norm before Caffe's update",
  (t) => {
    const rng = new Rng(3, 2);
    const { model, info } = emitModel(tinyNet(), { offsets: new Map(), seed: 9 });
    const settings = { lr: 0.05, momentum: 0.9, weightDecay: 0.01, clipGradients: 10 };
    const trainer = new Trainer(model, info, settings);
    const weightsOf = (name: string) => model.weights.find((w) => w.originalName === name)!.read() as tf.Variable;
    let w = Float64Array.from(weightsOf('score/kernel').dataSync());
    let bias = Float64Array.from(weightsOf('score/bias').dataSync());
    let hw = new Float64Array(w.length);
    let hb = new Float64Array(bias.length);
    const clipped: boolean[] = [];
    for (let step = 0; step < 4; step++) {
      const batch = batchFor(rng);
      const [kernelVar, biasVar] = [weightsOf('score/kernel'), weightsOf('score/bias')];
      const { grads } = tf.variableGrads(() => trainer.loss(batch), [kernelVar, biasVar]);
      const gw = Array.from(grads[kernelVar.name]!.dataSync());
      const gb = Array.from(grads[biasVar.name]!.dataSync());
      // Caffe's ClipGradients, in float64 here: one norm over both weights, on the raw gradients.
      const norm = Math.sqrt([...gw, ...gb].reduce((a, g) => a + g * g, 0));
      const k = norm > settings.clipGradients ? settings.clipGradients / norm : 1;
      clipped.push(k < 1);
      const update = (v: Float64Array, h: Float64Array, g: number[], lrMult: number, decayMult: number) => {
        const nh = h.map(
          (hv, i) =>
            settings.lr * lrMult * (g[i]! * k + settings.weightDecay * decayMult * v[i]!) + settings.momentum * hv,
        );
        return [v.map((vv, i) => vv - nh[i]!), nh] as const;
      };
      [w, hw] = update(w, hw, gw, 1, 1);
      [bias, hb] = update(bias, hb, gb, 2, 0);
      trainer.step(batch);
      const close = (got: ArrayLike<number>, want: Float64Array) =>
        Array.from(got).every((v, i) => Math.abs(v - want[i]!) <= 1e-6 * Math.max(1, Math.abs(want[i]!)));
      t.true(close(weightsOf('score/kernel').dataSync(), w), `kernel after step ${step}`);
      t.true(close(weightsOf('score/bias').dataSync(), bias), `bias after step ${step}`);
    }
    // The steps straddle the threshold: some are clipped and some not (else the test proves nothing).
    t.deepEqual([clipped.includes(true), clipped.includes(false)], [true, true], `clipped: ${clipped}`);
    trainer.dispose();
    model.dispose();
  },
);

test('clipGradients leaves gradients under the norm untouched and scales those above it to exactly the norm', (t) => {
  const a = tf.tensor1d([3, 0]);
  const b = tf.tensor1d([4]);
  const kept = clipGradients([a, b], 5);
  t.is(kept[0], a, 'a norm of exactly 5 is not above 5: the same tensors');
  const scaled = clipGradients([tf.tensor1d([3, 0]), tf.tensor1d([4])], 2.5);
  t.deepEqual([Array.from(scaled[0]!.dataSync()), Array.from(scaled[1]!.dataSync())], [[1.5, 0], [2]]);
  tf.dispose([a, b, ...scaled]);
});
