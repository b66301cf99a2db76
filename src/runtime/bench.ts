/**
 * Timing a model: the median forward pass and (optionally) the median training step over
 * several runs after a warm-up, on random data. Shared by `fcn bench` and bench/ scripts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Pair } from '../compiler/layers/types.js';
import type { ModelInfo } from './info.js';
import { Trainer } from './train-step.js';
import { wasmHeapBytes } from './wasm-heap.js';

export interface BenchOptions {
  input: Pair;
  /** Timed runs after one warm-up (default 3). */
  runs?: number;
  train?: boolean;
}

export interface BenchTimes {
  forward_ms: number;
  train_step_ms?: number;
  /** The wasm heap's high-water mark in MB (it never shrinks); absent on other backends. */
  heap_mb?: number;
}

/** The wasm heap's size in MB, when the backend is wasm. */
function heapMb(): { heap_mb?: number } {
  const bytes = wasmHeapBytes();
  return bytes === undefined ? {} : { heap_mb: Math.round(bytes / 2 ** 20) };
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function timeRuns(runs: number, f: () => Promise<void>): Promise<number> {
  await f(); // warm-up: kernel setup, first allocations
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Random inputs of the model at `size`, by input name. */
export function randomInputs(info: ModelInfo, [h, w]: Pair): Record<string, tf.Tensor4D> {
  return Object.fromEntries(
    info.inputs.map((i) => [i.name, tf.randomNormal([1, h, w, i.channels], 0, 50, 'float32', 1) as tf.Tensor4D]),
  );
}

/** Times `model` at the given input size. */
export async function benchModel(model: tf.LayersModel, info: ModelInfo, options: BenchOptions): Promise<BenchTimes> {
  const runs = options.runs ?? 3;
  // The optimizer state first: on wasm's 4 GB heap, allocating it before the forward passes fragment the heap matters.
  const trainer = options.train
    ? new Trainer(model, info, { lr: 1e-14, momentum: 0.99, weightDecay: 5e-4 })
    : undefined;
  const inputs = randomInputs(info, options.input);
  const feeds = info.inputs.map((i) => inputs[i.name]!);
  const feed = feeds.length === 1 ? feeds[0]! : feeds;
  const forward_ms = await timeRuns(runs, async () => {
    const out = model.predict(feed);
    const list = Array.isArray(out) ? out : [out];
    // Reading back forces the work on backends that run asynchronously.
    await Promise.all(list.map((t) => t.data()));
    tf.dispose(list);
  });
  if (!trainer) {
    tf.dispose(feeds);
    return { forward_ms, ...heapMb() };
  }
  const labels = randomLabels(model, info, feed);
  const train_step_ms = await timeRuns(runs, async () => {
    trainer.step({ inputs, labels });
  });
  trainer.dispose();
  tf.dispose([...feeds, ...Object.values(labels)]);
  return { forward_ms, train_step_ms, ...heapMb() };
}

function randomLabels(
  model: tf.LayersModel,
  info: ModelInfo,
  feed: tf.Tensor | tf.Tensor[],
): Record<string, tf.Tensor> {
  const out = model.predict(feed);
  const list = Array.isArray(out) ? out : [out];
  const labels: Record<string, tf.Tensor> = {};
  for (const loss of info.losses) {
    const [n, h, w, c] = list[info.outputs.indexOf(loss.score)]!.shape as number[];
    labels[loss.label] = tf.randomUniform([n!, h!, w!], 0, c!, 'int32', 2);
  }
  tf.dispose(list);
  return labels;
}
