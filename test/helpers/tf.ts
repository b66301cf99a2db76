/**
 * TensorFlow.js helpers for the runtime tests: the wasm backend with fcn's kernels (the cpu
 * backend is 40× slower), seeded random tensors, and running one computation on two backends.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/runtime/backend.js';
import { Rng } from '../../src/data/random.js';

/** Starts the wasm backend (once per process) and makes it current. */
export async function useWasm(): Promise<void> {
  await selectBackend('wasm');
  await tf.setBackend('wasm');
}

/** A tensor of seeded standard-normal values. */
export function randn(shape: number[], rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return tf.tensor(v, shape);
}

/** Runs `f` on `backend` and returns its outputs as plain arrays (the tensors are freed). */
export async function runOn(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => t.dataSync() as Float32Array);
    tf.dispose(list);
    return values;
  } finally {
    await tf.setBackend(before);
  }
}

/** Largest |a − b| divided by the largest |b| (a relative error that ignores tiny entries). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}
