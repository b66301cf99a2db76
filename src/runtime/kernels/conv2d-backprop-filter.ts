/**
 * Conv2DBackpropFilter for backends that lack it (wasm), built from their own fast Conv2D.
 *
 * The filter gradient of a convolution with stride s and pad p is itself a convolution:
 *   dW[a, b, r, q] = Σ_{n,i,j} x[n, s·i + a − p, s·j + b − p, r] · dy[n, i, j, q]
 * Read the input with channels as the batch ([Cin, H, W, N]) and the output gradient as a
 * filter ([Ho, Wo, N, Cout]): a forward conv with dilation s, stride 1 and the same pad gives
 * [Cin, ≥kh, ≥kw, Cout]; cropped to the kernel and transposed back it is dW.
 * Layers whose filter outweighs their activations (fc6) use one matrix product (im2col.ts),
 * and stride-1 layers with many channels one product per kernel tap (filter-grad-taps.ts).
 */
import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { KernelScope, pair } from './call.js';
import { filterGradByTaps, preferTapProducts } from './filter-grad-taps.js';
import { filterGradByMatmul, preferMatmul } from './im2col.js';

/** Makes the kernel config for `backendName` (whose Conv2D, Transpose and Slice it uses). */
export function conv2DBackpropFilterConfig(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== undefined && dataFormat !== 'NHWC')
      throw new Error(`Conv2DBackpropFilter on ${backendName}: only NHWC is supported`);
    const [sh, sw] = pair(strides);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [kh, kw, cin, cout] = filterShape;
    const [, h, w] = x.shape as number[];
    const [, ho, wo] = dy.shape as number[];
    const { top, left } = info.padInfo;
    // Only as much bottom/right padding as the last kernel tap needs: more would compute rows we crop away.
    const bottom = Math.max(0, kh + (ho! - 1) * sh - h! - top);
    const right = Math.max(0, kw + (wo! - 1) * sw - w! - left);
    const scope = new KernelScope(backend as KernelBackend, backendName);
    try {
      if (preferMatmul(filterShape, x.shape, dy.shape)) return scope.finish(filterGradByMatmul(scope, x, dy, info));
      if (preferTapProducts(info)) return scope.finish(filterGradByTaps(scope, x, dy, info));
      const xt = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
      const dyt = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
      const full = scope.run(
        'Conv2D',
        { x: xt, filter: dyt },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [sh, sw],
        },
      );
      // wasm's Slice copies even when nothing is cut: skip it (fc6's gradient is 400 MB).
      const [, fh, fw] = full.shape as number[];
      const cropped =
        fh === kh && fw === kw
          ? full
          : scope.run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] });
      return scope.finish(scope.run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] }));
    } catch (e) {
      scope.abandon();
      throw e;
    }
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc: kernelFunc as KernelFunc };
}
