/** `tanh`: Caffe's TanH. */
import { plainPointwise } from './def.js';

export type TanhParams = Record<string, never>;

export const tanh = plainPointwise('tanh', 'hyperbolic tangent');
