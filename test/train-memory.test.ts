/**
 * Memory of training on wasm, whose heap is capped at 4 GB and never shrinks: a convolution
 * with a large filter (VGG's fc6) runs without a packed copy of the filter; a training step
 * holds one weight's gradient at a time and updates weights and momentum in place; the heap,
 * the tensor count and the tensor bytes stay where the first step left them; an in-place
 * update drops XNNPack's packed weights (no stale forward pass) and never changes a tensor
 * that shares the buffer (a checkpoint's copy of the momentum).
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import type { IRGraph } from '../src/compiler/ir/types.js';
import { Rng } from '../src/data/random.js';
import { emitModel } from '../src/runtime/emit.js';
import { preferMatmul, preferMatmulForward, preferTapProducts } from '../src/runtime/kernels/index.js';
import { Trainer, type Batch } from '../src/runtime/train-step.js';
import { keepBuffers } from '../src/runtime/wasm-allocator.js';
import { wasmHeapBytes, WasmHeapError, type HeapBackend } from '../src/runtime/wasm-heap.js';
import { IRBuilder } from './helpers/ir.js';
import { randn, relError, useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

/** Counts the bytes tensors hold on the wasm heap, and their peak, by wrapping the module's malloc and free. */
function trackHeap() {
  const wasm = (tf.backend() as unknown as HeapBackend).wasm;
  const [malloc, free] = [wasm._malloc, wasm._free];
  const sizes = new Map<number, number>();
  const state = { live: 0, peak: 0 };
  wasm._malloc = (bytes: number) => {
    const at = malloc(bytes) >>> 0;
    sizes.set(at, bytes);
    state.live += bytes;
    state.peak = Math.max(state.peak, state.live);
    return at;
  };
  wasm._free = (at: number) => {
    state.live -= sizes.get(at >>> 0) ?? 0;
    sizes.delete(at >>> 0);
    free(at);
  };
  return {
    state,
    restore: () => Object.assign(wasm, { _malloc: malloc, _free: free }),
  };
}

/** Where a tensor's data lives on the wasm heap. */
const addressOf = (t: tf.Tensor): number =>
  (tf.backend() as unknown as HeapBackend).dataIdMap.get(t.dataId)!.memoryOffset;

test.serial('a tensor the heap cannot hold is a WasmHeapError, not address 0, and the backend goes on', (t) => {
  const before = tf.memory().numTensors;
  // 4 294 950 000 bytes: more than the 4 GB heap can ever hold, less than 2³² (which wasm's malloc would wrap).
  t.throws(() => tf.fill([1_073_737_500], 0), { instanceOf: WasmHeapError, message: /out of wasm memory/ });
  t.is(tf.memory().numTensors, before);
  const ones = tf.ones([3]);
  t.deepEqual([...ones.dataSync()], [1, 1, 1]);
  ones.dispose();
});

test.serial('a tensor larger than 2³² bytes is a WasmHeapError, not a wrapped-round small block', (t) => {
  const before = tf.memory().numTensors;
  // 4.4 GB: wasm32's malloc would take it modulo 2³², as 105 MB, and the kernel would write past it.
  t.throws(() => tf.fill([1_100_000_000], 0), { instanceOf: WasmHeapError, message: /cannot allocate 4196 MB/ });
  t.is(tf.memory().numTensors, before);
});

test.serial('a kept buffer size gets the same block back after a free, until it is released', (t) => {
  const backend = tf.backend() as unknown as HeapBackend;
  const shape = [3, 1000, 1001];
  const release = keepBuffers(backend, [3 * 1000 * 1001 * 4]);
  const first = tf.zeros(shape);
  const at = addressOf(first);
  first.dispose();
  const blocker = tf.zeros([1000]); // would take the freed block's start if it had gone back to malloc
  const second = tf.zeros(shape);
  t.is(addressOf(second), at);
  second.dispose();
  release();
  tf.dispose(blocker);
});

