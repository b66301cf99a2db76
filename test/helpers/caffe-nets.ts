/**
 * Caffe nets for the import tests, written the way the reference's net.py files generate
 * them (caffe.NetSpec: conv + in-place ReLU, ceil pooling, `param` multipliers, explicit
 * crop offsets), from FCN.md's description. A net is a list of layer descriptions; `prototxt`
 * writes it in the current `layer` form or the legacy V1 `layers` form.
 */

export interface LayerSpec {
  name: string;
  type: string;
  bottom?: string[];
  top?: string[];
  /** [lr_mult, decay_mult] per parameter blob. */
  params?: Array<[number, number]>;
  /** A sub-message by field name, its fields as text lines (`num_output: 64`). */
  sections?: Record<string, string[]>;
  /** Extra raw lines inside the layer (`include { phase: TRAIN }`). */
  raw?: string[];
}

const V1_TYPES: Record<string, string> = {
  Convolution: 'CONVOLUTION',
  Deconvolution: 'DECONVOLUTION',
  ReLU: 'RELU',
  Pooling: 'POOLING',
  Dropout: 'DROPOUT',
  InnerProduct: 'INNER_PRODUCT',
  LRN: 'LRN',
  Softmax: 'SOFTMAX',
  SoftmaxWithLoss: 'SOFTMAX_LOSS',
  Eltwise: 'ELTWISE',
  Concat: 'CONCAT',
};

/** The prototxt text of `layers`, with optional net-level header lines (`input: "data"`). */
export function prototxt(layers: LayerSpec[], form: 'layer' | 'layers' = 'layer', header: string[] = []): string {
  const out = [...header];
  for (const l of layers) {
    const type = form === 'layer' ? `"${l.type}"` : V1_TYPES[l.type];
    if (!type) throw new Error(`no V1 type for ${l.type}`);
    out.push(`${form} {`, `  name: "${l.name}"`, `  type: ${type}`);
    for (const b of l.bottom ?? []) out.push(`  bottom: "${b}"`);
    for (const t of l.top ?? [l.name]) out.push(`  top: "${t}"`);
    for (const [lr, decay] of l.params ?? []) {
      if (form === 'layer') out.push('  param {', `    lr_mult: ${lr}`, `    decay_mult: ${decay}`, '  }');
      else out.push(`  blobs_lr: ${lr}`, `  weight_decay: ${decay}`);
    }
    for (const [key, lines] of Object.entries(l.sections ?? {}))
      out.push(`  ${key} {`, ...lines.map((x) => `    ${x}`), '  }');
    out.push(...(l.raw ?? []).map((x) => `  ${x}`), '}');
  }
  return out.join('\n') + '\n';
}

const LEARN: Array<[number, number]> = [
  [1, 1],
  [2, 0],
];

/** conv + in-place ReLU, as net.py's conv_relu. */
export function convRelu(
  name: string,
  relu: string,
  bottom: string,
  out: number,
  kernel = 3,
  pad = 1,
  extra: string[] = [],
): LayerSpec[] {
  return [
    {
      name,
      type: 'Convolution',
      bottom: [bottom],
      params: LEARN,
      sections: {
        convolution_param: [`num_output: ${out}`, `pad: ${pad}`, `kernel_size: ${kernel}`, 'stride: 1', ...extra],
      },
    },
    { name: relu, type: 'ReLU', bottom: [name], top: [name] },
  ];
}

export function maxPool(name: string, bottom: string, kernel = 2, stride = 2): LayerSpec {
  return {
    name,
    type: 'Pooling',
    bottom: [bottom],
    sections: { pooling_param: ['pool: MAX', `kernel_size: ${kernel}`, `stride: ${stride}`] },
  };
}

export function score(name: string, bottom: string, classes: number): LayerSpec {
  return {
    name,
    type: 'Convolution',
    bottom: [bottom],
    params: LEARN,
    sections: { convolution_param: [`num_output: ${classes}`, 'pad: 0', 'kernel_size: 1'] },
  };
}

export function upsample(name: string, bottom: string, classes: number, kernel: number, stride: number): LayerSpec {
  return {
    name,
    type: 'Deconvolution',
    bottom: [bottom],
    params: [[0, 1]],
    sections: {
      convolution_param: [`num_output: ${classes}`, 'bias_term: false', `kernel_size: ${kernel}`, `stride: ${stride}`],
    },
  };
}

/** A Crop with Caffe's explicit offset, or none. */
export function crop(name: string, bottom: string, like: string, offset?: number): LayerSpec {
  return {
    name,
    type: 'Crop',
    bottom: [bottom, like],
    ...(offset === undefined ? {} : { sections: { crop_param: ['axis: 2', `offset: ${offset}`] } }),
  };
}

