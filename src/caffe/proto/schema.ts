/**
 * The part of Caffe's `caffe.proto` that fcn reads, as a protobufjs JSON descriptor, with
 * BVLC Caffe's field numbers. One schema serves both formats: the binary caffemodel decoder
 * (which skips whatever is not listed) and the prototxt reader (which checks field names and
 * value kinds against it). Messages that fcn never looks into (data_param, …) are `Opaque`:
 * their fields are accepted unread, so a prototxt that uses them is not refused for it.
 */
import protobuf from 'protobufjs';

type Fields = Record<string, { type: string; id: number; rule?: 'repeated'; options?: Record<string, unknown> }>;

const opt = (type: string, id: number, def?: unknown) => ({
  type,
  id,
  ...(def === undefined ? {} : { options: { default: def } }),
});
const rep = (type: string, id: number) => ({ type, id, rule: 'repeated' as const });
const packed = (type: string, id: number) => ({ type, id, rule: 'repeated' as const, options: { packed: true } });

/** The layer-specific parameter messages of LayerParameter that fcn never reads. */
const OPAQUE_LAYER_PARAMS: Record<string, number> = {
  accuracy_param: 102,
  bias_param: 141,
  contrastive_loss_param: 105,
  data_param: 107,
  elu_param: 140,
  embed_param: 137,
  exp_param: 111,
  flatten_param: 135,
  hdf5_data_param: 112,
  hdf5_output_param: 113,
  hinge_loss_param: 114,
  image_data_param: 115,
  infogain_loss_param: 116,
  log_param: 134,
  memory_data_param: 119,
  mvn_param: 120,
  parameter_param: 145,
  power_param: 122,
  prelu_param: 131,
  recurrent_param: 146,
  reduction_param: 136,
  reshape_param: 133,
  sigmoid_param: 124,
  spp_param: 132,
  slice_param: 126,
  swish_param: 147,
  tanh_param: 127,
  threshold_param: 128,
  tile_param: 138,
  window_data_param: 129,
  clip_param: 148,
};

/** V1LayerParameter's parameter messages that fcn never reads. */
const OPAQUE_V1_PARAMS: Record<string, number> = {
  layer: 1,
  accuracy_param: 27,
  contrastive_loss_param: 40,
  data_param: 11,
  exp_param: 41,
  hdf5_data_param: 13,
  hdf5_output_param: 14,
  hinge_loss_param: 29,
  image_data_param: 15,
  infogain_loss_param: 16,
  memory_data_param: 22,
  mvn_param: 34,
  power_param: 21,
  sigmoid_param: 38,
  slice_param: 31,
  tanh_param: 37,
  threshold_param: 25,
  window_data_param: 20,
};

const opaque = (ids: Record<string, number>): Fields =>
  Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, { type: 'Opaque', id }]));

/** V1's layer type enum (`type: CONVOLUTION`), with Caffe's numbers. */
export const V1_LAYER_TYPES: Record<string, number> = {
  NONE: 0,
  ABSVAL: 35,
  ACCURACY: 1,
  ARGMAX: 30,
  BNLL: 2,
  CONCAT: 3,
  CONTRASTIVE_LOSS: 37,
  CONVOLUTION: 4,
  DATA: 5,
  DECONVOLUTION: 39,
  DROPOUT: 6,
  DUMMY_DATA: 32,
  EUCLIDEAN_LOSS: 7,
  ELTWISE: 25,
  EXP: 38,
  FLATTEN: 8,
  HDF5_DATA: 9,
  HDF5_OUTPUT: 10,
  HINGE_LOSS: 28,
  IM2COL: 11,
  IMAGE_DATA: 12,
  INFOGAIN_LOSS: 13,
  INNER_PRODUCT: 14,
  LRN: 15,
  MEMORY_DATA: 29,
  MULTINOMIAL_LOGISTIC_LOSS: 16,
  MVN: 34,
  POOLING: 17,
  POWER: 26,
  RELU: 18,
  SIGMOID: 19,
  SIGMOID_CROSS_ENTROPY_LOSS: 27,
  SILENCE: 36,
  SOFTMAX: 20,
  SOFTMAX_LOSS: 21,
  SPLIT: 22,
  SLICE: 33,
  TANH: 23,
  WINDOW_DATA: 24,
  THRESHOLD: 31,
};

