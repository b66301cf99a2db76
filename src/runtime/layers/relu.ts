/** The runtime twin of `relu`: tfjs's ReLU, or LeakyReLU with Caffe's negative slope. */
import * as tf from '@tensorflow/tfjs';
import { bare, type Plan } from './plan.js';

export const reluPlan: Plan<'relu'> = (node) =>
  bare(
    node.params.slope === 0
      ? tf.layers.reLU({ name: node.name })
      : tf.layers.leakyReLU({ name: node.name, alpha: node.params.slope }),
  );
