/**
 * The filter gradient of a stride-1 convolution as one matrix product per kernel tap, for
 * layers with many channels (VGG's conv3 and conv4: 1.6–1.9× faster on wasm than the
 * conv-with-dy-as-filter form, which XNNPack runs as a 1-channel convolution with a huge kernel).
 *
 * With x padded to hp × wp = (Ho + kh − 1) × (Wo + kw − 1) and dy zero-padded to the same
 * size, both flattened to rows of channels, tap (a, b) of the gradient is
 *   dW[a, b]ᵀ [Cout, Cin] = dyᵀ [Cout, L] · x[a·wp + b … + L] [L, Cin]
 * where the rows of x are one contiguous range: a row that runs past the right edge of the
 * image wraps to the next image row, and it meets a zero of the padded dy there. L stops the
 * last tap's range at the end of x; the rows of dy beyond L are all padding.
 */
import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { KernelScope } from './call.js';

/** Channels from which the per-tap form is the faster one (measured on wasm at 57–454 pixels). */
const MIN_CHANNELS = 256;

/** Whether the per-tap products are the better filter gradient: stride and dilation 1, many channels. */
export function preferTapProducts(info: backend_util.Conv2DInfo): boolean {
  const unit =
    info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
  return unit && Math.min(info.inChannels, info.outChannels) >= MIN_CHANNELS;
}

/** dW for `x` and `dy`: [kh, kw, Cin, Cout]. */
export function filterGradByTaps(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout } = info;
  const { outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const [hp, wp] = [ho + kh - 1, wo + kw - 1];
  const pad = (t: TensorInfo, rows: [number, number], cols: [number, number]): TensorInfo =>
    rows[0] === 0 && rows[1] === 0 && cols[0] === 0 && cols[1] === 0
      ? t
      : scope.run('PadV2', { x: t }, { paddings: [[0, 0], rows, cols, [0, 0]], constantValue: 0 });
  // Stride 1: the padded input is exactly hp × wp.
  const xp = pad(x, [top, hp - h - top], [left, wp - w - left]);
  const dyp = pad(dy, [0, hp - ho], [0, wp - wo]);
  const rows = n * hp * wp - (kh - 1) * wp - (kw - 1);
  const head = scope.copyRange(dyp, 0, [rows, cout]);
  const dyT = scope.run('Transpose', { x: head }, { perm: [1, 0] });
  const a = scope.run('Reshape', { x: dyT }, { shape: [1, cout, rows] });
  [head, dyp].forEach((t) => scope.free(t));
  const taps: TensorInfo[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const b = scope.copyRange(xp, (i * wp + j) * cin, [1, rows, cin]);
      taps.push(scope.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false }));
      // Freeing b also frees XNNPack's packed copy of it.
      scope.free(b);
    }
  }
  const stacked = scope.runList('Concat', taps, { axis: 0 });
  const dw = scope.run('Transpose', { x: stacked }, { perm: [0, 2, 1] });
  return scope.run('Reshape', { x: dw }, { shape: [kh, kw, cin, cout] });
}
