/**
 * The resolved net: imports loaded, blocks and repeats expanded, names made absolute and
 * checked, parameters normalised. This is what the IR is built from.
 */
import type { Span } from '../../diagnostics/span.js';
import type { LayerParamsByType, LayerType, Pair } from '../layers/types.js';

export interface ResolvedInput {
  /** Absolute name (inputs of the root net have no prefix). */
  name: string;
  kind: 'image' | 'label';
  channels: number;
  /** Fixed spatial size [h, w], if the file gives one. */
  size?: Pair;
  /** Per-channel mean subtracted before the net, in the net's channel order. */
  mean?: number[];
  /** Channel order the net expects; images are read as RGB and reordered if this is 'bgr'. */
  order: 'rgb' | 'bgr';
  /**
   * Set for an input declared `frame: own`: its pixels do not line up with the other inputs'.
   * Every other input shares the image frame, as the tops of one Caffe data layer do.
   */
  ownFrame?: true;
  /**
   * Set on the placeholder for a name that did not resolve (`name?`, see `withStandIns`), in
   * the partial net of a file with errors; never in a net without errors.
   */
  standIn?: true;
  span: Span;
}

/** Where a layer came from: its own declaration, and the instantiations that expanded it. */
export interface Origin {
  /** The layer declaration (in the file that defines the block). */
  span: Span;
  /** Call sites, innermost first: the block instance lines that produced this layer. */
  via: Span[];
}

interface ResolvedLayerBase<T extends LayerType> {
  /** Absolute name, block and import prefixes joined by '.', e.g. `vgg.conv1_1`. */
  name: string;
  type: T;
  /** Absolute names of the input blobs (layers or inputs), in order. */
  bottoms: string[];
  params: LayerParamsByType[T];
  /** Block-instance path, e.g. ['vgg'] for `vgg.conv1_1`. */
  scope: string[];
  origin: Origin;
  /**
   * For crops written inline as `crop(x)` in a bottom list: the span of that call.
   * Their name is the input's name with a `c` suffix, as in the reference nets (`score_pool4c`).
   */
  inline?: boolean;
}

export type ResolvedLayer = { [T in LayerType]: ResolvedLayerBase<T> }[LayerType];

/** Training defaults written in the file's `solver { … }` section. */
export interface SolverSettings {
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  batch?: number;
  iters?: number;
  epochs?: number;
  seed?: number;
  /** Caffe's lr_policy: `fixed`, `poly` (with `power`) or `step` (with `gamma` and `stepsize`). */
  lrPolicy?: 'fixed' | 'poly' | 'step';
  power?: number;
  gamma?: number;
  stepsize?: number;
  /** Caffe's clip_gradients: the largest L2 norm of a step's gradients (all weights together). */
  clipGradients?: number;
  [key: string]: number | string | undefined;
}

export interface ResolvedNet {
  name: string;
  /** The root file's path as given. */
  file: string;
  inputs: ResolvedInput[];
  /** In definition order, which is a topological order (names are defined before use). */
  layers: ResolvedLayer[];
  solver: SolverSettings;
  span: Span;
}
