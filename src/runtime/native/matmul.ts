/**
 * BatchMatMul on the native backend (native/src/matmul.cc, oneDNN's matmul): float32
 * operands of rank ≥ 2 with transposeA and transposeB, whose batch dimensions agree or one of
 * which has a batch of 1. Other broadcasts run on the cpu backend.
 */
import { backend_util, util, type BatchMatMulAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { addon } from './addon.js';
import type { NativeBackend } from './backend-class.js';
import { allFloat, withFallback, type Args } from './fallback.js';

function batchMatMul(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  if (!allFloat(a, b) || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const [ra, ca] = a.shape.slice(-2) as [number, number];
  const [rb, cb] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [ca, ra] : [ra, ca];
  const [kb, n] = transposeB ? [cb, rb] : [rb, cb];
  if (k !== kb) return undefined; // the cpu kernel says what is wrong
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const [batchA, batchB, batch] = [outerA, outerB, outer].map((s) => util.sizeFromShape(s)) as [number, number, number];
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
  const out = backend.output([...outer, m, n]);
  // An empty product, or an empty sum (k = 0): the zeros it was made with.
  if (out.values.length === 0 || k === 0) return out.info;
  const shape = Int32Array.from([batchA, batchB, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0]);
  addon().matmul(shape, backend.floats(a), backend.floats(b), out.values);
  return out.info;
}

/** BatchMatMul, falling back to the cpu kernel. */
export function matmulKernels(cpu: (name: string) => KernelConfig): KernelConfig[] {
  return [withFallback('BatchMatMul', cpu('BatchMatMul'), batchMatMul)];
}
