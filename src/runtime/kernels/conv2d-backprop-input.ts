/**
 * Conv2DBackpropInput (the input gradient of a convolution, and the forward pass of a
 * transposed convolution) built from the backend's own Conv2D. wasm has this kernel, but as
 * plain loops: about 4 GFLOP/s against 30 for its XNNPack Conv2D.
 *
 * Per axis, with stride s, pad p and kernel k, dx[o] = Σ_{i·s + a − p = o} dy[i]·W[a]. Split
 * the output by phase r = (o + p) mod s: each phase is a stride-1 correlation of dy with the
 * sub-kernel W[s·j + r] reversed in j, of size K = ceil(k/s). All s² phases run as one Conv2D
 * whose output channels are (phase, channel); a transpose interleaves them, and a slice
 * drops the pad. For s = 1 this is the textbook "conv with the flipped, transposed filter".
 * When the filter outweighs the activations (fc6), a matrix product is used instead (im2col.ts).
 */
import {
  backend_util,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { KernelScope, pair } from './call.js';
import { inputGradByMatmul, preferMatmul } from './im2col.js';

interface AxisPlan {
  /** Sub-kernel size ceil(k/s). */
  K: number;
  /** Padding before dy, and after. */
  before: number;
  after: number;
  /** Where dx starts in the interleaved phase output. */
  offset: number;
}

/** Plans one axis; undefined when the pad is too large for the phase trick (then the original kernel runs). */
function planAxis(size: number, outSize: number, k: number, s: number, p: number): AxisPlan | undefined {
  const K = Math.ceil(k / s);
  const q0 = Math.floor(p / s);
  const offset = p % s;
  const before = K - 1 - q0;
  if (before < 0) return undefined;
  const rows = Math.ceil((size + offset) / s);
  const after = Math.max(0, rows - outSize - before + K - 1);
  return { K, before, after, offset };
}

/** Makes the kernel config for `backendName`; `original` is the kernel it replaces, kept for the cases the trick does not cover. */
export function conv2DBackpropInputConfig(backendName: string, original?: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const [sh, sw] = pair(strides);
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [n, h, w, cr] = inputShape;
    const [kh, kw, , cq] = filter.shape as number[];
    const [, ho, wo] = dy.shape as number[];
    const ph = planAxis(h, ho!, kh!, sh, info.padInfo.top);
    const pw = planAxis(w, wo!, kw!, sw, info.padInfo.left);
    if ((dataFormat !== undefined && dataFormat !== 'NHWC') || !ph || !pw) {
      if (!original) throw new Error(`Conv2DBackpropInput on ${backendName}: unsupported case and no original kernel`);
      return original.kernelFunc(args) as TensorInfo;
    }
    const scope = new KernelScope(backend as KernelBackend, backendName);
    try {
      if (preferMatmul(filter.shape, inputShape, dy.shape))
        return scope.finish(inputGradByMatmul(scope, dy, filter, info));
      // V[t, u, q, (ry·sw + rx)·Cr + r] = W[sh·(Kh−1−t) + ry, sw·(Kw−1−u) + rx, r, q], zero past the kernel.
      let v: TensorInfo = filter;
      if (ph.K * sh !== kh || pw.K * sw !== kw) {
        v = scope.run(
          'PadV2',
          { x: v },
          {
            paddings: [
              [0, ph.K * sh - kh!],
              [0, pw.K * sw - kw!],
              [0, 0],
              [0, 0],
            ],
            constantValue: 0,
          },
        );
      }
      if (sh === 1 && sw === 1) {
        v = scope.run('Reverse', { x: v }, { dims: [0, 1] });
        v = scope.run('Transpose', { x: v }, { perm: [0, 1, 3, 2] });
      } else {
        v = scope.run('Reshape', { x: v }, { shape: [ph.K, sh, pw.K, sw, cr, cq] });
        v = scope.run('Reverse', { x: v }, { dims: [0, 2] });
        v = scope.run('Transpose', { x: v }, { perm: [0, 2, 5, 1, 3, 4] });
        v = scope.run('Reshape', { x: v }, { shape: [ph.K, pw.K, cq, sh * sw * cr] });
      }
      let z = scope.run(
        'Conv2D',
        { x: dy, filter: v },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [ph.before, ph.after],
            [pw.before, pw.after],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [1, 1],
        },
      );
      if (sh > 1 || sw > 1) {
        // Interleave the phases: [N, Mh, Mw, sh, sw·Cr] → [N, Mh, sh, Mw, sw·Cr]. A transpose, because
        // wasm's DepthToSpace is an order of magnitude slower (and needs sh = sw).
        const [, mh, mw] = z.shape as number[];
        z = scope.run('Reshape', { x: z }, { shape: [n, mh, mw, sh, sw * cr] });
        z = scope.run('Transpose', { x: z }, { perm: [0, 1, 3, 2, 4] });
        z = scope.run('Reshape', { x: z }, { shape: [n, mh! * sh, mw! * sw, cr] });
      }
      const [, zh, zw] = z.shape as number[];
      if (zh === h && zw === w && ph.offset === 0 && pw.offset === 0) return scope.finish(z);
      return scope.finish(scope.run('Slice', { x: z }, { begin: [0, ph.offset, pw.offset, 0], size: [n, h, w, cr] }));
    } catch (e) {
      scope.abandon();
      throw e;
    }
  };
  // The original's setup (binding its wasm function) must still run, since we fall back to it.
  const setupFunc = original?.setupFunc;
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName,
    kernelFunc: kernelFunc as KernelFunc,
    ...(setupFunc ? { setupFunc } : {}),
  };
}
