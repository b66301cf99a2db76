/**
 * Timing a model: the median forward pass and (optionally) the median training step over
 * several runs after a warm-up, on random data; `benchNet` is `fcn bench`. Shared by bench/ scripts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Pair } from '../compiler/layers/types.js';
import { UserError } from '../diagnostics/index.js';
import type { ModelInfo } from './info.js';
import { loadModel } from './model-io.js';
import { analyzeNet, emitNet } from './net.js';
import { Trainer } from './train-step.js';
import { WasmHeapError, wasmHeapBytes } from './wasm-heap.js';
import { isDirectory } from '../util/output.js';

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

/** What `fcn bench --json` prints: the times, the throughput from the compiler's FLOP count, and where it ran. */
export interface BenchResult {
  net: string;
  forward_ms: number;
  train_step_ms?: number;
  backend: string;
  input: Pair;
  /** GFLOP/s of the forward pass; null when the net's FLOPs are unknown (a model whose .fcn file moved). */
  gflops: number | null;
  flops: number | null;
  runs: number;
  heap_mb: number | null;
}

const round = (x: number): number => Math.round(x * 100) / 100;

/**
 * Times a .fcn net (compiled and initialised here) or a model directory at `input`, on the
 * backend already chosen (`backend` names it in the result). Running out of the wasm heap is
 * a UserError that suggests a smaller input.
 */
export async function benchNet(
  target: string,
  options: BenchOptions & { net?: string; backend: string },
): Promise<BenchResult> {
  const { input } = options;
  const runs = options.runs ?? 3;
  let flops: number | null = null;
  let emitted: { model: tf.LayersModel; info: ModelInfo };
  if (isDirectory(target)) {
    emitted = await loadModel(target);
    try {
      flops = analyzeNet(emitted.info.source, { net: emitted.info.net, input }).analysis.cost.total.flops;
    } catch {
      flops = null; // the source moved or changed: time anyway, without GFLOP/s
    }
  } else {
    const net = emitNet(target, { input, ...(options.net ? { net: options.net } : {}) });
    flops = net.analysis.cost.total.flops;
    emitted = net;
  }
  try {
    const times = await benchModel(emitted.model, emitted.info, {
      input,
      runs,
      ...(options.train ? { train: true } : {}),
    });
    const gflops = flops === null ? null : flops / 1e9 / (times.forward_ms / 1000);
    return {
      net: emitted.info.net,
      forward_ms: round(times.forward_ms),
      ...(times.train_step_ms !== undefined ? { train_step_ms: round(times.train_step_ms) } : {}),
      backend: options.backend,
      input,
      gflops: gflops === null ? null : round(gflops),
      flops,
      runs,
      heap_mb: times.heap_mb ?? null,
    };
  } catch (e) {
    if (!(e instanceof WasmHeapError)) throw e;
    throw new UserError(`${e.message}; try a smaller --input, or a backend without the 4 GB limit`, 1);
  } finally {
    emitted.model.dispose();
  }
}
