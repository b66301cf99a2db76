/**
 * How a native kernel defers to the cpu backend: it returns undefined for a case the addon
 * does not cover (another layout, another dtype), and the cpu backend's kernel runs instead.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from './backend-class.js';

export type Args = Parameters<KernelFunc>[0];

export const isNhwc = (format: string | undefined): boolean => format === undefined || format === 'NHWC';

export const allFloat = (...ts: Array<TensorInfo | undefined>): boolean => ts.every((t) => !t || t.dtype === 'float32');

/** A `native` kernel config that runs `native` when it returns a result, else the cpu kernel `fallback`. */
export function withFallback(
  kernelName: string,
  fallback: KernelConfig,
  native: (args: Args, backend: NativeBackend) => TensorInfo | undefined,
): KernelConfig {
  const kernelFunc = (args: Args): TensorInfo =>
    native(args, args.backend as NativeBackend) ?? (fallback.kernelFunc(args) as TensorInfo);
  return { kernelName, backendName: 'native', kernelFunc: kernelFunc as KernelFunc };
}