export function sum(name: string, a: string, b: string): LayerSpec {
  return { name, type: 'Eltwise', bottom: [a, b], sections: { eltwise_param: ['operation: SUM'] } };
}

export function loss(name: string, scores: string, label: string): LayerSpec {
  return {
    name,
    type: 'SoftmaxWithLoss',
    bottom: [scores, label],
    sections: { loss_param: ['ignore_label: 255', 'normalize: false'] },
  };
}

/** The reference's Python data layer (SBDD for train, VOC for val). */
export function pythonData(
  tops: string[],
  layer = 'SBDDSegDataLayer',
  mean = '(104.00699, 116.66877, 122.67892)',
): LayerSpec {
  const paramStr = `{\\'sbdd_dir\\': \\'../data/sbdd/dataset\\', \\'seed\\': 1337, \\'split\\': \\'train\\', \\'mean\\': ${mean}}`;
  return {
    name: 'data',
    type: 'Python',
    top: tops,
    sections: { python_param: ['module: "voc_layers"', `layer: "${layer}"`, `param_str: "${paramStr}"`] },
  };
}

/** VGG16's trunk to drop7, conv1_1 padded by `pad1`; `fc` makes fc6/fc7 inner products (the classifier). */
export function vgg16(bottom = 'data', pad1 = 100, suffix = '', fc = false): LayerSpec[] {
  const s = (n: string) => n + suffix;
  const layers: LayerSpec[] = [];
  let prev = bottom;
  const stages: Array<[number, number]> = [
    [2, 64],
    [2, 128],
    [3, 256],
    [3, 512],
    [3, 512],
  ];
  stages.forEach(([n, out], i) => {
    for (let j = 1; j <= n; j++) {
      layers.push(
        ...convRelu(s(`conv${i + 1}_${j}`), s(`relu${i + 1}_${j}`), prev, out, 3, i === 0 && j === 1 ? pad1 : 1),
      );
      prev = s(`conv${i + 1}_${j}`);
    }
    layers.push(maxPool(s(`pool${i + 1}`), prev));
    prev = s(`pool${i + 1}`);
  });
  const fcLayer = (name: string, b: string, kernel: number): LayerSpec =>
    fc
      ? {
          name,
          type: 'InnerProduct',
          bottom: [b],
          params: LEARN,
          sections: { inner_product_param: ['num_output: 4096'] },
        }
      : convRelu(name, '', b, 4096, kernel, 0)[0]!;
  layers.push(
    fcLayer(s('fc6'), prev, 7),
    { name: s('relu6'), type: 'ReLU', bottom: [s('fc6')], top: [s('fc6')] },
    {
      name: s('drop6'),
      type: 'Dropout',
      bottom: [s('fc6')],
      top: [s('fc6')],
      sections: { dropout_param: ['dropout_ratio: 0.5'] },
    },
    fcLayer(s('fc7'), s('fc6'), 1),
    { name: s('relu7'), type: 'ReLU', bottom: [s('fc7')], top: [s('fc7')] },
    {
      name: s('drop7'),
      type: 'Dropout',
      bottom: [s('fc7')],
      top: [s('fc7')],
      sections: { dropout_param: ['dropout_ratio: 0.5'] },
    },
  );
  return layers;
}

export type Variant = 'train' | 'val' | 'deploy';

function dataLayers(variant: Variant): LayerSpec[] {
  if (variant === 'deploy')
    return [
      {
        name: 'input',
        type: 'Input',
        top: ['data'],
        sections: { input_param: ['shape { dim: 1 dim: 3 dim: 500 dim: 500 }'] },
      },
    ];
  return [pythonData(['data', 'label'], variant === 'train' ? 'SBDDSegDataLayer' : 'VOCSegDataLayer')];
}

/** The reference VGG16 FCN-32s/16s/8s for PASCAL VOC, with the offsets Caffe's net generator wrote (19; 5, 27; 5, 9, 31). */
export function vocFcn(kind: '32s' | '16s' | '8s', variant: Variant, classes = 21): LayerSpec[] {
  const layers = [...dataLayers(variant), ...vgg16(), score('score_fr', 'fc7', classes)];
  if (kind === '32s')
    layers.push(upsample('upscore', 'score_fr', classes, 64, 32), crop('score', 'upscore', 'data', 19));
  else {
    layers.push(
      upsample('upscore2', 'score_fr', classes, 4, 2),
      score('score_pool4', 'pool4', classes),
      crop('score_pool4c', 'score_pool4', 'upscore2', 5),
      sum('fuse_pool4', 'upscore2', 'score_pool4c'),
    );
    if (kind === '16s')
      layers.push(upsample('upscore16', 'fuse_pool4', classes, 32, 16), crop('score', 'upscore16', 'data', 27));
    else
      layers.push(
        upsample('upscore_pool4', 'fuse_pool4', classes, 4, 2),
        score('score_pool3', 'pool3', classes),
        crop('score_pool3c', 'score_pool3', 'upscore_pool4', 9),
        sum('fuse_pool3', 'upscore_pool4', 'score_pool3c'),
        upsample('upscore8', 'fuse_pool3', classes, 16, 8),
        crop('score', 'upscore8', 'data', 31),
      );
  }
  if (variant !== 'deploy') layers.push(loss('loss', 'score', 'label'));
  return layers;
}

