/**
 * The normalised parameters of each built-in layer type, as the resolver hands them to the
 * compiler: defaults filled in, scalars expanded to per-axis pairs [h, w], everything checked.
 * Each type's parameters are declared in its own file; this module gathers them.
 */
export type { Init, Pair, ParamSpec } from './types-base.js';
export type { ArgmaxParams } from './argmax.js';
export type { BatchNormParams } from './batch_norm.js';
export type { ConcatParams } from './concat.js';
export type { ConvParams } from './conv.js';
export type { CropParams } from './crop.js';
export type { DeconvParams } from './deconv.js';
export type { DropoutParams } from './dropout.js';
export type { FcParams } from './fc.js';
export type { LrnParams } from './lrn.js';
export type { PoolParams } from './pool.js';
export type { ReluParams } from './relu.js';
export type { ScaleParams } from './scale.js';
export type { SoftmaxParams } from './softmax.js';
export type { SoftmaxLossParams } from './softmax_loss.js';
export type { SumParams } from './sum.js';
export type { EltwiseParams } from './eltwise.js';
export type { InterpParams } from './interp.js';
export type { PreluParams } from './prelu.js';
export type { SigmoidParams } from './sigmoid.js';
export type { TanhParams } from './tanh.js';
export { LAYER_TYPES, type LayerParamsByType, type LayerType } from './registry.js';
