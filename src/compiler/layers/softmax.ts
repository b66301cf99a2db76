/** `softmax`: Caffe's Softmax across channels. */
import { plainPointwise } from './def.js';

export type SoftmaxParams = Record<string, never>;

export const softmax = plainPointwise('softmax', 'softmax across channels', { head: true });
