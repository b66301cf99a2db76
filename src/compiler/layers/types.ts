/**
 * The normalised parameters of each built-in layer type, as the resolver hands them to the
 * compiler: defaults filled in, scalars expanded to per-axis pairs [h, w], everything checked.
 */

/** A per-axis pair, always [h, w]. */
export type Pair = [number, number];

/** How a parameter blob is initialised. */
export type Init =
  | { kind: 'gaussian'; std: number; mean: number }
  | { kind: 'xavier' }
  | { kind: 'msra' }
  | { kind: 'constant'; value: number }
  | { kind: 'bilinear' };

/** Learning settings of one parameter blob (weights or biases). */
export interface ParamSpec {
  /** Learning-rate multiplier; 0 freezes the parameter. */
  lr: number;
  /** Weight-decay multiplier. */
  decay: number;
  init: Init;
}

export interface ConvParams {
  out: number;
  kernel: Pair;
  stride: Pair;
  pad: Pair;
  dilation: Pair;
  group: number;
  /** Whether the layer has a bias term. */
  biasTerm: boolean;
  weight: ParamSpec;
  bias: ParamSpec;
}

/** Deconvolution (transposed convolution): the same parameters as a convolution. */
export type DeconvParams = ConvParams;

export interface PoolParams {
  method: 'max' | 'ave';
  kernel: Pair;
  stride: Pair;
  pad: Pair;
  /** Caffe rounds the output size up (`ceil`, the default); TensorFlow rounds down (`floor`). */
  round: 'ceil' | 'floor';
}

export interface ReluParams {
  slope: number;
}

export interface DropoutParams {
  ratio: number;
}

/** Caffe's LRN across channels: `x / (k + alpha/size · Σ x²)^beta` over `size` channels. */
export interface LrnParams {
  size: number;
  alpha: number;
  beta: number;
  k: number;
}

/** Crop bottom[0] to the spatial size of bottom[1] (the reference), at an offset. */
export interface CropParams {
  /** The offset written in the file, if any; the compiler infers it and checks this against it. */
  offset?: Pair;
}

export interface SumParams {
  /** Per-input coefficients (Caffe's Eltwise coeff); all 1 when absent. */
  coeff?: number[];
}

export type ConcatParams = Record<string, never>;

/** Multiplies by a learnable or fixed scalar per channel (the at-once net's 0.01 and 0.0001). */
export interface ScaleParams {
  value: number;
  weight: ParamSpec;
}

export type SoftmaxParams = Record<string, never>;

export interface SoftmaxLossParams {
  /** Label value whose pixels contribute nothing (255 in VOC). */
  ignore?: number;
  /** Divide by the number of counted pixels (true) or sum (false, as the FCN reference does). */
  normalize: boolean;
  /** Loss weight. */
  weight: number;
}

export type ArgmaxParams = Record<string, never>;

/** Inner product: breaks the spatial chain (maps across it are an error). */
export interface FcParams {
  out: number;
  biasTerm: boolean;
  weight: ParamSpec;
  bias: ParamSpec;
}

export interface BatchNormParams {
  eps: number;
}

export interface LayerParamsByType {
  conv: ConvParams;
  deconv: DeconvParams;
  pool: PoolParams;
  relu: ReluParams;
  dropout: DropoutParams;
  lrn: LrnParams;
  crop: CropParams;
  sum: SumParams;
  concat: ConcatParams;
  scale: ScaleParams;
  softmax: SoftmaxParams;
  softmax_loss: SoftmaxLossParams;
  argmax: ArgmaxParams;
  fc: FcParams;
  batch_norm: BatchNormParams;
}

export type LayerType = keyof LayerParamsByType;

export const LAYER_TYPES = [
  'conv',
  'deconv',
  'pool',
  'relu',
  'dropout',
  'lrn',
  'crop',
  'sum',
  'concat',
  'scale',
  'softmax',
  'softmax_loss',
  'argmax',
  'fc',
  'batch_norm',
] as const satisfies readonly LayerType[];
