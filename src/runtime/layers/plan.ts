/**
 * What the runtime twin of a layer type provides: from an IR node, the tfjs layer that
 * computes it, with how each of its weights is laid out and initialised. Each type's file in
 * this folder exports its plan; ./registry.ts gathers them by type.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerNode } from '../../compiler/ir/types.js';
import type { Init, LayerType, Pair, ParamSpec } from '../../compiler/layers/types.js';
import type { ParamLayout } from '../init.js';

/** A weight of a layer, as the emitter initialises it and the trainer updates it. */
export interface WeightPlan {
  /** The tfjs short name: kernel, bias, scale, moving_mean, … */
  weight: string;
  spec: ParamSpec;
  init: Init;
  layout: ParamLayout;
}

export interface LayerPlan {
  layer: tf.layers.Layer;
  /** In the order of layer.weights. */
  weights: WeightPlan[];
}

/** What a plan may need besides its node. */
export interface PlanContext {
  /** A crop's offset (inferred or written). */
  offset?: Pair;
  inputCount: number;
}

/** The plan of one layer type; null for a layer that is not part of the model (the loss). */
export type Plan<T extends LayerType> = (node: Extract<LayerNode, { op: T }>, ctx: PlanContext) => LayerPlan | null;

/** A weight the training never changes and the initialiser fills with a constant (statistics). */
export function stateWeight(weight: string, value: number): WeightPlan {
  return {
    weight,
    spec: { lr: 0, decay: 0, init: { kind: 'constant', value } },
    init: { kind: 'constant', value },
    layout: { kind: 'vector' },
  };
}

/** The weights of a layer with a kernel of `layout` and an optional bias (conv, deconv, fc). */
export function kernelAndBias(
  p: { weight: ParamSpec; bias: ParamSpec; biasTerm: boolean },
  layout: ParamLayout,
): WeightPlan[] {
  const weights: WeightPlan[] = [{ weight: 'kernel', spec: p.weight, init: p.weight.init, layout }];
  if (p.biasTerm) weights.push({ weight: 'bias', spec: p.bias, init: p.bias.init, layout: { kind: 'vector' } });
  return weights;
}

/** A layer without weights. */
export const bare = (layer: tf.layers.Layer): LayerPlan => ({ layer, weights: [] });
