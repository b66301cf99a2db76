/** The runtime twin of `sigmoid`: tfjs's sigmoid activation. */
import * as tf from '@tensorflow/tfjs';
import { bare, type Plan } from './plan.js';

export const sigmoidPlan: Plan<'sigmoid'> = (node) =>
  bare(tf.layers.activation({ name: node.name, activation: 'sigmoid' }));
