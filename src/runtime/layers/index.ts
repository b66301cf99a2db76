/** The custom tfjs layers behind the emitted models; importing this registers them for loading. */
export * from './args.js';
export { ChannelArgmax } from './argmax.js';
export { CaffeConv, ConvGeometry, type CaffeConvArgs } from './conv.js';
export { Crop, type CropArgs } from './crop.js';
export { CaffeDeconv } from './deconv.js';
export { dilateKernel } from './dilate.js';
export { CaffeFc, type CaffeFcArgs } from './fc.js';
export { CaffeLRN, type CaffeLRNArgs } from './lrn.js';
export { CaffePool, caffeAveDivisors, type CaffePoolArgs } from './pool.js';
export { CaffeScale } from './scale.js';
export { EltwiseSum, type EltwiseSumArgs } from './sum.js';
export { CaffeBatchNorm, type CaffeBatchNormArgs } from './batch_norm.js';
export * from './plan.js';
export { RUNTIME_LAYERS, planNode } from './registry.js';
export { CaffeInterp, type CaffeInterpArgs } from './interp.js';
export { CaffePReLU } from './prelu.js';
export { Eltwise } from './eltwise.js';
export { GlobalPool } from './pool.js';