test.serial(
  'a convolution with a large filter runs as matrix products: the cpu result, and no packed copy of the filter',
  async (t) => {
    // fc6-like: 7×7×256×672 (34 MB) on a few pixels. XNNPack's Conv2D would add a transposed and a packed copy.
    const rng = new Rng(11);
    const xv = randn([1, 9, 9, 256], rng).dataSync() as Float32Array;
    const wv = new Float32Array(7 * 7 * 256 * 672);
    for (let i = 0; i < wv.length; i++) wv[i] = rng.normal() * 0.05;
    const x = tf.tensor4d(xv, [1, 9, 9, 256]);
    const w = tf.tensor4d(wv, [7, 7, 256, 672]);
    t.true(preferMatmulForward(w.shape, x.shape, [1, 3, 3, 672]));
    const before = wasmHeapBytes()!;
    const y = tf.conv2d(x, w, 1, 'valid');
    const got = y.dataSync() as Float32Array;
    const grown = wasmHeapBytes()! - before;
    t.true(grown < wv.byteLength, `the heap grew by ${grown} bytes for a ${wv.byteLength}-byte filter`);
    tf.dispose([x, w, y]);
    await tf.setBackend('cpu');
    const want = tf.tidy(() =>
      tf.conv2d(tf.tensor4d(xv, [1, 9, 9, 256]), tf.tensor4d(wv, [7, 7, 256, 672]), 1, 'valid'),
    );
    const expected = want.dataSync() as Float32Array;
    want.dispose();
    await tf.setBackend('wasm');
    t.true(relError(got, expected) < 1e-5, `relative error ${relError(got, expected)}`);
  },
);

test.serial(
  'the per-tap filter gradient of wide stride-1 layers is the definition (padding, batch 2, odd sizes)',
  (t) => {
    const rng = new Rng(12);
    const xv = randn([2, 25, 27, 256], rng).dataSync() as Float32Array;
    const dyv = randn([2, 24, 27, 256], rng).dataSync() as Float32Array;
    const pad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ];
    const info = tf.backend_util.computeConv2DInfo([2, 25, 27, 256], [3, 3, 256, 256], 1, 1, pad);
    // Not the matrix-product form (the filter does not outweigh the activations), but the per-tap one.
    t.false(preferMatmul([3, 3, 256, 256], [2, 25, 27, 256], info.outShape));
    t.true(preferTapProducts(info));
    t.deepEqual(info.outShape, [2, 24, 27, 256]);
    const x = tf.tensor4d(xv, [2, 25, 27, 256]);
    const dy = tf.tensor4d(dyv, [2, 24, 27, 256]);
    const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC', filterShape: [3, 3, 256, 256] };
    const dw = tf
      .engine()
      .runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    const got = dw.dataSync() as Float32Array;
    // The definition in plain tfjs ops (the cpu backend takes a minute here):
    // dW[a, b] = Σ over output pixels of x_padded[a + i, b + j]ᵀ · dy[i, j].
    const want = tf.tidy(() => {
      const xp = tf.pad(x, pad.slice(0, 4) as Array<[number, number]>);
      const rows = tf.reshape(dy, [-1, 256]);
      const taps: tf.Tensor[] = [];
      for (let a = 0; a < 3; a++)
        for (let b = 0; b < 3; b++) {
          const tap = tf.reshape(tf.slice(xp, [0, a, b, 0], [2, 24, 27, 256]), [-1, 256]);
          taps.push(tf.matMul(tf.transpose(tap) as tf.Tensor2D, rows as tf.Tensor2D));
        }
      return tf.reshape(tf.stack(taps), [3, 3, 256, 256]);
    });
    const expected = want.dataSync() as Float32Array;
    tf.dispose([x, dy, dw, want]);
    t.true(relError(got, expected) < 1e-5, `relative error ${relError(got, expected)}`);
  },
);

/** Two small convs, then three wide 1×1 layers that hold most of the weights (as fc6/fc7 do in VGG), and a loss. */
function wideNet(): IRGraph {
  const b = new IRBuilder('wide');
  b.input('data', 3);
  b.input('label', 1, { kind: 'label' });
  b.layer('conv1', 'conv', ['data'], { out: 16, kernel: 3, pad: 1 });
  b.layer('relu1', 'relu', ['conv1']);
  b.layer('pool1', 'pool', ['relu1'], { kernel: 2, stride: 2 });
  b.layer('conv2', 'conv', ['pool1'], { out: 32, kernel: 3, pad: 1 });
  b.layer('relu2', 'relu', ['conv2']);
  b.layer('pool2', 'pool', ['relu2'], { kernel: 2, stride: 2 });
  b.layer('fc6', 'conv', ['pool2'], { out: 1024, kernel: 3 });
  b.layer('relu6', 'relu', ['fc6']);
  b.layer('fc7', 'conv', ['relu6'], { out: 1024, kernel: 1 });
  b.layer('relu7', 'relu', ['fc7']);
  b.layer('fc8', 'conv', ['relu7'], { out: 1024, kernel: 1 });
  b.layer('relu8', 'relu', ['fc8']);
  b.layer('score', 'conv', ['relu8'], { out: 5, kernel: 1 });
  b.layer('loss', 'softmax_loss', ['score', 'label'], { normalize: false });
  return b.build();
}