const ENGINE = { values: { DEFAULT: 0, CAFFE: 1, CUDNN: 2 } };

const caffe = {
  nested: {
    Phase: { values: { TRAIN: 0, TEST: 1 } },
    Opaque: { fields: {} },
    BlobShape: { fields: { dim: packed('int64', 1) } },
    BlobProto: {
      fields: {
        shape: opt('BlobShape', 7),
        data: packed('float', 5),
        diff: packed('float', 6),
        double_data: packed('double', 8),
        double_diff: packed('double', 9),
        num: opt('int64', 1),
        channels: opt('int64', 2),
        height: opt('int64', 3),
        width: opt('int64', 4),
      },
    },
    FillerParameter: {
      fields: {
        type: opt('string', 1, 'constant'),
        value: opt('float', 2, 0),
        min: opt('float', 3, 0),
        max: opt('float', 4, 1),
        mean: opt('float', 5, 0),
        std: opt('float', 6, 1),
        sparse: opt('int32', 7, -1),
        variance_norm: opt('VarianceNorm', 8, 'FAN_IN'),
      },
      nested: { VarianceNorm: { values: { FAN_IN: 0, FAN_OUT: 1, AVERAGE: 2 } } },
    },
    NetParameter: {
      fields: {
        name: opt('string', 1),
        input: rep('string', 3),
        input_shape: rep('BlobShape', 8),
        input_dim: rep('int32', 4),
        force_backward: opt('bool', 5),
        state: opt('NetState', 6),
        debug_info: opt('bool', 7),
        layer: rep('LayerParameter', 100),
        layers: rep('V1LayerParameter', 2),
      },
    },
    NetState: { fields: { phase: opt('Phase', 1, 'TEST'), level: opt('int32', 2, 0), stage: rep('string', 3) } },
    NetStateRule: {
      fields: {
        phase: opt('Phase', 1),
        min_level: opt('int32', 2),
        max_level: opt('int32', 3),
        stage: rep('string', 4),
        not_stage: rep('string', 5),
      },
    },
    ParamSpec: {
      fields: {
        name: opt('string', 1),
        share_mode: opt('DimCheckMode', 2),
        lr_mult: opt('float', 3, 1),
        decay_mult: opt('float', 4, 1),
      },
      nested: { DimCheckMode: { values: { STRICT: 0, PERMISSIVE: 1 } } },
    },
    LayerParameter: {
      fields: {
        name: opt('string', 1),
        type: opt('string', 2),
        bottom: rep('string', 3),
        top: rep('string', 4),
        phase: opt('Phase', 10),
        loss_weight: rep('float', 5),
        param: rep('ParamSpec', 6),
        blobs: rep('BlobProto', 7),
        propagate_down: rep('bool', 11),
        include: rep('NetStateRule', 8),
        exclude: rep('NetStateRule', 9),
        transform_param: opt('TransformationParameter', 100),
        loss_param: opt('LossParameter', 101),
        argmax_param: opt('ArgMaxParameter', 103),
        batch_norm_param: opt('BatchNormParameter', 139),
        concat_param: opt('ConcatParameter', 104),
        convolution_param: opt('ConvolutionParameter', 106),
        crop_param: opt('CropParameter', 144),
        dropout_param: opt('DropoutParameter', 108),
        dummy_data_param: opt('DummyDataParameter', 109),
        eltwise_param: opt('EltwiseParameter', 110),
        inner_product_param: opt('InnerProductParameter', 117),
        input_param: opt('InputParameter', 143),
        lrn_param: opt('LRNParameter', 118),
        pooling_param: opt('PoolingParameter', 121),
        python_param: opt('PythonParameter', 130),
        relu_param: opt('ReLUParameter', 123),
        scale_param: opt('ScaleParameter', 142),
        softmax_param: opt('SoftmaxParameter', 125),
        ...opaque(OPAQUE_LAYER_PARAMS),
      },
    },
    V1LayerParameter: {
      fields: {
        bottom: rep('string', 2),
        top: rep('string', 3),
        name: opt('string', 4),
        include: rep('NetStateRule', 32),
        exclude: rep('NetStateRule', 33),
        type: opt('LayerType', 5),
        blobs: rep('BlobProto', 6),
        param: rep('string', 1001),
        blob_share_mode: rep('int32', 1002),
        blobs_lr: rep('float', 7),
        weight_decay: rep('float', 8),
        loss_weight: rep('float', 35),
        argmax_param: opt('ArgMaxParameter', 23),
        concat_param: opt('ConcatParameter', 9),
        convolution_param: opt('ConvolutionParameter', 10),
        dropout_param: opt('DropoutParameter', 12),
        dummy_data_param: opt('DummyDataParameter', 26),
        eltwise_param: opt('EltwiseParameter', 24),
        inner_product_param: opt('InnerProductParameter', 17),
        lrn_param: opt('LRNParameter', 18),
        pooling_param: opt('PoolingParameter', 19),
        relu_param: opt('ReLUParameter', 30),
        softmax_param: opt('SoftmaxParameter', 39),
        transform_param: opt('TransformationParameter', 36),
        loss_param: opt('LossParameter', 42),
        ...opaque(OPAQUE_V1_PARAMS),
      },
      nested: { LayerType: { values: V1_LAYER_TYPES } },
    },
    TransformationParameter: {
      fields: {
        scale: opt('float', 1, 1),
        mirror: opt('bool', 2, false),
        crop_size: opt('uint32', 3, 0),
        mean_file: opt('string', 4),
        mean_value: rep('float', 5),
        force_color: opt('bool', 6, false),
        force_gray: opt('bool', 7, false),
      },
    },
    LossParameter: {
      fields: {
        ignore_label: opt('int32', 1),
        normalization: opt('NormalizationMode', 3, 'VALID'),
        normalize: opt('bool', 2),
      },
      nested: { NormalizationMode: { values: { FULL: 0, VALID: 1, BATCH_SIZE: 2, NONE: 3 } } },
    },
    ArgMaxParameter: {
      fields: { out_max_val: opt('bool', 1, false), top_k: opt('uint32', 2, 1), axis: opt('int32', 3) },
    },
    BatchNormParameter: {
      fields: {
        use_global_stats: opt('bool', 1),
        moving_average_fraction: opt('float', 2, 0.999),
        eps: opt('float', 3, 1e-5),
      },
    },
    ConcatParameter: { fields: { axis: opt('int32', 2, 1), concat_dim: opt('uint32', 1, 1) } },
    ConvolutionParameter: {
      fields: {
        num_output: opt('uint32', 1),
        bias_term: opt('bool', 2, true),
        pad: rep('uint32', 3),
        kernel_size: rep('uint32', 4),
        group: opt('uint32', 5, 1),
        stride: rep('uint32', 6),
        weight_filler: opt('FillerParameter', 7),
        bias_filler: opt('FillerParameter', 8),
        pad_h: opt('uint32', 9, 0),
        pad_w: opt('uint32', 10, 0),
        kernel_h: opt('uint32', 11),
        kernel_w: opt('uint32', 12),
        stride_h: opt('uint32', 13),
        stride_w: opt('uint32', 14),
        engine: opt('Engine', 15, 'DEFAULT'),
        axis: opt('int32', 16, 1),
        force_nd_im2col: opt('bool', 17, false),
        dilation: rep('uint32', 18),
      },
      nested: { Engine: ENGINE },
    },
    CropParameter: { fields: { axis: opt('int32', 1, 2), offset: rep('uint32', 2) } },
    DropoutParameter: { fields: { dropout_ratio: opt('float', 1, 0.5) } },
    DummyDataParameter: {
      fields: {
        data_filler: rep('FillerParameter', 1),
        shape: rep('BlobShape', 6),
        num: rep('uint32', 2),
        channels: rep('uint32', 3),
        height: rep('uint32', 4),
        width: rep('uint32', 5),
      },
    },
    EltwiseParameter: {
      fields: {
        operation: opt('EltwiseOp', 1, 'SUM'),
        coeff: rep('float', 2),
        stable_prod_grad: opt('bool', 3, true),
      },
      nested: { EltwiseOp: { values: { PROD: 0, SUM: 1, MAX: 2 } } },
    },
    InnerProductParameter: {
      fields: {
        num_output: opt('uint32', 1),
        bias_term: opt('bool', 2, true),
        weight_filler: opt('FillerParameter', 3),
        bias_filler: opt('FillerParameter', 4),
        axis: opt('int32', 5, 1),
        transpose: opt('bool', 6, false),
      },
    },
    InputParameter: { fields: { shape: rep('BlobShape', 1) } },
    LRNParameter: {
      fields: {
        local_size: opt('uint32', 1, 5),
        alpha: opt('float', 2, 1),
        beta: opt('float', 3, 0.75),
        norm_region: opt('NormRegion', 4, 'ACROSS_CHANNELS'),
        k: opt('float', 5, 1),
        engine: opt('Engine', 6, 'DEFAULT'),
      },
      nested: { NormRegion: { values: { ACROSS_CHANNELS: 0, WITHIN_CHANNEL: 1 } }, Engine: ENGINE },
    },
    PoolingParameter: {
      fields: {
        pool: opt('PoolMethod', 1, 'MAX'),
        kernel_size: opt('uint32', 2),
        pad: opt('uint32', 4, 0),
        kernel_h: opt('uint32', 5),
        kernel_w: opt('uint32', 6),
        stride: opt('uint32', 3, 1),
        stride_h: opt('uint32', 7),
        stride_w: opt('uint32', 8),
        pad_h: opt('uint32', 9, 0),
        pad_w: opt('uint32', 10, 0),
        engine: opt('Engine', 11, 'DEFAULT'),
        global_pooling: opt('bool', 12, false),
        round_mode: opt('RoundMode', 13, 'CEIL'),
      },
      nested: {
        PoolMethod: { values: { MAX: 0, AVE: 1, STOCHASTIC: 2 } },
        RoundMode: { values: { CEIL: 0, FLOOR: 1 } },
        Engine: ENGINE,
      },
    },
    PythonParameter: {
      fields: {
        module: opt('string', 1),
        layer: opt('string', 2),
        param_str: opt('string', 3, ''),
        share_in_parallel: opt('bool', 4, false),
      },
    },
    ReLUParameter: {
      fields: { negative_slope: opt('float', 1, 0), engine: opt('Engine', 2, 'DEFAULT') },
      nested: { Engine: ENGINE },
    },
    ScaleParameter: {
      fields: {
        axis: opt('int32', 1, 1),
        num_axes: opt('int32', 2, 1),
        filler: opt('FillerParameter', 3),
        bias_term: opt('bool', 4, false),
        bias_filler: opt('FillerParameter', 5),
      },
    },
    SoftmaxParameter: {
      fields: { engine: opt('Engine', 1, 'DEFAULT'), axis: opt('int32', 2, 1) },
      nested: { Engine: ENGINE },
    },
  },
};

/** The schema, resolved once. */
export const caffeRoot: protobuf.Root = protobuf.Root.fromJSON({ nested: { caffe } });
caffeRoot.resolveAll();

/** A message type of the schema (`NetParameter`, `LayerParameter`, …). */
export function caffeType(name: string): protobuf.Type {
  return caffeRoot.lookupType(`caffe.${name}`);
}
