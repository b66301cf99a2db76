/**
 * What one layer type is, in one place: its parameters and their schema, how it maps space
 * (one of a closed set of kinds that every analysis switches over exhaustively), its output
 * channels, its parameter count and FLOPs, and how `fcn viz` labels and draws it. Each type
 * lives in its own file next to this one; ./registry.ts lists them, typed so that a type
 * without a definition does not compile.
 */
import type { CheckedParams, ParamDef } from './params.js';
import type { Pair } from './types-base.js';

/** One axis of a sliding window: effective kernel extent, stride, pad. */
export interface Window {
  /** Effective extent `dilation·(kernel−1)+1`. */
  k: number;
  s: number;
  p: number;
}

/**
 * How a layer maps space (the closed set every analysis handles):
 * - `window`: convolution or pooling, output i covers input `s·i−p … s·i−p+k−1`; the output
 *   size rounds down (`floor`, Caffe's convolution) or up (`ceil`, Caffe's pooling);
 * - `deconv`: the transpose of a window with the same k, s, p (also a corner-aligned
 *   bilinear resize by an integer factor, which is exactly such a deconvolution);
 * - `crop`: output i is input `i + offset` (the crop analysis infers the offset);
 * - `pointwise`: every input has one size, which the output keeps, pixel for pixel;
 * - `like`: the output takes its second input's size, with no fixed coordinate map;
 * - `collapse`: a 1×1 output that sees the whole input (fc, global pooling): no map;
 * - `loss`: a scalar over inputs of one size.
 */
export type Spatial =
  | { kind: 'window'; axes: [Window, Window]; round: 'floor' | 'ceil' }
  | { kind: 'deconv'; axes: [Window, Window] }
  | { kind: 'crop' }
  | { kind: 'pointwise' }
  | { kind: 'like' }
  | { kind: 'collapse' }
  | { kind: 'loss' };

export type SpatialKind = Spatial['kind'];

/** Fails to compile when a switch over a closed set misses a case. */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}

/** The windows of a kernel, stride, pad and dilation, per axis. */
export function windows(kernel: Pair, stride: Pair, pad: Pair, dilation: Pair = [1, 1]): [Window, Window] {
  const axis = (i: 0 | 1): Window => ({ k: dilation[i] * (kernel[i] - 1) + 1, s: stride[i], p: pad[i] });
  return [axis(0), axis(1)];
}

/** What the cost of a layer depends on. */
export interface CostInput {
  /** Channels of the first input (null: unknown). */
  inC: number | null;
  /** Output channels. */
  outC: number | null;
  /** H·W of the first input and of the output (null: unknown). */
  inArea: number | null;
  outArea: number | null;
  /** Number of inputs. */
  inputs: number;
}

/** What a viz label may name besides the parameters: the input blobs. */
export interface DetailInput {
  inputs: string[];
}

/** One layer type. `N` is its name in a .fcn file, `P` its normalised parameters. */
export interface LayerDef<N extends string = string, P = unknown> {
  type: N;
  doc: string;
  /** How many bottoms the layer takes. */
  inputs: { min: number; max: number };
  params: readonly ParamDef[];
  build(values: CheckedParams): P;
  /**
   * A rule across parameters the schema cannot state (`give exactly one of …`): when broken,
   * the diagnostic's code (`missing-parameter`, `conflicting-parameters`) and message.
   */
  check?(values: CheckedParams): { code: string; message: string } | undefined;
  /** How the layer maps the H and W axes. */
  spatial(p: P): Spatial;
  /** Output channels from the inputs' channels (null: unknown, or a scalar). */
  channels(p: P, inputs: readonly (number | null)[]): number | null;
  /** Number of values the layer stores (its weights, biases or statistics). */
  paramCount(p: P, c: CostInput): number | null;
  /** Multiply-adds counted as 2 FLOPs (0 for the layers the published tables leave out). */
  flops(p: P, c: CostInput): number | null;
  /** The one-line summary `fcn viz` prints under the layer's name. */
  detail(p: P, d: DetailInput): string;
  /** How `fcn viz` draws it: a box with its parameters, or a one-line pill (pointwise layers). */
  style: 'box' | 'pill';
  /** A net may end here by design (a loss, softmax, argmax): never "unused". */
  head?: boolean;
  /** Fuses several branches (a skip): the stride ladder and the fusion checks look at it. */
  fusion?: boolean;
  /**
   * A sample use for the conformance test (test/layers.test.ts): items defining a layer `x`,
   * in a net with inputs `data` (an image of 4 channels) and `label`.
   */
  example: string;
  /** Whether the conformance test checks its gradient (false for argmax and the like). */
  differentiable: boolean;
}

/** Helpers for the many layers that keep their input's channels and store nothing. */
export const sameChannels = (_p: unknown, inputs: readonly (number | null)[]): number | null => inputs[0] ?? null;
export const none = (): number => 0;
export const pointwise = (): Spatial => ({ kind: 'pointwise' });

/** A pointwise layer type without parameters (sigmoid, tanh, softmax): only its name and doc differ. */
export function plainPointwise<N extends string>(
  type: N,
  doc: string,
  extra: Partial<Pick<LayerDef, 'head'>> = {},
): LayerDef<N, Record<string, never>> {
  return {
    type,
    doc,
    inputs: { min: 1, max: 1 },
    params: [],
    build: () => ({}),
    spatial: pointwise,
    channels: sameChannels,
    paramCount: none,
    flops: none,
    detail: () => '',
    style: 'pill',
    ...extra,
    example: `x: ${type}`,
    differentiable: true,
  };
}