function wideBatch(rng: Rng): Batch {
  return {
    inputs: { data: randn([1, 24, 24, 3], rng) as tf.Tensor4D },
    labels: {
      label: tf.tensor3d(
        Array.from({ length: 16 }, (_, i) => i % 5),
        [1, 4, 4],
        'int32',
      ),
    },
  };
}

test.serial(
  'training steps hold one gradient at a time, update in place, and leave heap and tensors as the warm-up left them',
  (t) => {
    const { model, info } = emitModel(wideNet(), { offsets: new Map(), seed: 1 });
    const trainer = new Trainer(model, info, { lr: 1e-3, momentum: 0.9, weightDecay: 5e-4 });
    const batch = wideBatch(new Rng(2));
    const weightBytes = model.weights
      .filter((w) => trainer.trainable.includes(w.originalName))
      .map((w) => w.read().size * 4);
    const largest = Math.max(...weightBytes);
    t.true(weightBytes.reduce((a, b) => a + b, 0) > 2 * largest, 'the test needs weights spread over several layers');
    // Two warm-up steps: the first packs and allocates everything, the second settles the allocator's free lists.
    for (let step = 0; step < 2; step++) t.true(Number.isFinite(trainer.step(batch)));
    const heap = wasmHeapBytes();
    const { numTensors, numBytes } = tf.memory();
    const buffers = model.weights.map((w) => w.read().dataId);
    const tracker = trackHeap();
    try {
      for (let step = 2; step < 6; step++) {
        const base = tracker.state.live;
        tracker.state.peak = base;
        t.true(Number.isFinite(trainer.step(batch)));
        // All gradients at once (tf.variableGrads) would be the sum of weightBytes; a copy-on-update adds two weights more.
        const extra = tracker.state.peak - base;
        t.true(extra < 2 * largest, `step ${step} needed ${extra} bytes more; one gradient is at most ${largest}`);
        t.is(tracker.state.live, base, `step ${step} left tensors behind`);
        t.is(wasmHeapBytes(), heap, `the heap grew at step ${step}`);
        t.deepEqual([tf.memory().numTensors, tf.memory().numBytes], [numTensors, numBytes]);
      }
    } finally {
      tracker.restore();
    }
    model.weights.forEach((w, i) => t.is(w.read().dataId, buffers[i], `${w.originalName} was reallocated`));
    trainer.dispose();
    model.dispose();
    tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.labels)]);
  },
);

test.serial(
  'after an in-place update the forward pass uses the new weights, and a saved momentum keeps its values',
  (t) => {
    const ir = wideNet();
    const { model, info } = emitModel(ir, { offsets: new Map(), seed: 3 });
    const trainer = new Trainer(model, info, { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
    const batch = wideBatch(new Rng(4));
    const x = batch.inputs['data']!;
    trainer.step(batch);
    // A forward pass now makes XNNPack pack every conv filter, keyed by the weight's tensor.
    tf.dispose(model.predict(x));
    const saved = trainer.state();
    const savedValues = Object.fromEntries(Object.entries(saved.history).map(([k, v]) => [k, v.dataSync().slice()]));
    const before = model.getWeights().map((w) => w.dataSync().slice());
    trainer.step(batch);
    const after = model.getWeights().map((w) => w.dataSync().slice());
    t.true(
      after.some((w, i) => relError(w, before[i]!) > 1e-3),
      'the step must change the weights for this test to mean anything',
    );
    for (const [name, h] of Object.entries(saved.history)) t.deepEqual(h.dataSync(), savedValues[name], name);
    // A model built from the updated values (new tensors, nothing cached) must agree exactly.
    const fresh = emitModel(ir, { offsets: new Map(), seed: 3, init: false });
    const values = after.map((v, i) => tf.tensor(v, model.getWeights()[i]!.shape));
    fresh.model.setWeights(values);
    tf.dispose(values);
    const got = (model.predict(x) as tf.Tensor).dataSync();
    const want = (fresh.model.predict(x) as tf.Tensor).dataSync();
    t.deepEqual(got, want);
    tf.dispose(Object.values(saved.history));
    trainer.dispose();
    model.dispose();
    fresh.model.dispose();
  },
);
