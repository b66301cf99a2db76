/** The runtime twin of `concat`: tfjs's Concatenate on the channel axis. */
import * as tf from '@tensorflow/tfjs';
import { bare, type Plan } from './plan.js';
import { EltwiseSum } from './sum.js';

// tfjs's Concatenate wants two inputs or more; Caffe allows one.
export const concatPlan: Plan<'concat'> = (node, ctx) =>
  bare(ctx.inputCount > 1 ? tf.layers.concatenate({ name: node.name, axis: -1 }) : new EltwiseSum({ name: node.name }));
