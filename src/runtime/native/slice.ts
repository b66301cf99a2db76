/**
 * Slice (Caffe's crop) and PadV2 (its gradient) as row copies: the largest contiguous run of
 * elements is copied with TypedArray.set, which is a memcpy. The cpu backend indexes every
 * element through generic strides, which made a VGG FCN's three crops cost seconds.
 */
import {
  slice_util,
  util,
  type KernelConfig,
  type PadV2Attrs,
  type SliceAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { NativeBackend } from './backend-class.js';
import { withFallback, type Args } from './fallback.js';

type Floats = Float32Array | Int32Array;

/**
 * Copies the box `size` at `begin` of `src` (shape `from`) into the box at `at` of `dst`
 * (shape `to`), one contiguous run at a time.
 */
export function copyBox(
  src: Floats,
  from: number[],
  begin: number[],
  dst: Floats,
  to: number[],
  at: number[],
  size: number[],
): void {
  const rank = size.length;
  if (size.some((s) => s === 0)) return;
  // Trailing dims copied whole in both arrays merge into one run.
  let d = rank - 1;
  let inner = 1;
  while (d > 0 && size[d] === from[d] && size[d] === to[d]) inner *= size[d--]!;
  const run = size[d]! * inner;
  const srcStrides = util.computeStrides(from);
  const dstStrides = util.computeStrides(to);
  const stride = (strides: number[], k: number): number => (k < rank - 1 ? strides[k]! : 1);
  const index = new Array<number>(d).fill(0);
  for (;;) {
    let s = begin[d]! * stride(srcStrides, d);
    let t = at[d]! * stride(dstStrides, d);
    for (let k = 0; k < d; k++) {
      s += (begin[k]! + index[k]!) * stride(srcStrides, k);
      t += (at[k]! + index[k]!) * stride(dstStrides, k);
    }
    dst.set(src.subarray(s, s + run), t);
    let k = d - 1;
    while (k >= 0 && ++index[k]! === size[k]) index[k--] = 0;
    if (k < 0) break;
  }
}

function slice(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return undefined;
  const { begin, size } = args.attrs as unknown as SliceAttrs;
  const [b, s] = slice_util.parseSliceParams(x as never, begin, size);
  const values =
    x.dtype === 'float32' ? new Float32Array(util.sizeFromShape(s)) : new Int32Array(util.sizeFromShape(s));
  const src = backend.data.get(x.dataId).values as Floats;
  if (x.shape.length === 0) values.set(src);
  else copyBox(src, x.shape, b, values, s, new Array<number>(s.length).fill(0), s);
  return backend.makeTensorInfo(s, x.dtype, values);
}

function pad(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype !== 'float32' || x.shape.length === 0) return undefined;
  const { paddings, constantValue } = args.attrs as unknown as PadV2Attrs;
  const shape = x.shape.map((d, i) => paddings[i]![0] + d + paddings[i]![1]);
  const out = backend.output(shape);
  if (constantValue !== 0) out.values.fill(constantValue);
  copyBox(
    backend.floats(x),
    x.shape,
    new Array<number>(x.shape.length).fill(0),
    out.values,
    shape,
    paddings.map((p) => p[0]),
    x.shape,
  );
  return out.info;
}

/** Slice and PadV2, each falling back to the cpu kernel of the same name. */
export function sliceKernels(cpu: (name: string) => KernelConfig): KernelConfig[] {
  return [withFallback('Slice', cpu('Slice'), slice), withFallback('PadV2', cpu('PadV2'), pad)];
}
