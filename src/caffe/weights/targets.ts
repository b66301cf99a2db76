/**
 * The parameters a .fcn net needs, as its emitted model lays them out: per layer, each
 * weight's tfjs name and shape, its Caffe shape (what a caffemodel must hold for it), and
 * how the net initialises it when nothing is imported.
 */
import type * as tf from '@tensorflow/tfjs';
import type { IRGraph, LayerNode } from '../../compiler/ir/types.js';
import type { Init } from '../../compiler/layers/types.js';
import { planLayer } from '../../runtime/emit-layers.js';
import type { ParamLayout } from '../../runtime/init.js';

export interface TargetWeight {
  /** The tfjs name, `layer/role` (`vgg.conv1_1/kernel`). */
  name: string;
  layer: string;
  /** kernel, bias, scale, moving_mean, moving_variance or factor. */
  role: string;
  /** tfjs shape. */
  shape: number[];
  /** The Caffe blob shape that fills it: tfjs [A, B, C, D] is Caffe's (D, C, A, B); [in, out] is (out, in). */
  caffeShape: number[];
  init: Init;
  layout: ParamLayout;
}

export interface TargetLayer {
  name: string;
  op: LayerNode['op'];
  weights: TargetWeight[];
}

/** Caffe's shape of a tfjs weight shape. */
export function caffeShapeOf(shape: number[]): number[] {
  if (shape.length === 4) return [shape[3]!, shape[2]!, shape[0]!, shape[1]!];
  if (shape.length === 2) return [shape[1]!, shape[0]!];
  return [...shape];
}

/** The net's layers with parameters, in the model's order, and every weight in the model's order. */
export function netTargets(ir: IRGraph, model: tf.LayersModel): { layers: TargetLayer[]; weights: TargetWeight[] } {
  const layers: TargetLayer[] = [];
  const weights: TargetWeight[] = [];
  for (const node of ir.nodes) {
    if (node.op === 'input' || node.op === 'softmax_loss') continue;
    const variables = model.getLayer(node.name).weights;
    if (!variables.length) continue;
    const plans = planLayer(node, [0, 0], node.inputs.length).weights;
    const layer: TargetLayer = { name: node.name, op: node.op, weights: [] };
    variables.forEach((v, i) => {
      const role = v.originalName.slice(v.originalName.lastIndexOf('/') + 1);
      const plan = plans[i];
      if (!plan) throw new Error(`netTargets: ${v.originalName} has no plan`);
      const w: TargetWeight = {
        name: v.originalName,
        layer: node.name,
        role,
        shape: v.shape as number[],
        caffeShape: caffeShapeOf(v.shape as number[]),
        init: plan.init,
        layout: plan.layout,
      };
      layer.weights.push(w);
      weights.push(w);
    });
    layers.push(layer);
  }
  return { layers, weights };
}
