/** The runtime twin of `tanh`: tfjs's tanh activation. */
import * as tf from '@tensorflow/tfjs';
import { bare, type Plan } from './plan.js';

export const tanhPlan: Plan<'tanh'> = (node) => bare(tf.layers.activation({ name: node.name, activation: 'tanh' }));
