/**
 * Data-parallel SGD (src/runtime/parallel): with the batch's loss normalisers a shard's loss
 * and gradient are its exact part of the batch's; a ParallelTrainer step with 2 workers gives
 * the loss and the weights of a Trainer step on the whole batch, up to the float rounding of a
 * different summation order (measured bounds below); a worker's failure fails the step.
 */
import test, { type ExecutionContext } from 'ava';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import {
  emitNet,
  lossNormaliser,
  modelArtifacts,
  ParallelTrainer,
  Packing,
  shardGradient,
  shardRanges,
  Trainer,
  WorkerPool,
  workerEntry,
  type Batch,
  type SgdSettings,
} from '../src/runtime/index.js';
import { addon } from '../src/runtime/native/addon.js';
import { nativeMissing, useNative } from './helpers/native.js';
import { randn, relError, useWasm } from './helpers/tf.js';

const path = (p: string): string => fileURLToPath(new URL(`../${p}`, import.meta.url));
const MICRO = path('test/fixtures/train/micro.fcn');
const TWO_HEADS = path('test/fixtures/train/two-heads.fcn');
const TINY = path('nets/tiny-fcn8s.fcn');
const nativeSerial = nativeMissing ? test.skip : test.serial;
const SGD: SgdSettings = { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 };

test.before(async () => {
  await useWasm();
});

/** Seeded labels in [0, classes), about one in eight ignored (255). */
function randomLabels(shape: number[], classes: number, rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Int32Array.from({ length: n }, () => (rng.chance(0.125) ? 255 : rng.int(classes))),
    shape,
    'int32',
  );
}

/** A batch of `n` images of `size`, with labels for each label input. */
function randomBatch(n: number, size: number, labels: Record<string, number>, rng: Rng): Batch {
  const image = tf.add(tf.mul(randn([n, size, size, 3], rng), 50), 128) as tf.Tensor4D;
  return {
    inputs: { data: image },
    labels: Object.fromEntries(Object.entries(labels).map(([k, c]) => [k, randomLabels([n, size, size], c, rng)])),
  };
}

function disposeBatch(b: Batch): void {
  tf.dispose([...Object.values(b.inputs), ...Object.values(b.labels)]);
}

/** The largest relative error (relError) over every weight of two models. */
function weightsError(a: tf.LayersModel, b: tf.LayersModel): number {
  return Math.max(...a.weights.map((w, i) => relError(b.weights[i]!.read().dataSync(), w.read().dataSync())));
}

/**
 * The step a ParallelTrainer with 2 workers takes, on one thread: shard 0 then shard 1, each
 * with the batch's normalisers, their gradients summed in that order, then the Trainer's update.
 */
function shardsInOrder(trainer: Trainer, batch: Batch): number {
  const { model, info, variables } = trainer;
  const n = batch.inputs['data']!.shape[0];
  const normalisers = Object.fromEntries(
    info.losses.map((l) => [l.name, lossNormaliser(batch.labels[l.label]!.dataSync(), n, l)]),
  );
  const packing = new Packing(variables.map((v) => v.shape));
  const shards = shardRanges(n, 2).map(([a, b]) => {
    const part = (t: tf.Tensor) =>
      tf.slice(t, [a, ...t.shape.slice(1).map(() => 0)], [b - a, ...t.shape.slice(1).map(() => -1)]);
    const shard = {
      inputs: { data: part(batch.inputs['data']!) as tf.Tensor4D },
      labels: Object.fromEntries(Object.entries(batch.labels).map(([k, t]) => [k, part(t)])),
    };
    const g = shardGradient(model, info, variables, packing, shard, normalisers);
    disposeBatch(shard);
    return g;
  });
  const sum = shards[0]!.gradient;
  for (let i = 0; i < sum.length; i++) sum[i]! += shards[1]!.gradient[i]!;
  trainer.apply(packing.unpack(sum));
  return shards[0]!.loss + shards[1]!.loss;
}

/**
 * Trains three copies of `net` (same seed) side by side: a 2-worker ParallelTrainer, the same
 * shards computed in order on this thread, and a Trainer on the whole batch. Returns whether
 * the first two agree bit for bit at every step, and the largest relative differences of the
 * loss and of any weight tensor (relError) between the first and the third.
 */
