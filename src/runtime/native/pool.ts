/**
 * Pooling kernels of the native backend (native/src/pool.cc): MaxPool, MaxPoolGrad, AvgPool
 * and AvgPoolGrad, with tfjs's explicit or computed padding (CaffePool turns Caffe's ceil
 * mode into extra bottom/right padding). Dilated or NCHW pooling runs on the cpu backend.
 */
import {
  backend_util,
  type AvgPoolAttrs,
  type AvgPoolGradAttrs,
  type KernelConfig,
  type MaxPoolAttrs,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { addon } from './addon.js';
import type { NativeBackend } from './backend-class.js';
import { allFloat, withFallback, type Args } from './fallback.js';

type Shape4 = [number, number, number, number];
type PoolAttrs = MaxPoolAttrs | AvgPoolAttrs | MaxPoolGradAttrs | AvgPoolGradAttrs;

/** The addon's pool geometry [n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl] for input `x`. */
function poolGeometry(x: TensorInfo, attrs: PoolAttrs): { geometry: Int32Array; outShape: number[] } {
  const { filterSize, strides, pad } = attrs;
  const dimRoundingMode = 'dimRoundingMode' in attrs ? attrs.dimRoundingMode : undefined;
  const info = backend_util.computePool2DInfo(x.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
  const geometry = Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ]);
  return { geometry, outShape: info.outShape };
}

function pool(kind: 'max' | 'avg') {
  return (args: Args, backend: NativeBackend): TensorInfo | undefined => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!allFloat(x) || x.shape.length !== 4) return undefined;
    const { geometry, outShape } = poolGeometry(x, args.attrs as unknown as PoolAttrs);
    const out = backend.output(outShape);
    if (kind === 'max') addon().maxPoolForward(geometry, backend.floats(x), out.values);
    else addon().avgPoolForward(geometry, backend.floats(x), out.values);
    return out.info;
  };
}

function maxPoolGrad(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  if (!allFloat(dy, input) || input.shape.length !== 4) return undefined;
  const { geometry } = poolGeometry(input, args.attrs as unknown as PoolAttrs);
  const out = backend.output(input.shape);
  addon().maxPoolBackward(geometry, backend.floats(input), backend.floats(dy), out.values);
  return out.info;
}

function avgPoolGrad(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  if (!allFloat(dy) || input.shape.length !== 4) return undefined;
  const { geometry } = poolGeometry(input, args.attrs as unknown as PoolAttrs);
  const out = backend.output(input.shape);
  addon().avgPoolBackward(geometry, backend.floats(dy), out.values);
  return out.info;
}

/** The pooling kernels, each falling back to the cpu kernel of the same name. */
export function poolKernels(cpu: (name: string) => KernelConfig): KernelConfig[] {
  return [
    withFallback('MaxPool', cpu('MaxPool'), pool('max')),
    withFallback('AvgPool', cpu('AvgPool'), pool('avg')),
    withFallback('MaxPoolGrad', cpu('MaxPoolGrad'), maxPoolGrad),
    withFallback('AvgPoolGrad', cpu('AvgPoolGrad'), avgPoolGrad),
  ];
}
