/**
 * The `native` TensorFlow.js backend: the cpu backend with its hot kernels replaced by the
 * oneDNN addon (native/). Every kernel registered for cpu is registered for native too, so a
 * kernel the addon lacks runs as on the cpu backend, on the same typed arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { registerReluGrad } from '../kernels/relu-grad.js';
import { addon, loadAddon } from './addon.js';
import { NativeBackend } from './backend-class.js';
import { convKernels } from './conv.js';
import { eltwiseKernels } from './eltwise.js';
import { lrnKernels } from './lrn.js';
import { matmulKernels } from './matmul.js';
import { poolKernels } from './pool.js';
import { sliceKernels } from './slice.js';

export { loadAddon, NATIVE_FIX } from './addon.js';
export { NativeBackend } from './backend-class.js';

/** The kernels the addon runs, and what they cover; everything else is the cpu backend's. */
export const NATIVE_KERNELS: Record<string, string> = {
  Conv2D: 'oneDNN, blocked layouts, stride, pad, dilation',
  FusedConv2D: 'oneDNN with bias and ReLU as post-ops',
  Conv2DBackpropInput: 'oneDNN backward-data (also the transposed convolution)',
  Conv2DBackpropFilter: 'oneDNN backward-weights',
  MaxPool: 'NHWC loop on all threads',
  MaxPoolGrad: "to each window's first maximum",
  AvgPool: 'NHWC loop on all threads',
  AvgPoolGrad: 'NHWC loop on all threads',
  'LRN, LRNGrad': 'across channels, NHWC loop on all threads',
  BatchMatMul: 'oneDNN matmul, transposes as strides, a batch of 1 broadcast',
  'Add, Sub, Multiply, RealDiv, Maximum, Minimum': 'on all threads, for same shapes, scalars and contiguous broadcasts',
  'Relu, Step, ZerosLike': 'on all threads',
  'Slice, PadV2': 'contiguous row copies (crops and their gradients)',
  Sum: 'over leading or trailing axes (bias gradients, losses), in double',
};

let registered = false;

/** Registers the `native` backend and its kernels (once); throws when the addon is unavailable. */
export function registerNativeBackend(): void {
  if (registered) return;
  addon();
  const cpu = new Map(tf.getKernelsForBackend('cpu').map((k) => [k.kernelName, k]));
  const cpuKernel = (name: string): tf.KernelConfig => {
    const k = cpu.get(name);
    if (!k) throw new Error(`the cpu backend has no ${name} kernel`);
    return k;
  };
  const own = [
    ...convKernels(cpuKernel),
    ...poolKernels(cpuKernel),
    ...lrnKernels(cpuKernel),
    ...matmulKernels(cpuKernel),
    ...eltwiseKernels(cpuKernel),
    ...sliceKernels(cpuKernel),
  ];
  const replaced = new Set(own.map((k) => k.kernelName));
  for (const k of cpu.values()) if (!replaced.has(k.kernelName)) tf.registerKernel({ ...k, backendName: 'native' });
  for (const k of own) tf.registerKernel(k);
  // Priority 3: above wasm (2) and cpu (1) should tfjs ever pick a backend by itself.
  tf.registerBackend('native', () => new NativeBackend(), 3);
  registerReluGrad();
  registered = true;
}
