/**
 * Convolutions as matrix products, for layers whose filter dwarfs their activations (VGG's
 * fc6: a 400 MB 7×7×512×4096 filter on a few pixels). XNNPack's Conv2D would copy such a
 * filter twice (a transposed copy, then its packed copy, kept until the filter is disposed)
 * and the conv-based gradients would copy it again; in wasm's 4 GB that does not fit next to
 * the weights, the momentum and the gradients. Here every temporary is activation-sized or a
 * bounded chunk of the filter.
 *
 * With x padded and cut into one strided slice per kernel tap (a, b) (im2col), and
 * K = kh·kw·Cin, M = N·Ho·Wo:
 *   y [M, Cout]   = Σ over chunks of K: Xcol[:, chunk] · W[chunk, :]   (XNNPack packs one chunk at a time)
 *   dW [K, Cout] = Xcolᵀ [K, M] · dy [M, Cout]
 *   dXcolᵀ [K, M] = W [K, Cout] · dyᵀ [Cout, M], then each tap's block is added back in place.
 * In the gradients the filter is the left operand, which XNNPack reads without packing.
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { KernelScope } from './call.js';

type Conv2DInfo = backend_util.Conv2DInfo;

const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Most kernel taps for the matrix-product form: it runs a few small kernels per tap. */
const MAX_TAPS = 64;

/** Whether the matrix-product form is the better one: the filter outweighs both activations, and has few taps. */
export function preferMatmul(filterShape: number[], xShape: number[], dyShape: number[]): boolean {
  return filterShape[0]! * filterShape[1]! <= MAX_TAPS && sizeOf(filterShape) > sizeOf(xShape) + sizeOf(dyShape);
}

/** Filters from this many values (32 MB) up run forward as matrix products: below it a packed copy is cheap. */
export const LARGE_FILTER = 8 * 2 ** 20;

/** The most filter values XNNPack packs at once in the forward product (16 MB). */
const CHUNK = 4 * 2 ** 20;

/** Whether a forward convolution should run as a matrix product: a large filter that outweighs the activations. */
export function preferMatmulForward(filterShape: number[], xShape: number[], yShape: number[]): boolean {
  return sizeOf(filterShape) >= LARGE_FILTER && preferMatmul(filterShape, xShape, yShape);
}

/** The padded input height/width that every tap's strided slice fits in. */
function paddedSize(info: Conv2DInfo): [number, number] {
  const h = Math.max(info.inHeight + info.padInfo.top, (info.outHeight - 1) * info.strideHeight + info.filterHeight);
  const w = Math.max(info.inWidth + info.padInfo.left, (info.outWidth - 1) * info.strideWidth + info.filterWidth);
  return [h, w];
}

/** The sizes both products use, under short names; m = N·Ho·Wo rows. */
function geometry(info: Conv2DInfo) {
  const {
    batchSize: n,
    inHeight: h,
    inWidth: w,
    inChannels: cin,
    outChannels: cout,
    outHeight: ho,
    outWidth: wo,
  } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  return { n, h, w, cin, cout, ho, wo, kh, kw, sh, sw, top: info.padInfo.top, left: info.padInfo.left, m: n * ho * wo };
}

/** dW for `x` and `dy`: [kh, kw, Cin, Cout]. */
export function filterGradByMatmul(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): TensorInfo {
  const { n, cin, cout, ho, wo, kh, kw, sh, sw, m } = geometry(info);
  const [hp, wp] = paddedSize(info);
  const xp = padInput(scope, x, info, hp, wp);
  const cols: TensorInfo[] = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const tap = scope.run('StridedSlice', { x: xp }, stridedTap(n, a, b, ho, wo, sh, sw, 0, cin));
      const flat = scope.run('Reshape', { x: tap }, { shape: [m, cin] });
      cols.push(scope.run('Transpose', { x: flat }, { perm: [1, 0] }));
    }
  }
  const xcolT = scope.runList('Concat', cols, { axis: 0 });
  const a3 = scope.run('Reshape', { x: xcolT }, { shape: [1, kh * kw * cin, m] });
  const b3 = scope.run('Reshape', { x: dy }, { shape: [1, m, cout] });
  const dw = scope.run('BatchMatMul', { a: a3, b: b3 }, { transposeA: false, transposeB: false });
  return scope.run('Reshape', { x: dw }, { shape: [kh, kw, cin, cout] });
}

