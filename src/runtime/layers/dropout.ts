/** The runtime twin of `dropout`: tfjs's Dropout (inverted scaling at training time, as Caffe's). */
import * as tf from '@tensorflow/tfjs';
import { bare, type Plan } from './plan.js';

export const dropoutPlan: Plan<'dropout'> = (node) =>
  bare(tf.layers.dropout({ name: node.name, rate: node.params.ratio }));