async function compare(
  net: string,
  o: { input: number; batch: number; steps: number; labels: Record<string, number> },
): Promise<{ exact: boolean; loss: number; weights: number; moved: boolean }> {
  const [p, e, w] = [0, 1, 2].map(() => emitNet(net, { input: [o.input, o.input], seed: 7 }));
  const initial = w!.model.getWeights().map((t) => t.dataSync().slice());
  const parallel = await ParallelTrainer.create(p!.model, p!.info, SGD, { workers: 2 });
  const inOrder = new Trainer(e!.model, e!.info, SGD);
  const whole = new Trainer(w!.model, w!.info, SGD);
  const rng = new Rng(11);
  let exact = true;
  let loss = 0;
  let weights = 0;
  try {
    for (let i = 0; i < o.steps; i++) {
      const batch = randomBatch(o.batch, o.input, o.labels, rng);
      const got = await parallel.step(batch);
      exact &&= got === shardsInOrder(inOrder, batch);
      const want = whole.step(batch);
      disposeBatch(batch);
      exact &&= p!.model.weights.every((v, j) => bits(v.read()).equals(bits(e!.model.weights[j]!.read())));
      loss = Math.max(loss, Math.abs(got - want) / Math.abs(want));
      weights = Math.max(weights, weightsError(p!.model, w!.model));
    }
    const moved = w!.model.getWeights().some((t, i) => relError(t.dataSync(), initial[i]!) > 1e-3);
    return { exact, loss, weights, moved };
  } finally {
    parallel.dispose();
    inOrder.dispose();
    whole.dispose();
    for (const m of [p, e, w]) m!.model.dispose();
  }
}