/** The reference FCN-AlexNet: LRN, grouped conv2/4/5, one 63×63 deconvolution; Caffe wrote offset 18. */
export function vocFcnAlexnet(): LayerSpec[] {
  const conv = (name: string, relu: string, bottom: string, out: number, k: number, extra: string[]) =>
    convRelu(name, relu, bottom, out, k, 0, extra).map((l) =>
      l.type === 'Convolution'
        ? { ...l, sections: { convolution_param: [`num_output: ${out}`, `kernel_size: ${k}`, ...extra] } }
        : l,
    );
  const lrn = (name: string, bottom: string): LayerSpec => ({
    name,
    type: 'LRN',
    bottom: [bottom],
    sections: { lrn_param: ['local_size: 5', 'alpha: 0.0001', 'beta: 0.75'] },
  });
  return [
    pythonData(['data', 'label']),
    ...conv('conv1', 'relu1', 'data', 96, 11, ['pad: 100', 'stride: 4']),
    maxPool('pool1', 'conv1', 3, 2),
    lrn('norm1', 'pool1'),
    ...conv('conv2', 'relu2', 'norm1', 256, 5, ['pad: 2', 'group: 2']),
    maxPool('pool2', 'conv2', 3, 2),
    lrn('norm2', 'pool2'),
    ...conv('conv3', 'relu3', 'norm2', 384, 3, ['pad: 1']),
    ...conv('conv4', 'relu4', 'conv3', 384, 3, ['pad: 1', 'group: 2']),
    ...conv('conv5', 'relu5', 'conv4', 256, 3, ['pad: 1', 'group: 2']),
    maxPool('pool5', 'conv5', 3, 2),
    ...conv('fc6', 'relu6', 'pool5', 4096, 6, []),
    { name: 'drop6', type: 'Dropout', bottom: ['fc6'], top: ['fc6'] },
    ...conv('fc7', 'relu7', 'fc6', 4096, 1, []),
    { name: 'drop7', type: 'Dropout', bottom: ['fc7'], top: ['fc7'] },
    score('score_fr', 'fc7', 21),
    upsample('upscore', 'score_fr', 21, 63, 32),
    crop('score', 'upscore', 'data', 18),
    loss('loss', 'score', 'label'),
  ];
}

/** The reference SIFT Flow FCN-16s: one trunk, a semantic (33) and a geometric (3) head, each with offsets 5 and 27. */
export function siftflowFcn16s(): LayerSpec[] {
  const head = (tag: string, classes: number): LayerSpec[] => [
    score(`score_fr_${tag}`, 'fc7', classes),
    upsample(`upscore2_${tag}`, `score_fr_${tag}`, classes, 4, 2),
    score(`score_pool4_${tag}`, 'pool4', classes),
    crop(`score_pool4_${tag}c`, `score_pool4_${tag}`, `upscore2_${tag}`, 5),
    sum(`fuse_pool4_${tag}`, `upscore2_${tag}`, `score_pool4_${tag}c`),
    upsample(`upscore16_${tag}`, `fuse_pool4_${tag}`, classes, 32, 16),
    crop(`score_${tag}`, `upscore16_${tag}`, 'data', 27),
    loss(`loss_${tag}`, `score_${tag}`, tag),
  ];
  return [
    pythonData(['data', 'sem', 'geo'], 'SIFTFlowSegDataLayer'),
    ...vgg16(),
    ...head('sem', 33),
    ...head('geo', 3),
  ];
}

/** The reference NYUDv2 late fusion FCN-32s: a colour and an HHA trunk, their scores summed 0.5/0.5; offset 19. */
export function nyudColorHha(): LayerSpec[] {
  return [
    pythonData(['color', 'hha', 'label'], 'NYUDSegDataLayer'),
    ...vgg16('color', 100, 'color'),
    score('score_frcolor', 'fc7color', 40),
    ...vgg16('hha', 100, 'hha'),
    score('score_frhha', 'fc7hha', 40),
    {
      name: 'score_fused',
      type: 'Eltwise',
      bottom: ['score_frcolor', 'score_frhha'],
      sections: { eltwise_param: ['operation: SUM', 'coeff: 0.5', 'coeff: 0.5'] },
    },
    upsample('upscore', 'score_fused', 40, 64, 32),
    crop('score', 'upscore', 'color', 19),
    loss('loss', 'score', 'label'),
  ];
}
