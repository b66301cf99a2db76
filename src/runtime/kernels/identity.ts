/**
 * Identity for wasm that shares the input's memory instead of copying it, as the cpu backend
 * does (tensors are immutable, so sharing is safe). tfjs clones every tensor it saves for the
 * backward pass through Identity; wasm's copying Identity therefore duplicated every weight
 * and activation of a training step (VGG's fc6 weights alone are 400 MB) and a 134M-parameter
 * FCN no longer fitted in wasm's 4 GB.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/** The part of the backend this kernel uses. */
interface RefCounted {
  incRef(dataId: object): void;
}

/** Makes the sharing Identity for `backendName`; strings still go through `original`. */
export function identityConfig(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const x = (args.inputs as { x: TensorInfo }).x;
    if (x.dtype === 'string') return original.kernelFunc(args) as TensorInfo;
    (args.backend as unknown as RefCounted).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName, kernelFunc: kernelFunc as KernelFunc };
}