/** A tensor's bytes. */
function bits(t: tf.Tensor): Buffer {
  const v = t.dataSync();
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

test('shards are contiguous and the first ones take the remainder: 3 → 2 + 1, 8 → 4 + 4, 7 → 3 + 2 + 2', (t) => {
  t.deepEqual(shardRanges(3, 2), [
    [0, 2],
    [2, 3],
  ]);
  t.deepEqual(shardRanges(8, 2), [
    [0, 4],
    [4, 8],
  ]);
  t.deepEqual(shardRanges(7, 3), [
    [0, 3],
    [3, 5],
    [5, 7],
  ]);
});

test('Packing puts tensors end to end and takes them apart again', (t) => {
  const p = new Packing([[2, 3], [4], [1, 1, 2]]);
  t.deepEqual(p.offsets, [0, 6, 10]);
  t.is(p.length, 12);
  const tensors = [tf.range(0, 6).reshape([2, 3]), tf.range(6, 10), tf.range(10, 12).reshape([1, 1, 2])];
  const packed = p.pack(tensors);
  t.deepEqual(
    Array.from(packed),
    Array.from({ length: 12 }, (_, i) => i),
  );
  const back = p.unpack(packed);
  back.forEach((b, i) => t.deepEqual(b.shape, tensors[i]!.shape));
  t.deepEqual(Array.from(back[2]!.dataSync()), [10, 11]);
  tf.dispose([...tensors, ...back]);
});

/**
 * Against a Trainer on the whole batch only the summation order differs. Measured on these
 * seeded runs: loss within 1.6e-6 relative; weight tensors within 4.9e-6 (tiny-fcn8s) and
 * 1.3e-5 (two-heads), the worst being a 2-element bias that started at 0 and whose gradient
 * is a sum of terms that nearly cancel; every other tensor within 1e-6.
 */
const LOSS_TOLERANCE = 5e-6;
const WEIGHTS_TOLERANCE = 3e-5;

function check(t: ExecutionContext, r: Awaited<ReturnType<typeof compare>>): void {
  t.log(r);
  t.true(r.exact, 'bit for bit the shards computed in order on one thread');
  t.true(r.moved, 'the weights learned');
  t.true(r.loss <= LOSS_TOLERANCE, `loss differs from the whole batch's by ${r.loss}`);
  t.true(r.weights <= WEIGHTS_TOLERANCE, `weights differ from the whole batch's by ${r.weights}`);
}

test('2 workers train micro.fcn as a Trainer does on the whole batch: 3 steps with momentum and weight decay', async (t) => {
  check(t, await compare(MICRO, { input: 16, batch: 4, steps: 3, labels: { label: 3 } }));
});

test.serial('on the cpu backend too (the workers take the main thread’s backend)', async (t) => {
  await tf.setBackend('cpu');
  try {
    check(t, await compare(MICRO, { input: 16, batch: 4, steps: 2, labels: { label: 3 } }));
  } finally {
    await tf.setBackend('wasm');
  }
});

nativeSerial(
  'on the native backend too: each worker keeps its own oneDNN caches and runs on its share of the cores',
  async (t) => {
    await useNative();
    const threads = addon().info().threads;
    try {
      check(t, await compare(TINY, { input: 64, batch: 4, steps: 3, labels: { label: 4 } }));
      t.is(addon().info().threads, threads, "the main thread's thread count is restored when the trainer is disposed");
    } finally {
      await tf.setBackend('wasm');
    }
  },
);

test('2 workers train tiny-fcn8s at 64x64, batch 4, as a Trainer does on the whole batch', async (t) => {
  check(t, await compare(TINY, { input: 64, batch: 4, steps: 3, labels: { label: 4 } }));
});

test('an odd batch of 3 is split 2 + 1 and still trains as the whole batch', async (t) => {
  check(t, await compare(MICRO, { input: 16, batch: 3, steps: 2, labels: { label: 3 } }));
});

test('a net with two losses (one by counted pixels, one by batch size, weighted) trains as the whole batch', async (t) => {
  check(t, await compare(TWO_HEADS, { input: 12, batch: 4, steps: 3, labels: { sem: 3, geo: 2 } }));
});

test("a worker's exception fails the step with its message, the trainer stays failed, and nothing hangs", async (t) => {
  const { model, info } = emitNet(MICRO, { input: [16, 16], seed: 1 });
  // A stand-in worker: ready at once, then throws on its first step.
  const script = `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (m) => {
      if (m.type === 'init') parentPort.postMessage({ type: 'ready' });
      else throw new Error('shard exploded');
    });`;
  const trainer = await ParallelTrainer.create(model, info, SGD, { workers: 2, entry: { script } });
  const batch = randomBatch(2, 16, { label: 3 }, new Rng(1));
  await t.throwsAsync(trainer.step(batch), { message: /worker 1: shard exploded/ });
  await t.throwsAsync(trainer.step(batch), { message: /shard exploded|stopped/ });
  t.is(trainer.iteration, 0, 'no update was applied');
  trainer.dispose();
  disposeBatch(batch);
});

test('a worker that exits mid-step fails the step; one that cannot start fails create', async (t) => {
  const { model, info } = emitNet(MICRO, { input: [16, 16], seed: 1 });
  const exits = `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (m) => (m.type === 'init' ? parentPort.postMessage({ type: 'ready' }) : process.exit(3)));`;
  const trainer = await ParallelTrainer.create(model, info, SGD, { workers: 2, entry: { script: exits } });
  const batch = randomBatch(2, 16, { label: 3 }, new Rng(1));
  await t.throwsAsync(trainer.step(batch), { message: /worker 1 exited \(code 3\)/ });
  trainer.dispose();
  disposeBatch(batch);
  await t.throwsAsync(
    ParallelTrainer.create(model, info, SGD, { workers: 2, entry: { script: "throw new Error('no wasm here')" } }),
    { message: /worker 1: no wasm here/ },
  );
});

test("the real worker reports an error of its own (a step without images) as the request's error", async (t) => {
  const { model, info } = emitNet(MICRO, { input: [16, 16], seed: 1 });
  const trainer = new Trainer(model, info, SGD);
  const artifacts = await modelArtifacts(model);
  const packing = new Packing(trainer.variables.map((v) => v.shape));
  const buffer = () => packing.shared().buffer as SharedArrayBuffer;
  const init = { type: 'init' as const, backend: 'wasm', artifacts, info, trainable: trainer.trainable };
  const pool = await WorkerPool.start(1, () => ({ ...init, weights: buffer(), gradient: buffer() }), workerEntry());
  const step = { type: 'step' as const, inputs: {}, labels: {}, normalisers: {} };
  await t.throwsAsync(pool.request(0, step), { message: 'worker 1: no data for input data' });
  pool.terminate();
  // Shared buffers that do not fit the weights fail the start.
  const small = new SharedArrayBuffer(12);
  await t.throwsAsync(
    WorkerPool.start(1, () => ({ ...init, weights: small, gradient: small }), workerEntry()),
    {
      message: /^worker 1: shared buffers of 3 and 3 values for \d+ weights/,
    },
  );
  trainer.dispose();
});
