/**
 * One tfjs layer per IR node: which layer class carries each op, with which arguments, and
 * how its weights are laid out and initialised. emit.ts walks the graph; this file knows ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerNode } from '../compiler/ir/types.js';
import type { Init, Pair, ParamSpec } from '../compiler/layers/types.js';
import type { ParamLayout } from './init.js';
import {
  CaffeConv,
  CaffeDeconv,
  CaffeFc,
  CaffeLRN,
  CaffePool,
  CaffeScale,
  ChannelArgmax,
  Crop,
  EltwiseSum,
} from './layers/index.js';

/** A weight of a layer, as the emitter initialises it and the trainer updates it. */
export interface WeightPlan {
  /** The tfjs short name: kernel, bias or scale. */
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

function convWeights(node: LayerNode & { op: 'conv' | 'deconv' }): WeightPlan[] {
  const p = node.params;
  const layout: ParamLayout = { kind: node.op, group: p.group };
  const weights: WeightPlan[] = [{ weight: 'kernel', spec: p.weight, init: p.weight.init, layout }];
  if (p.biasTerm) weights.push({ weight: 'bias', spec: p.bias, init: p.bias.init, layout: { kind: 'vector' } });
  return weights;
}

/** Makes the layer for a node (not for softmax_loss, which the training code computes). */
export function planLayer(node: LayerNode, cropOffset: Pair | undefined, inputCount: number): LayerPlan {
  const name = node.name;
  switch (node.op) {
    case 'conv':
    case 'deconv': {
      const p = node.params;
      const args = {
        name,
        filters: p.out,
        kernel: p.kernel,
        stride: p.stride,
        pad: p.pad,
        dilation: p.dilation,
        group: p.group,
        useBias: p.biasTerm,
      };
      return { layer: node.op === 'conv' ? new CaffeConv(args) : new CaffeDeconv(args), weights: convWeights(node) };
    }
    case 'pool': {
      const p = node.params;
      return {
        layer: new CaffePool({
          name,
          method: p.method,
          kernel: p.kernel,
          stride: p.stride,
          pad: p.pad,
          round: p.round,
        }),
        weights: [],
      };
    }
    case 'relu':
      return {
        layer:
          node.params.slope === 0 ? tf.layers.reLU({ name }) : tf.layers.leakyReLU({ name, alpha: node.params.slope }),
        weights: [],
      };
    case 'dropout':
      return { layer: tf.layers.dropout({ name, rate: node.params.ratio }), weights: [] };
    case 'lrn':
      return { layer: new CaffeLRN({ name, ...node.params }), weights: [] };
    case 'crop':
      if (!cropOffset) throw new Error(`crop ${name}: no offset was inferred or given`);
      return { layer: new Crop({ name, offset: cropOffset }), weights: [] };
    case 'sum':
      return { layer: new EltwiseSum({ name, coeff: node.params.coeff ?? null }), weights: [] };
    case 'concat':
      // tfjs's Concatenate wants two inputs or more; Caffe allows one.
      return {
        layer: inputCount > 1 ? tf.layers.concatenate({ name, axis: -1 }) : new EltwiseSum({ name }),
        weights: [],
      };
    case 'scale': {
      const p = node.params;
      // The declared value is the initial factor; a non-constant init in the weight section wins.
      const init: Init = p.weight.init.kind === 'constant' ? { kind: 'constant', value: p.value } : p.weight.init;
      return {
        layer: new CaffeScale({ name }),
        weights: [{ weight: 'scale', spec: p.weight, init, layout: { kind: 'vector' } }],
      };
    }
    case 'softmax':
      return { layer: tf.layers.softmax({ name, axis: -1 }), weights: [] };
    case 'argmax':
      return { layer: new ChannelArgmax({ name }), weights: [] };
    case 'fc': {
      const p = node.params;
      const weights: WeightPlan[] = [{ weight: 'kernel', spec: p.weight, init: p.weight.init, layout: { kind: 'fc' } }];
      if (p.biasTerm) weights.push({ weight: 'bias', spec: p.bias, init: p.bias.init, layout: { kind: 'vector' } });
      return { layer: new CaffeFc({ name, units: p.out, useBias: p.biasTerm }), weights };
    }
    case 'batch_norm':
      // Caffe's BatchNorm has no affine part (that is a separate Scale layer).
      return {
        layer: tf.layers.batchNormalization({
          name,
          axis: -1,
          epsilon: node.params.eps,
          center: false,
          scale: false,
          momentum: 0.999,
        }),
        weights: [],
      };
    case 'softmax_loss':
      throw new Error(`softmax_loss ${name} is not a layer of the model`);
  }
}
