/**
 * The legacy V1 layer form (`layers { type: CONVOLUTION … }`, NetParameter field 2): its
 * type enum names as today's type strings, the way Caffe's own upgrade
 * (`UpgradeV1LayerType`) renames them.
 */
import { V1_LAYER_TYPES } from './schema.js';

const V1_TYPE_NAMES: Record<string, string> = {
  ABSVAL: 'AbsVal',
  ACCURACY: 'Accuracy',
  ARGMAX: 'ArgMax',
  BNLL: 'BNLL',
  CONCAT: 'Concat',
  CONTRASTIVE_LOSS: 'ContrastiveLoss',
  CONVOLUTION: 'Convolution',
  DATA: 'Data',
  DECONVOLUTION: 'Deconvolution',
  DROPOUT: 'Dropout',
  DUMMY_DATA: 'DummyData',
  EUCLIDEAN_LOSS: 'EuclideanLoss',
  ELTWISE: 'Eltwise',
  EXP: 'Exp',
  FLATTEN: 'Flatten',
  HDF5_DATA: 'HDF5Data',
  HDF5_OUTPUT: 'HDF5Output',
  HINGE_LOSS: 'HingeLoss',
  IM2COL: 'Im2col',
  IMAGE_DATA: 'ImageData',
  INFOGAIN_LOSS: 'InfogainLoss',
  INNER_PRODUCT: 'InnerProduct',
  LRN: 'LRN',
  MEMORY_DATA: 'MemoryData',
  MULTINOMIAL_LOGISTIC_LOSS: 'MultinomialLogisticLoss',
  MVN: 'MVN',
  POOLING: 'Pooling',
  POWER: 'Power',
  RELU: 'ReLU',
  SIGMOID: 'Sigmoid',
  SIGMOID_CROSS_ENTROPY_LOSS: 'SigmoidCrossEntropyLoss',
  SILENCE: 'Silence',
  SOFTMAX: 'Softmax',
  SOFTMAX_LOSS: 'SoftmaxWithLoss',
  SPLIT: 'Split',
  SLICE: 'Slice',
  TANH: 'TanH',
  WINDOW_DATA: 'WindowData',
  THRESHOLD: 'Threshold',
};

/** Today's type string of a V1 type, by enum name (`CONVOLUTION`) or number (4). */
export function v1TypeName(type: string | number): string {
  const name = typeof type === 'number' ? Object.keys(V1_LAYER_TYPES).find((k) => V1_LAYER_TYPES[k] === type) : type;
  return (name && V1_TYPE_NAMES[name]) ?? String(name ?? type);
}
