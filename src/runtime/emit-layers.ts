/**
 * One tfjs layer per IR node: each layer type's runtime twin (./layers/<type>.ts) says which
 * layer class carries it, with which arguments, and how its weights are laid out and
 * initialised. emit.ts walks the graph; ./layers/registry.ts knows the types.
 */
import type { LayerNode } from '../compiler/ir/types.js';
import type { Pair } from '../compiler/layers/types.js';
import { planNode, type LayerPlan } from './layers/index.js';

export type { LayerPlan, WeightPlan } from './layers/index.js';

/** Makes the layer for a node (not for softmax_loss, which the training code computes). */
export function planLayer(node: LayerNode, cropOffset: Pair | undefined, inputCount: number): LayerPlan {
  const plan = planNode(node, { ...(cropOffset ? { offset: cropOffset } : {}), inputCount });
  if (!plan) throw new Error(`${node.op} ${node.name} is not a layer of the model`);
  return plan;
}
