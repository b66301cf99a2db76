/**
 * Loads the native addon (native/, oneDNN) once, and says why when it cannot: not built
 * (oneDNN's headers were missing at install), or built but failing to load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** LRN's arguments before its arrays. */
type LrnParams = [channels: number, depthRadius: number, bias: number, alpha: number, beta: number];

/** The addon's functions; every array is NHWC float32 owned by JavaScript, outputs preallocated. */
export interface NativeAddon {
  /** The calling thread's OpenMP thread count. */
  setThreads(n: number): void;
  /**
   * oneDNN's version, the calling thread's thread count, the instruction set oneDNN's kernels
   * use, and the size of work below which the addon's own loops run on one thread.
   */
  info(): { onednn: string; threads: number; isa: string; parallelMin: number };
  convForward(
    geometry: Int32Array,
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    relu: boolean,
    weightKey: number,
  ): void;
  convBackwardData(geometry: Int32Array, dy: Float32Array, w: Float32Array, dx: Float32Array, weightKey: number): void;
  convBackwardWeights(
    geometry: Int32Array,
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    dbias: Float32Array | null,
  ): void;
  releaseWeights(weightKey: number): void;
  clearCaches(): void;
  cacheSizes(): { primitives: number; weights: number };
  maxPoolForward(geometry: Int32Array, x: Float32Array, y: Float32Array): void;
  maxPoolBackward(geometry: Int32Array, x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  avgPoolForward(geometry: Int32Array, x: Float32Array, y: Float32Array): void;
  avgPoolBackward(geometry: Int32Array, dy: Float32Array, dx: Float32Array): void;
  /** c = a · b per batch; shape [batchA, batchB, m, k, n, transposeA, transposeB], a batch of 1 broadcasts. */
  matmul(shape: Int32Array, a: Float32Array, b: Float32Array, c: Float32Array): void;
  /** LRN across the last axis (`channels` long), with tfjs's attributes. */
  lrnForward(...args: [...LrnParams, x: Float32Array, y: Float32Array]): void;
  lrnBackward(...args: [...LrnParams, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array]): void;
  /** out[i] = a[i] op b[(i / inner) % m] (or b op a with `swap`); op: add, sub, mul, div, max, min. */
  binary(
    op: number,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    inner: number,
    swap: boolean,
  ): void;
  relu(x: Float32Array, y: Float32Array): void;
  step(x: Float32Array, y: Float32Array, alpha: number): void;
  reluGrad(dy: Float32Array, y: Float32Array, dx: Float32Array): void;
  /** Sums a rows × cols matrix over its rows (`leading`) or its columns. */
  sum(x: Float32Array, out: Float32Array, rows: number, cols: number, leading: boolean): void;
  /**
   * Caffe's SoftmaxWithLoss over `channels`-long rows of scores: writes p − onehot (0 on ignored
   * pixels) to `grad` (unless null) and returns [Σ clamped log p[label] over counted pixels, counted pixels].
   */
  softmaxLoss(
    scores: Float32Array,
    labels: Int32Array,
    grad: Float32Array | null,
    channels: number,
    ignore: number,
    hasIgnore: boolean,
  ): Float64Array;
  sgdUpdate(
    w: Float32Array,
    g: Float32Array,
    h: Float32Array,
    wOut: Float32Array,
    hOut: Float32Array,
    rate: number,
    decay: number,
    momentum: number,
  ): void;
}

/** The repository's native/ folder (this file is src/runtime/native/ or dist/runtime/native/). */
export const NATIVE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native');

/** The one command that gets the native backend on Debian/Ubuntu. */
export const NATIVE_FIX = 'sudo apt-get install -y libdnnl-dev && npm run build:native';

let loaded: { addon?: NativeAddon; reason?: string } | undefined;

/** The addon, or why it is unavailable. */
export function loadAddon(): { addon?: NativeAddon; reason?: string } {
  if (loaded) return loaded;
  const file = join(NATIVE_DIR, 'build', 'Release', 'fcn_native.node');
  if (!existsSync(file)) {
    const skipped = join(NATIVE_DIR, 'build', 'skipped.txt');
    const why = existsSync(skipped) ? readFileSync(skipped, 'utf8').trim() : 'the addon was not built at install';
    loaded = { reason: `not built: ${why}; run \`${NATIVE_FIX}\`` };
    return loaded;
  }
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    const threads = Number(process.env['FCN_THREADS'] ?? 0);
    if (threads > 0) addon.setThreads(threads);
    loaded = { addon };
  } catch (e) {
    const text = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    loaded = { reason: `failed to load: ${text}; run \`${NATIVE_FIX}\`` };
  }
  return loaded;
}

/**
 * Sets the calling thread's oneDNN/OpenMP thread count (each thread keeps its own); returns a
 * function that restores the previous count.
 */
export function setNativeThreads(threads: number): () => void {
  const a = addon();
  const previous = a.info().threads;
  a.setThreads(threads);
  return () => a.setThreads(previous);
}

/** The addon; throws with the reason when it is unavailable. */
export function addon(): NativeAddon {
  const { addon: a, reason } = loadAddon();
  if (!a) throw new Error(`the native addon is ${reason}`);
  return a;
}
