/**
 * MaxPoolGrad for wasm. wasm's own kernel is wrong: it drops the gradient of every window
 * whose maximum is not positive (its running maximum starts at 0), and of windows that reach
 * into padding; both occur in FCNs (Caffe's ceil-mode pooling pads the last windows, and
 * pools after LRN or a negative-slope ReLU see negative maxima).
 *
 * This one routes each output gradient to the first maximum of its window in row-major order,
 * as Caffe and tfjs's cpu backend do, skipping padded cells. It is a tight loop over the wasm
 * heap with the channels innermost (contiguous in NHWC): pooling gradients are memory-bound,
 * and this runs in a few milliseconds per million outputs.
 */
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { HeapBackend } from '../wasm-heap.js';

/** Makes the kernel config for `backendName` (a backend with a wasm-style heap). */
export function maxPoolGradConfig(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const heap = backend as unknown as HeapBackend;
    // Allocate first: an allocation may grow the heap and detach earlier views.
    const out = heap.makeOutput(input.shape, 'float32');
    const x = heap.typedArrayFromHeap(input) as Float32Array;
    const g = heap.typedArrayFromHeap(dy) as Float32Array;
    const dx = heap.typedArrayFromHeap(out) as Float32Array;
    const [n, h, w, c] = input.shape as [number, number, number, number];
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
    const { top, left } = info.padInfo;
    if (kh === 2 && kw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && oh * 2 === h && ow * 2 === w) {
      tiles2x2(x, g, dx, n * oh, ow, c);
      return out;
    }
    dx.fill(0);
    const best = new Float32Array(c);
    const where = new Int32Array(c);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < oh; i++) {
        const y0 = Math.max(0, i * sh - top);
        const y1 = Math.min(h, i * sh - top + kh);
        for (let j = 0; j < ow; j++) {
          const x0 = Math.max(0, j * sw - left);
          const x1 = Math.min(w, j * sw - left + kw);
          if (y0 >= y1 || x0 >= x1) continue;
          // The window's first cell starts the running maximum; later cells must beat it strictly.
          const first = ((b * h + y0) * w + x0) * c;
          for (let ch = 0; ch < c; ch++) {
            best[ch] = x[first + ch]!;
            where[ch] = first + ch;
          }
          for (let yy = y0; yy < y1; yy++) {
            for (let xx = yy === y0 ? x0 + 1 : x0; xx < x1; xx++) {
              const base = ((b * h + yy) * w + xx) * c;
              for (let ch = 0; ch < c; ch++) {
                const v = x[base + ch]!;
                if (v > best[ch]!) {
                  best[ch] = v;
                  where[ch] = base + ch;
                }
              }
            }
          }
          const gbase = ((b * oh + i) * ow + j) * c;
          for (let ch = 0; ch < c; ch++) dx[where[ch]!] += g[gbase + ch]!;
        }
      }
    }
    return out;
  };
  return { kernelName: 'MaxPoolGrad', backendName, kernelFunc: kernelFunc as KernelFunc };
}

/**
 * The common case, 2×2 windows with stride 2 that tile the input exactly (`rows` = N·Ho window
 * rows of `ow` windows): every input cell belongs to one window, so each cell is written once
 * (its gradient or 0) and nothing needs clearing; the same first-maximum rule.
 */
function tiles2x2(x: Float32Array, g: Float32Array, dx: Float32Array, rows: number, ow: number, c: number): void {
  const rowStride = 2 * ow * c; // one input row
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < ow; j++) {
      const p0 = 2 * r * rowStride + 2 * j * c; // top-left cell of the window: input row 2r, column 2j
      const p1 = p0 + c;
      const p2 = p0 + rowStride;
      const p3 = p2 + c;
      const gb = (r * ow + j) * c;
      for (let ch = 0; ch < c; ch++) {
        const a = x[p0 + ch]!;
        const b = x[p1 + ch]!;
        const d = x[p2 + ch]!;
        const e = x[p3 + ch]!;
        let k = 0;
        let m = a;
        if (b > m) {
          m = b;
          k = 1;
        }
        if (d > m) {
          m = d;
          k = 2;
        }
        if (e > m) k = 3;
        const v = g[gb + ch]!;
        dx[p0 + ch] = k === 0 ? v : 0;
        dx[p1 + ch] = k === 1 ? v : 0;
        dx[p2 + ch] = k === 2 ? v : 0;
        dx[p3 + ch] = k === 3 ? v : 0;
      }
    }
  }
}
