/**
 * LRN and LRNGrad on the native backend (native/src/lrn.cc): local response normalisation
 * across the channels of an NHWC float32 tensor, with tfjs's attributes (depthRadius, bias,
 * alpha, beta; CaffeLRN passes Caffe's alpha/size as alpha).
 */
import type { KernelConfig, LRNAttrs, LRNGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { addon } from './addon.js';
import type { NativeBackend } from './backend-class.js';
import { allFloat, withFallback, type Args } from './fallback.js';

function lrn(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { x } = args.inputs as { x: TensorInfo };
  if (!allFloat(x) || x.shape.length !== 4) return undefined;
  const { depthRadius, bias, alpha, beta } = args.attrs as unknown as LRNAttrs;
  const out = backend.output(x.shape);
  addon().lrnForward(x.shape[3]!, depthRadius, bias, alpha, beta, backend.floats(x), out.values);
  return out.info;
}

function lrnGrad(args: Args, backend: NativeBackend): TensorInfo | undefined {
  const { x, y, dy } = args.inputs as { x: TensorInfo; y: TensorInfo; dy: TensorInfo };
  if (!allFloat(x, y, dy) || dy.shape.length !== 4) return undefined;
  const { depthRadius, bias, alpha, beta } = args.attrs as unknown as LRNGradAttrs;
  const out = backend.output(dy.shape);
  const f = (t: TensorInfo): Float32Array => backend.floats(t);
  addon().lrnBackward(dy.shape[3]!, depthRadius, bias, alpha, beta, f(x), f(y), f(dy), out.values);
  return out.info;
}

/** LRN and its gradient, each falling back to the cpu kernel of the same name. */
export function lrnKernels(cpu: (name: string) => KernelConfig): KernelConfig[] {
  return [withFallback('LRN', cpu('LRN'), lrn), withFallback('LRNGrad', cpu('LRNGrad'), lrnGrad)];
}
