/** `softmax_loss` is not a layer of the model: the training code computes it (../loss.ts). */
import type { Plan } from './plan.js';

export const softmaxLossPlan: Plan<'softmax_loss'> = () => null;
