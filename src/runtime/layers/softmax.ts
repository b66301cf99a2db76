/** The runtime twin of `softmax`: tfjs's Softmax on the channel axis. */
import * as tf from '@tensorflow/tfjs';
import { bare, type Plan } from './plan.js';

export const softmaxPlan: Plan<'softmax'> = (node) => bare(tf.layers.softmax({ name: node.name, axis: -1 }));
