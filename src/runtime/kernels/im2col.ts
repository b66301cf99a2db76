/**
 * Convolution gradients as one matrix product, for layers whose filter dwarfs their
 * activations (VGG's fc6: a 400 MB 7×7×512×4096 filter on a few pixels). The conv-based
 * kernels would copy such a filter (a transpose, then XNNPack's packed copy) and run out of
 * wasm's 4 GB; here the filter is only read, and every temporary is activation-sized.
 *
 * With x padded and cut into one strided slice per kernel tap (a, b) (im2col), and
 * K = kh·kw·Cin, M = N·Ho·Wo:
 *   dW [K, Cout] = Xcolᵀ [K, M] · dy [M, Cout]
 *   dXcolᵀ [K, M] = W [K, Cout] · dyᵀ [Cout, M], then each tap's block is added back in place.
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

/** wasm passes a list kernel's input ids on its small C stack: keep lists short. */
const MAX_LIST = 16;

/** Runs a list kernel (Concat, AddN) over many inputs in rounds of at most MAX_LIST. */
function listKernel(scope: KernelScope, name: 'Concat' | 'AddN', items: TensorInfo[], attrs: object = {}): TensorInfo {
  let level = items;
  while (level.length > 1) {
    const next: TensorInfo[] = [];
    for (let i = 0; i < level.length; i += MAX_LIST) {
      const group = level.slice(i, i + MAX_LIST);
      next.push(group.length === 1 ? group[0]! : scope.run(name, group, attrs));
    }
    level = next;
  }
  return level[0]!;
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
  const { n, h, w, cin, cout, ho, wo, kh, kw, sh, sw, top, left, m } = geometry(info);
  const [hp, wp] = paddedSize(info);
  const xp = scope.run(
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
  const cols: TensorInfo[] = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const tap = scope.run('StridedSlice', { x: xp }, stridedTap(n, cin, a, b, ho, wo, sh, sw));
      const flat = scope.run('Reshape', { x: tap }, { shape: [m, cin] });
      cols.push(scope.run('Transpose', { x: flat }, { perm: [1, 0] }));
    }
  }
  const xcolT = listKernel(scope, 'Concat', cols, { axis: 0 });
  const a3 = scope.run('Reshape', { x: xcolT }, { shape: [1, kh * kw * cin, m] });
  const b3 = scope.run('Reshape', { x: dy }, { shape: [1, m, cout] });
  const dw = scope.run('BatchMatMul', { a: a3, b: b3 }, { transposeA: false, transposeB: false });
  return scope.run('Reshape', { x: dw }, { shape: [kh, kw, cin, cout] });
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
      const block = scope.run('Slice', { x: taps }, { begin: [a * kw + b, 0, 0], size: [1, cin, m] });
      const cm = scope.run('Reshape', { x: block }, { shape: [cin, m] });
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
  const sum = listKernel(scope, 'AddN', placed);
  return scope.run('Slice', { x: sum }, { begin: [0, top, left, 0], size: [n, h, w, cin] });
}

function stridedTap(
  n: number,
  c: number,
  a: number,
  b: number,
  ho: number,
  wo: number,
  sh: number,
  sw: number,
): object {
  return {
    begin: [0, a, b, 0],
    end: [n, a + (ho - 1) * sh + 1, b + (wo - 1) * sw + 1, c],
    strides: [1, sh, sw, 1],
    beginMask: 0,
    endMask: 0,
    ellipsisMask: 0,
    newAxisMask: 0,
    shrinkAxisMask: 0,
  };
}
