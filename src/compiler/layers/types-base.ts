/** The value types shared by every layer's parameters. */

/** A per-axis pair, always [h, w]. */
export type Pair = [number, number];

/** How a parameter blob is initialised. */
export type Init =
  | { kind: 'gaussian'; std: number; mean: number }
  | { kind: 'xavier' }
  | { kind: 'msra' }
  | { kind: 'constant'; value: number }
  | { kind: 'bilinear' };

/** Learning settings of one parameter blob (weights or biases). */
export interface ParamSpec {
  /** Learning-rate multiplier; 0 freezes the parameter. */
  lr: number;
  /** Weight-decay multiplier. */
  decay: number;
  init: Init;
}
