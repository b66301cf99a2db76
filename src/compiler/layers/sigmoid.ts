/** `sigmoid`: Caffe's Sigmoid, 1 / (1 + e^−x). */
import { plainPointwise } from './def.js';

export type SigmoidParams = Record<string, never>;

export const sigmoid = plainPointwise('sigmoid', 'logistic sigmoid');
