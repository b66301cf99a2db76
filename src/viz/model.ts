/**
 * The visualisation model: plain JSON, independent of the compiler's internal types, so that
 * the page, the SVG and DOT writers and `--format json` all read one stable shape.
 * `toVizModel` (adapter.ts) builds it from the compiler's results; `finishModel` fills in what
 * is derived from the model alone (colours, ladder, shift contributions).
 */

import type { Pair } from '../compiler/layers/types.js';

/** A per-axis pair, always [h, w]: the compiler's `Pair`. */
export type VizPair = Pair;

/** A blob shape [C, H, W]; H and W are null when no input size is known. */
export type VizShape = [number | null, number | null, number | null];

/** One axis of a coordinate map, in FCN.md's direction: `input = a·output + b`. */
export interface VizAffine {
  a: number;
  b: number;
}

/** A coordinate map per axis [h, w]. */
export type VizMap = [VizAffine, VizAffine];

/** A line of a .fcn file. */
export interface VizSource {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The whole source line, without its line break. */
  text: string;
}

export interface VizInput {
  name: string;
  kind: 'image' | 'label';
  shape: VizShape;
}

export interface VizNode {
  /** Absolute blob (= layer) name, e.g. `vgg.conv1_1`. */
  name: string;
  /**
   * 'input' or the layer type (conv, pool, deconv, crop, sum …); 'missing' for the stand-in of a
   * name that did not resolve (a net with errors), whose readers then have no numbers.
   */
  type: string;
  /** Block-instance path, e.g. ['vgg']. */
  scope: string[];
  /** Names of the blobs this layer reads, in order. */
  inputs: string[];
  /** A short summary of the parameters, e.g. `3×3 pad 100 → 64`. */
  detail: string;
  shape: VizShape | null;
  /** Effective stride, receptive field and effective padding relative to the reference input; null off the spatial chain. */
  stride: VizPair | null;
  rf: VizPair | null;
  padding: VizPair | null;
  params: number;
  /** FLOPs (a multiply-add counts 2); null without an input size. */
  flops: number | null;
  /** The layer's declaration, and the block instantiations that expanded it (innermost first). */
  source: VizSource | null;
  via: VizSource[];
  /** Index into `legend`: the node's colour by effective stride; null when it has none. */
  level: number | null;
  /** Index into `crops` when this node is a crop. */
  crop?: number;
  /** True for crops written inline as `crop(x)` in a bottom list. */
  inline?: boolean;
  /** True for the pointwise layers drawn as one-line pills. */
  pill?: boolean;
  /** The compiler's errors at this layer (one-line messages), drawn on it. */
  errors?: string[];
}

export interface VizEdge {
  from: string;
  to: string;
  /** Shape of the blob `from`, carried by this edge. */
  shape: VizShape | null;
  /** 'size' for a crop's reference: only its size is read, not its values. */
  kind: 'data' | 'size';
}

/** One layer on a path to the common ancestor. */
export interface VizStep {
  /** The layer whose output is mapped to its input. */
  layer: string;
  type: string;
  detail: string;
  /** This layer's own map: its input coordinate from its output coordinate. */
  map: VizMap;
  /** The composition from this layer's output to the ancestor (filled by `finishModel`). */
  toAncestor: VizMap;
  /** This layer's share of the path's total shift, in ancestor pixels (filled by `finishModel`). */
  shift: VizPair;
}

/** The path from a blob back to the common ancestor; `steps` run from the ancestor outwards. */
export interface VizPath {
  from: string;
  steps: VizStep[];
  /** The whole path's map: ancestor coordinate from `from`'s coordinate. */
  composed: VizMap;
}

export interface VizCrop {
  /** The crop layer. */
  name: string;
  /** The blob being cropped. */
  input: string;
  /** The blob whose size it is cropped to. */
  reference: string;
  /** The common ancestor; null when no spatial path connects the two blobs (then both paths are empty). */
  ancestor: string | null;
  /** The inferred offset [h, w]; null when it could not be inferred (see `error`). */
  offset: VizPair | null;
  /** The offset written in the file, if any. */
  written: VizPair | null;
  /** [input → ancestor, reference → ancestor]. */
  paths: [VizPath, VizPath];
  error?: string;
}

export interface VizLegendEntry {
  /** Effective stride (isotropic), or null for the "other" entry (anisotropic, fractional). */
  stride: number | null;
  label: string;
  fill: string;
  stroke: string;
}

/** One input of a rung of the stride ladder. */
export interface VizBranch {
  /** The blob the rung reads. */
  blob: string;
  /** When that blob is a crop: the blob it crops and the offset. */
  crop?: { of: string; offset: VizPair | null };
  /** Where the branch starts: walking back at equal stride, the layer that set its stride. */
  source: string;
  /** When the source changes the stride: its own input and the factor (2: ×2 upsampling, 0.5: 2×2 pooling). */
  from?: { name: string; factor: number };
}

/** A fusion of maps (sum, concat), or a crop that is not a fusion's own input. */
export interface VizRung {
  name: string;
  kind: 'fusion' | 'crop';
  /** Effective stride (h axis), null off the spatial chain. */
  stride: number | null;
  branches: VizBranch[];
  /** For a crop rung: the blob whose size it takes. */
  reference?: string;
}

/**
 * The skip architecture: the trunk's downsampling steps (the first blob at each stride),
 * then the rungs where maps fuse or are cropped.
 */
export interface VizLadder {
  /** Distinct strides, ascending: the ladder's columns. */
  levels: number[];
  trunk: Array<{ stride: number; name: string }>;
  rungs: VizRung[];
}

export interface VizImage {
  /** `data:image/jpeg;base64,…`, already at the input size. */
  dataUrl: string;
  width: number;
  height: number;
  /** The file it came from, as given. */
  file: string;
}

export interface VizModel {
  /** Bumped when the shape changes incompatibly. */
  version: 1;
  net: string;
  file: string;
  inputs: VizInput[];
  /** The input that stride, RF and padding refer to (the net's first image input). */
  reference: string | null;
  /** Spatial size [h, w] of the reference input, when known. */
  inputSize: VizPair | null;
  /** In topological order. */
  nodes: VizNode[];
  edges: VizEdge[];
  crops: VizCrop[];
  legend: VizLegendEntry[];
  ladder: VizLadder;
  totals: { params: number; flops: number | null };
  /** Warnings from the compiler, rendered as text. */
  warnings: string[];
  /** Errors from the compiler, rendered as text; each one at a layer is also on that node (`errors`). */
  errors: string[];
  image?: VizImage;
}
