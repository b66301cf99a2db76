/**
 * The elementwise kernels of the native backend (native/src/eltwise.cc): Add, Sub, Multiply,
 * RealDiv, Maximum and Minimum with the broadcasts FCNs use, Relu, Step, Sum over leading or
 * trailing axes, and ZerosLike. The cpu backend's versions are single-threaded and index every
 * broadcast element through generic strides: in a VGG training step they took 70 % of the time.
 */
import { backend_util, util, type KernelConfig, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs';
import { addon } from './addon.js';
import type { NativeBackend } from './backend-class.js';
import { allFloat, withFallback, type Args } from './fallback.js';

const OPS = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3, Maximum: 4, Minimum: 5 } as const;

/**
 * How `shape` broadcasts to `out` as the addon's (m, inner): the dims it shares with `out`
 * must be one contiguous run (others 1); m is their size, inner the size of the dims after.
 * Undefined for any other broadcast.
 */
export function broadcastRun(shape: number[], out: number[]): { m: number; inner: number } | undefined {
  const r = out.length;
  const s = [...Array<number>(r - shape.length).fill(1), ...shape];
  let lo = -1;
  let hi = -1;
  for (let d = 0; d < r; d++) {
    if (s[d] === out[d] && out[d] !== 1) {
      if (lo < 0) lo = d;
      else if (hi >= 0) return undefined; // a second run
      continue;
    }
    if (s[d] !== 1) return undefined;
    if (lo >= 0 && hi < 0) hi = d;
  }
  if (lo < 0) return { m: 1, inner: 1 };
  const end = hi < 0 ? r : hi;
  let m = 1;
  for (let d = lo; d < end; d++) m *= out[d]!;
  let inner = 1;
  for (let d = end; d < r; d++) inner *= out[d]!;
  return { m, inner };
}

function binary(op: keyof typeof OPS) {
  return (args: Args, backend: NativeBackend): TensorInfo | undefined => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (!allFloat(a, b)) return undefined;
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const n = util.sizeFromShape(outShape);
    // One operand must be the full output; the other is broadcast (or full too).
    const [full, other, swap] = util.sizeFromShape(a.shape) === n ? [a, b, false] : [b, a, true];
    if (util.sizeFromShape(full.shape) !== n) return undefined;
    const run = broadcastRun(other.shape, outShape);
    if (!run) return undefined;
    const out = backend.output(outShape);
    addon().binary(OPS[op], backend.floats(full), backend.floats(other), out.values, run.m, run.inner, swap);
    return out.info;
  };
}

function unary(f: (x: Float32Array, y: Float32Array, attrs: Args['attrs']) => void) {
  return (args: Args, backend: NativeBackend): TensorInfo | undefined => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!allFloat(x)) return undefined;
    const out = backend.output(x.shape);
    f(backend.floats(x), out.values, args.attrs);
    return out.info;
  };
}

function sum(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  if (!allFloat(x)) return undefined;
  const rank = x.shape.length;
  const axes = [...util.parseAxisParam(axis, x.shape)].sort((p, q) => p - q);
  const leading = axes.every((a, i) => a === i);
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  if (!leading && !trailing) return undefined;
  const reduced = axes.reduce((s, a) => s * x.shape[a]!, 1);
  const kept = util.sizeFromShape(x.shape) / Math.max(reduced, 1);
  const shape = keepDims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i));
  const out = backend.output(shape);
  if (reduced === 0) return out.info;
  // Leading axes: rows = reduced, cols = kept; trailing: rows = kept, cols = reduced.
  if (leading) addon().sum(backend.floats(x), out.values, reduced, kept, true);
  else addon().sum(backend.floats(x), out.values, kept, reduced, false);
  return out.info;
}

function zerosLike(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { x } = args.inputs as { x: TensorInfo };
  if (!allFloat(x)) return undefined;
  return backend.output(x.shape).info; // a new Float32Array is already zero
}

/** The elementwise kernels, each falling back to the cpu kernel of the same name. */
export function eltwiseKernels(cpu: (name: string) => KernelConfig): KernelConfig[] {
  return [
    ...(Object.keys(OPS) as Array<keyof typeof OPS>).map((op) => withFallback(op, cpu(op), binary(op))),
    withFallback(
      'Relu',
      cpu('Relu'),
      unary((x, y) => addon().relu(x, y)),
    ),
    withFallback(
      'Step',
      cpu('Step'),
      unary((x, y, attrs) => addon().step(x, y, (attrs as { alpha?: number }).alpha ?? 0)),
    ),
    withFallback('Sum', cpu('Sum'), sum),
    withFallback('ZerosLike', cpu('ZerosLike'), zerosLike),
  ];
}