/** Pads x by the convolution's padding (no copy when there is none). */
function padInput(scope: KernelScope, x: TensorInfo, info: Conv2DInfo, hp: number, wp: number): TensorInfo {
  const { h, w, top, left } = geometry(info);
  if (top === 0 && left === 0 && hp === h && wp === w) return x;
  return scope.run(
    'PadV2',
    { x },
    {
      paddings: [
        [0, 0],
        [top, hp - h - top],
        [left, wp - w - left],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
}

/** y for `x` and `filter` (dilation 1): [N, Ho, Wo, Cout], summed over chunks of the filter's rows. */
export function convByMatmul(scope: KernelScope, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): TensorInfo {
  const { n, cin, cout, ho, wo, kh, kw, sh, sw, m } = geometry(info);
  const [hp, wp] = paddedSize(info);
  const xp = padInput(scope, x, info, hp, wp);
  // Channels per chunk: a chunk never spans two taps, so its rows of Xcol are one strided slice of x.
  const step = Math.max(1, Math.min(cin, Math.floor(CHUNK / cout)));
  let sum: TensorInfo | undefined;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      for (let c0 = 0; c0 < cin; c0 += step) {
        const cc = Math.min(step, cin - c0);
        const tap = scope.run('StridedSlice', { x: xp }, stridedTap(n, a, b, ho, wo, sh, sw, c0, c0 + cc));
        const rows = scope.run('Reshape', { x: tap }, { shape: [1, m, cc] });
        const part = scope.copyRange(filter, ((a * kw + b) * cin + c0) * cout, [1, cc, cout]);
        const product = scope.run('BatchMatMul', { a: rows, b: part }, { transposeA: false, transposeB: false });
        // Freeing the chunk also frees XNNPack's packed copy of it (cached under the chunk's id).
        [tap, rows, part].forEach((t) => scope.free(t));
        if (!sum) sum = product;
        else {
          const next = scope.run('Add', { a: sum, b: product });
          scope.free(sum);
          scope.free(product);
          sum = next;
        }
      }
    }
  }
  return scope.run('Reshape', { x: sum! }, { shape: [n, ho, wo, cout] });
}

/** dx for `dy` and `filter`: [N, H, W, Cin]. */
export function inputGradByMatmul(
  scope: KernelScope,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): TensorInfo {
  const { n, h, w, cin, cout, ho, wo, kh, kw, sh, sw, top, left, m } = geometry(info);
  const w3 = scope.run('Reshape', { x: filter }, { shape: [1, kh * kw * cin, cout] });
  const dy2 = scope.run('Reshape', { x: dy }, { shape: [m, cout] });
  const dyT = scope.run('Transpose', { x: dy2 }, { perm: [1, 0] });
  const dyT3 = scope.run('Reshape', { x: dyT }, { shape: [1, cout, m] });
  const prod = scope.run('BatchMatMul', { a: w3, b: dyT3 }, { transposeA: false, transposeB: false });
  const taps = scope.run('Reshape', { x: prod }, { shape: [kh * kw, cin, m] });
  // Each tap's block lands on rows a + i·sh, columns b + j·sw of a grid that holds them all.
  const gh = Math.max(ho * sh + kh, top + h);
  const gw = Math.max(wo * sw + kw, left + w);
  const placed: TensorInfo[] = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      // A heap copy: wasm's Slice first copies all of `taps` into JavaScript, once per tap.
      const cm = scope.copyRange(taps, (a * kw + b) * cin * m, [cin, m]);
      const mc = scope.run('Transpose', { x: cm }, { perm: [1, 0] });
      const spread = scope.run('Reshape', { x: mc }, { shape: [n, ho, 1, wo, 1, cin] });
      const strided = scope.run(
        'PadV2',
        { x: spread },
        {
          paddings: [
            [0, 0],
            [0, 0],
            [0, sh - 1],
            [0, 0],
            [0, sw - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
      const grid = scope.run('Reshape', { x: strided }, { shape: [n, ho * sh, wo * sw, cin] });
      placed.push(
        scope.run(
          'PadV2',
          { x: grid },
          {
            paddings: [
              [0, 0],
              [a, gh - a - ho * sh],
              [b, gw - b - wo * sw],
              [0, 0],
            ],
            constantValue: 0,
          },
        ),
      );
    }
  }
  const sum = scope.runList('AddN', placed);
  return scope.run('Slice', { x: sum }, { begin: [0, top, left, 0], size: [n, h, w, cin] });
}

/** StridedSlice attributes of kernel tap (a, b), channels [c0, c1). */
function stridedTap(
  n: number,
  a: number,
  b: number,
  ho: number,
  wo: number,
  sh: number,
  sw: number,
  c0: number,
  c1: number,
): object {
  return {
    begin: [0, a, b, c0],
    end: [n, a + (ho - 1) * sh + 1, b + (wo - 1) * sw + 1, c1],
    strides: [1, sh, sw, 1],
    beginMask: 0,
    endMask: 0,
    ellipsisMask: 0,
    newAxisMask: 0,
    shrinkAxisMask: 0,
  };
}
