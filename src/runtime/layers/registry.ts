/**
 * The runtime twin of every layer type: the plan that builds its tfjs layer. Typed by
 * `LayerType`, so a type the compiler knows and the runtime does not is a compile error.
 */
import type { LayerNode } from '../../compiler/ir/types.js';
import type { LayerType } from '../../compiler/layers/types.js';
import { argmaxPlan } from './argmax.js';
import { batchNormPlan } from './batch_norm.js';
import { concatPlan } from './concat.js';
import { convPlan } from './conv.js';
import { cropPlan } from './crop.js';
import { deconvPlan } from './deconv.js';
import { dropoutPlan } from './dropout.js';
import { eltwisePlan } from './eltwise.js';
import { fcPlan } from './fc.js';
import { interpPlan } from './interp.js';
import { lrnPlan } from './lrn.js';
import type { LayerPlan, Plan, PlanContext } from './plan.js';
import { poolPlan } from './pool.js';
import { preluPlan } from './prelu.js';
import { reluPlan } from './relu.js';
import { scalePlan } from './scale.js';
import { sigmoidPlan } from './sigmoid.js';
import { softmaxPlan } from './softmax.js';
import { softmaxLossPlan } from './softmax_loss.js';
import { sumPlan } from './sum.js';
import { tanhPlan } from './tanh.js';

export const RUNTIME_LAYERS: { readonly [T in LayerType]: Plan<T> } = {
  conv: convPlan,
  deconv: deconvPlan,
  pool: poolPlan,
  relu: reluPlan,
  dropout: dropoutPlan,
  lrn: lrnPlan,
  crop: cropPlan,
  sum: sumPlan,
  concat: concatPlan,
  scale: scalePlan,
  softmax: softmaxPlan,
  softmax_loss: softmaxLossPlan,
  argmax: argmaxPlan,
  fc: fcPlan,
  batch_norm: batchNormPlan,
  interp: interpPlan,
  sigmoid: sigmoidPlan,
  tanh: tanhPlan,
  prelu: preluPlan,
  eltwise: eltwisePlan,
};

/** The plan of a node's layer; null for a node that is not a layer of the model (the loss). */
export function planNode(node: LayerNode, ctx: PlanContext): LayerPlan | null {
  return (RUNTIME_LAYERS[node.op] as Plan<LayerType>)(node as never, ctx);
}
