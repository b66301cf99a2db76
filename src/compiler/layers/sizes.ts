/**
 * Caffe's output-size rules, one place for the analysis (src/compiler/analysis/axis.ts) and
 * the runtime layers (src/runtime/layers/) so the two can never disagree.
 */

/** Effective kernel extent with dilation: d·(k − 1) + 1. */
export function extent(kernel: number, dilation: number): number {
  return dilation * (kernel - 1) + 1;
}

/** Caffe's convolution output size: floor((H + 2p − k_eff)/s) + 1. */
export function convOutSize(size: number, kernel: number, stride: number, pad: number, dilation = 1): number {
  return Math.floor((size + 2 * pad - extent(kernel, dilation)) / stride) + 1;
}

/** Caffe's deconvolution output size: s·(H − 1) + k_eff − 2p. */
export function deconvOutSize(size: number, kernel: number, stride: number, pad: number, dilation = 1): number {
  return stride * (size - 1) + extent(kernel, dilation) - 2 * pad;
}

/**
 * Caffe's pooling output size: ceil((H + 2p − k)/s) + 1, minus one when the last window would
 * start inside the bottom padding (Caffe applies this only when p > 0); or TensorFlow's floor rule.
 */
export function poolOutSize(
  size: number,
  kernel: number,
  stride: number,
  pad: number,
  round: 'ceil' | 'floor',
): number {
  if (round === 'floor') return Math.floor((size + 2 * pad - kernel) / stride) + 1;
  let out = Math.ceil((size + 2 * pad - kernel) / stride) + 1;
  if (pad > 0 && (out - 1) * stride >= size + pad) out--;
  return out;
}
