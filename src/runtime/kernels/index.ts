/**
 * The kernels fcn adds to (or replaces on) the wasm backend so that a training step of the
 * nets in nets/ runs there, fast and right. Found by running training steps on wasm and
 * comparing every gradient with the cpu backend: everything else a step needs (AvgPoolGrad,
 * LRNGrad, Slice, PadV2, Concat, OneHot, …) is native and agrees.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { conv2DConfig } from './conv2d.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { identityConfig } from './identity.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { registerReluGrad } from './relu-grad.js';

export { KernelScope } from './call.js';
export { conv2DConfig } from './conv2d.js';
export { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
export { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
export { preferTapProducts } from './filter-grad-taps.js';
export { identityConfig } from './identity.js';
export { LARGE_FILTER, preferMatmul, preferMatmulForward } from './im2col.js';
export { maxPoolGradConfig } from './max-pool-grad.js';
export { reluGradFromOutput } from './relu-grad.js';

/** Names of the kernels fcn registers on wasm, and why. */
export const WASM_KERNELS: Record<string, string> = {
  Conv2D:
    'wrapped: filters of 32 MB and more (fc6, fc7) run as chunked matrix products, so XNNPack never packs a 400 MB filter',
  Conv2DBackpropFilter: 'missing on wasm: conv filter gradients (also the filter gradient of deconvolution)',
  Conv2DBackpropInput:
    'replaced: the native one is plain loops (~4 GFLOP/s); rebuilt on XNNPack Conv2D (deconv forward, conv input gradients)',
  MaxPoolGrad: 'replaced: the native one drops the gradient of windows whose maximum is ≤ 0 or that reach into padding',
  Identity: 'replaced: the native one copies, and tfjs clones every tensor it saves for backprop (weights included)',
};

let registered = false;

/** Registers fcn's wasm kernels once (the wasm package must be imported first). */
export function registerWasmKernels(): void {
  if (registered) return;
  const original: KernelConfig | undefined = getKernel('Conv2DBackpropInput', 'wasm');
  if (original) unregisterKernel('Conv2DBackpropInput', 'wasm');
  registerKernel(conv2DBackpropInputConfig('wasm', original));
  const conv = getKernel('Conv2D', 'wasm');
  if (conv) {
    unregisterKernel('Conv2D', 'wasm');
    registerKernel(conv2DConfig('wasm', conv));
  }
  if (!getKernel('Conv2DBackpropFilter', 'wasm')) registerKernel(conv2DBackpropFilterConfig('wasm'));
  if (getKernel('MaxPoolGrad', 'wasm')) unregisterKernel('MaxPoolGrad', 'wasm');
  registerKernel(maxPoolGradConfig('wasm'));
  const identity = getKernel('Identity', 'wasm');
  if (identity) {
    unregisterKernel('Identity', 'wasm');
    registerKernel(identityConfig('wasm', identity));
  }
  registerReluGrad();
  registered = true;
}
