/**
 * A Caffe net as read from a prototxt, in one form whatever the file's: V1 `layers` are
 * turned into today's `layer` (type names, `blobs_lr`/`weight_decay` as params), and the
 * net-level `input:` declarations are kept apart. Spans point into the prototxt.
 */
import type { Source } from '../../diagnostics/source.js';
import type { Span } from '../../diagnostics/span.js';
import type { Fields } from '../prototxt/read.js';

export interface Named {
  name: string;
  span: Span;
}

/** Learning multipliers of one parameter blob (Caffe's ParamSpec). */
export interface CaffeParam {
  lr: number;
  decay: number;
  /** Set when the blob is shared with another layer by name (fcn cannot say that). */
  shared?: string;
}

export interface CaffeLayer {
  name: string;
  nameSpan: Span;
  type: string;
  typeSpan: Span;
  /** The whole `layer { … }` block. */
  span: Span;
  bottoms: Named[];
  tops: Named[];
  params: CaffeParam[];
  lossWeights: number[];
  /** The layer's fields; its `*_param` messages are read from here by name. */
  fields: Fields;
  /** Read from the legacy `layers` form. */
  v1: boolean;
}

/** A net-level input (`input: "data"` with `input_dim` or `input_shape`). */
export interface CaffeInput extends Named {
  /** N, C, H, W when given. */
  shape?: number[];
}

export interface CaffeNet {
  name?: string;
  source: Source;
  inputs: CaffeInput[];
  layers: CaffeLayer[];
  /** Which form the file used: `layer` (current) or `layers` (V1). */
  form: 'layer' | 'layers';
}

export type Phase = 'train' | 'test';
