/**
 * The convolution kernels of the native backend, on oneDNN (native/src/conv.cc): Conv2D,
 * FusedConv2D (bias and ReLU as post-ops), Conv2DBackpropInput (also the forward pass of a
 * transposed convolution) and Conv2DBackpropFilter. Cases the addon does not cover (NCHW,
 * other dtypes, other fused activations) run the cpu backend's kernel.
 */
import {
  backend_util,
  type Conv2DAttrs,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type FusedConv2DAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { addon } from './addon.js';
import type { NativeBackend } from './backend-class.js';
import { convGeometry } from './conv-geometry.js';
import { allFloat, isNhwc, withFallback, type Args } from './fallback.js';

type Shape4 = [number, number, number, number];

/** Conv2D, or with `fused` FusedConv2D (a per-channel bias and ReLU become oneDNN post-ops). */
function forward(fused: boolean) {
  return (args: Args, backend: NativeBackend): TensorInfo | undefined => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } = args.attrs as unknown as Conv2DAttrs &
      Partial<FusedConv2DAttrs>;
    if (!x || !filter || !isNhwc(dataFormat) || !allFloat(x, filter, bias) || preluActivationWeights) return undefined;
    if (fused && activation !== 'linear' && activation !== 'relu') return undefined;
    const info = backend_util.computeConv2DInfo(
      x.shape as Shape4,
      filter.shape as Shape4,
      strides,
      dilations,
      pad,
      dimRoundingMode,
    );
    // Only a per-channel bias is a oneDNN bias; a broadcast of another shape runs on the cpu backend.
    if (bias && !(bias.shape.length === 1 && bias.shape[0] === info.outChannels)) return undefined;
    const out = backend.output(info.outShape);
    addon().convForward(
      convGeometry(info),
      backend.floats(x),
      backend.floats(filter),
      bias ? backend.floats(bias) : null,
      out.values,
      activation === 'relu',
      backend.weightKey(filter.dataId),
    );
    return out.info;
  };
}

function conv2dBackpropInput(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
  if (!isNhwc(dataFormat) || !allFloat(dy, filter)) return undefined;
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
  const out = backend.output(inputShape);
  addon().convBackwardData(
    convGeometry(info),
    backend.floats(dy),
    backend.floats(filter),
    out.values,
    backend.weightKey(filter.dataId),
  );
  return out.info;
}

function conv2dBackpropFilter(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (!isNhwc(dataFormat) || !allFloat(x, dy)) return undefined;
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
  const out = backend.output(filterShape);
  addon().convBackwardWeights(convGeometry(info), backend.floats(x), backend.floats(dy), out.values, null);
  return out.info;
}

/** The convolution kernels, each falling back to the cpu kernel of the same name (`cpu(name)`). */
export function convKernels(cpu: (name: string) => KernelConfig): KernelConfig[] {
  return [
    withFallback('Conv2D', cpu('Conv2D'), forward(false)),
    withFallback('FusedConv2D', cpu('FusedConv2D'), forward(true)),
    withFallback('Conv2DBackpropInput', cpu('Conv2DBackpropInput'), conv2dBackpropInput),
    withFallback('Conv2DBackpropFilter', cpu('Conv2DBackpropFilter'), conv2dBackpropFilter),
  ];
}
