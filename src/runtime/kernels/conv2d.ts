/**
 * Conv2D for wasm that runs convolutions with a large filter (VGG's fc6 and fc7) as matrix
 * products over chunks of the filter, and everything else through XNNPack's own Conv2D.
 *
 * XNNPack's Conv2D makes a transposed copy of the filter and then a packed copy that it keeps
 * until the filter tensor is disposed: for fc6's 400 MB filter that is 800 MB at once and
 * 400 MB for as long as the weight lives, which in a training step of a VGG FCN does not fit
 * in wasm's 4 GB next to the weights, the momentum and the gradients (im2col.ts).
 */
import {
  backend_util,
  type Conv2DAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { KernelScope } from './call.js';
import { convByMatmul, preferMatmulForward } from './im2col.js';

/** Makes the kernel config for `backendName`; `original` is the backend's Conv2D, which runs every other case. */
export function conv2DConfig(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as Conv2DAttrs;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    const plain = info.dataFormat === 'channelsLast' && info.dilationHeight === 1 && info.dilationWidth === 1;
    if (!plain || x.dtype !== 'float32' || !preferMatmulForward(filter.shape, x.shape, info.outShape))
      return original.kernelFunc(args) as TensorInfo;
    const scope = new KernelScope(backend as KernelBackend, backendName);
    try {
      return scope.finish(convByMatmul(scope, x, filter, info));
    } catch (e) {
      scope.abandon();
      throw e;
    }
  };
  const setupFunc = original.setupFunc;
  return {
    kernelName: 'Conv2D',
    backendName,
    kernelFunc: kernelFunc as KernelFunc,
    ...(setupFunc ? { setupFunc } : {}),
  };
}
