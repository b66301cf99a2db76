/**
 * The catalogue of what a .fcn file may say: each layer type with its parameters (value
 * kind, default, constraints), the properties of an `input`, and the keys of `solver`.
 * The resolver checks a body against these specs and calls `build` to produce the
 * normalised parameters of ./types.ts. The language reference (grammar/README.md) documents
 * the same table.
 */
import type { Init, LayerParamsByType, LayerType, Pair, ParamSpec as LearnSpec } from './types.js';

/** What kind of value a parameter takes, with its constraints. */
export type ValueKind =
  | { kind: 'int'; min?: number; odd?: boolean }
  | { kind: 'number'; min?: number; max?: number; above?: number; below?: number }
  /** An integer for both axes, or an `[h, w]` list. */
  | { kind: 'pair'; min: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  /** `gaussian(std)`, `gaussian(std, mean)`, `xavier`, `msra`, `constant(v)`, `bilinear`. */
  | { kind: 'init' }
  | { kind: 'numbers' }
  /** Blob references; the resolver reads these itself. */
  | { kind: 'blob' }
  | { kind: 'blobs' }
  | { kind: 'section'; params: readonly ParamDef[] }
  /** `bias: false`, or a section `bias { lr: 2 }` (which keeps the bias). */
  | { kind: 'boolOrSection'; params: readonly ParamDef[] };

export interface ParamDef {
  name: string;
  kind: ValueKind;
  /** Filled in when the file does not give the parameter. */
  default?: unknown;
  required?: boolean;
  doc: string;
}

/** Checked values by parameter name; sections are nested maps. */
export type CheckedParams = Map<string, unknown>;

export interface LayerSchema<T extends LayerType = LayerType> {
  type: T;
  doc: string;
  /** How many bottoms the layer takes. */
  inputs: { min: number; max: number };
  params: readonly ParamDef[];
  build(values: CheckedParams): LayerParamsByType[T];
}

export const INIT_NAMES = ['gaussian', 'xavier', 'msra', 'constant', 'bilinear'] as const;

const bottom: ParamDef = { name: 'bottom', kind: { kind: 'blobs' }, doc: 'input blob(s); default: the previous item' };

function learnParams(lr: number, decay: number, init: Init, what: string): ParamDef[] {
  return [
    {
      name: 'lr',
      kind: { kind: 'number', min: 0 },
      default: lr,
      doc: `learning-rate multiplier of the ${what} (0 freezes them)`,
    },
    { name: 'decay', kind: { kind: 'number', min: 0 }, default: decay, doc: `weight-decay multiplier of the ${what}` },
    { name: 'init', kind: { kind: 'init' }, default: init, doc: `initialiser of the ${what}` },
  ];
}

const WEIGHT_DEFAULT: LearnSpec = { lr: 1, decay: 1, init: { kind: 'msra' } };
const BIAS_DEFAULT: LearnSpec = { lr: 2, decay: 0, init: { kind: 'constant', value: 0 } };
const WEIGHT = learnParams(WEIGHT_DEFAULT.lr, WEIGHT_DEFAULT.decay, WEIGHT_DEFAULT.init, 'weights');
const BIAS = learnParams(BIAS_DEFAULT.lr, BIAS_DEFAULT.decay, BIAS_DEFAULT.init, 'biases');

/** Parameters shared by the layers with weights and biases (conv, deconv, fc). */
const LEARNED: ParamDef[] = [
  {
    name: 'bias',
    kind: { kind: 'boolOrSection', params: BIAS },
    default: true,
    doc: 'false drops the bias; a section sets its learning',
  },
  { name: 'weight', kind: { kind: 'section', params: WEIGHT }, doc: 'learning settings of the weights' },
  { name: 'lr', kind: { kind: 'number', min: 0 }, doc: 'shorthand: learning-rate multiplier of weights and biases' },
  { name: 'decay', kind: { kind: 'number', min: 0 }, doc: 'shorthand: weight-decay multiplier of weights and biases' },
  { name: 'init', kind: { kind: 'init' }, doc: 'shorthand: initialiser of the weights' },
];

/**
 * Reads a section's learning settings (sections hold only what the file gives): an entry in
 * the section beats the layer-level shorthand, which beats the default.
 */
function learnSpec(section: unknown, fallback: LearnSpec, shorthand: CheckedParams, withInit: boolean): LearnSpec {
  const s = section instanceof Map ? (section as CheckedParams) : undefined;
  const pick = <K extends keyof LearnSpec>(key: K, short: boolean): LearnSpec[K] =>
    (s?.has(key) ? s.get(key) : short && shorthand.has(key) ? shorthand.get(key) : fallback[key]) as LearnSpec[K];
  return { lr: pick('lr', true), decay: pick('decay', true), init: pick('init', withInit) };
}

function learned(v: CheckedParams) {
  const bias = v.get('bias');
  return {
    biasTerm: bias !== false,
    weight: learnSpec(v.get('weight'), WEIGHT_DEFAULT, v, true),
    bias: learnSpec(bias, BIAS_DEFAULT, v, false),
  };
}

const pair = (min: number): ValueKind => ({ kind: 'pair', min });
const get = <T>(v: CheckedParams, key: string) => v.get(key) as T;
const pairParam = (name: string, min: number, doc: string, def?: number): ParamDef => ({
  name,
  kind: pair(min),
  ...(def === undefined ? { required: true } : { default: [def, def] as Pair }),
  doc,
});

function convSchema<T extends 'conv' | 'deconv'>(type: T, doc: string): LayerSchema<T> {
  return {
    type,
    doc,
    inputs: { min: 1, max: 1 },
    params: [
      bottom,
      { name: 'out', kind: { kind: 'int', min: 1 }, required: true, doc: 'number of output channels' },
      pairParam('kernel', 1, 'kernel size, or [h, w]'),
      pairParam('stride', 1, 'stride, or [h, w]', 1),
      pairParam('pad', 0, 'zero padding, or [h, w]', 0),
      pairParam('dilation', 1, 'dilation, or [h, w]', 1),
      { name: 'group', kind: { kind: 'int', min: 1 }, default: 1, doc: 'channel groups (AlexNet uses 2)' },
      ...LEARNED,
    ],
    build: (v) =>
      ({
        out: get<number>(v, 'out'),
        kernel: get<Pair>(v, 'kernel'),
        stride: get<Pair>(v, 'stride'),
        pad: get<Pair>(v, 'pad'),
        dilation: get<Pair>(v, 'dilation'),
        group: get<number>(v, 'group'),
        ...learned(v),
      }) as LayerParamsByType[T],
  };
}

function simple<T extends LayerType>(
  type: T,
  doc: string,
  params: ParamDef[],
  build: (v: CheckedParams) => LayerParamsByType[T],
  inputs = { min: 1, max: 1 },
): LayerSchema<T> {
  return { type, doc, inputs, params: [bottom, ...params], build };
}

const MANY = { min: 2, max: Infinity };

/** Every built-in layer type. */
export const LAYER_SCHEMAS: { [T in LayerType]: LayerSchema<T> } = {
  conv: convSchema('conv', 'convolution'),
  deconv: convSchema('deconv', 'deconvolution (transposed convolution); upsamples by its stride'),
  pool: simple(
    'pool',
    'max or average pooling',
    [
      { name: 'method', kind: { kind: 'enum', values: ['max', 'ave'] }, default: 'max', doc: 'max or ave' },
      pairParam('kernel', 1, 'window size, or [h, w]'),
      pairParam('stride', 1, 'stride, or [h, w]', 1),
      pairParam('pad', 0, 'padding, or [h, w]', 0),
      {
        name: 'round',
        kind: { kind: 'enum', values: ['ceil', 'floor'] },
        default: 'ceil',
        doc: "output size rounding: Caffe's ceil or TensorFlow's floor",
      },
    ],
    (v) => ({
      method: get<'max' | 'ave'>(v, 'method'),
      kernel: get<Pair>(v, 'kernel'),
      stride: get<Pair>(v, 'stride'),
      pad: get<Pair>(v, 'pad'),
      round: get<'ceil' | 'floor'>(v, 'round'),
    }),
  ),
  relu: simple(
    'relu',
    'rectified linear unit',
    [{ name: 'slope', kind: { kind: 'number' }, default: 0, doc: 'slope for negative inputs (leaky ReLU)' }],
    (v) => ({
      slope: get<number>(v, 'slope'),
    }),
  ),
  dropout: simple(
    'dropout',
    'dropout (identity at inference)',
    [{ name: 'ratio', kind: { kind: 'number', min: 0, below: 1 }, default: 0.5, doc: 'fraction of units dropped' }],
    (v) => ({
      ratio: get<number>(v, 'ratio'),
    }),
  ),
  lrn: simple(
    'lrn',
    "local response normalisation across channels, Caffe's convention",
    [
      { name: 'size', kind: { kind: 'int', min: 1, odd: true }, default: 5, doc: 'channels in the window (odd)' },
      { name: 'alpha', kind: { kind: 'number', min: 0 }, default: 1e-4, doc: 'scale (Caffe divides it by size)' },
      { name: 'beta', kind: { kind: 'number', min: 0 }, default: 0.75, doc: 'exponent' },
      { name: 'k', kind: { kind: 'number', above: 0 }, default: 1, doc: 'additive constant' },
    ],
    (v) => ({
      size: get<number>(v, 'size'),
      alpha: get<number>(v, 'alpha'),
      beta: get<number>(v, 'beta'),
      k: get<number>(v, 'k'),
    }),
  ),
  crop: simple(
    'crop',
    'crops its input to the spatial size of `like`, at an offset the compiler infers',
    [
      { name: 'like', kind: { kind: 'blob' }, doc: 'the blob whose size to crop to' },
      { name: 'offset', kind: pair(0), doc: 'explicit offset, checked against the inferred one' },
    ],
    (v) => (v.has('offset') ? { offset: get<Pair>(v, 'offset') } : {}),
    { min: 2, max: 2 },
  ),
  sum: simple(
    'sum',
    'element-wise sum',
    [{ name: 'coeff', kind: { kind: 'numbers' }, doc: 'a coefficient per input (default all 1)' }],
    (v) => (v.has('coeff') ? { coeff: get<number[]>(v, 'coeff') } : {}),
    MANY,
  ),
  concat: simple('concat', 'concatenation across channels', [], () => ({}), MANY),
  scale: simple(
    'scale',
    'multiplies by a per-channel factor, fixed unless given a learning rate',
    [
      { name: 'value', kind: { kind: 'number' }, default: 1, doc: 'initial factor' },
      { name: 'lr', kind: { kind: 'number', min: 0 }, default: 0, doc: 'learning-rate multiplier (0: fixed)' },
      { name: 'decay', kind: { kind: 'number', min: 0 }, default: 0, doc: 'weight-decay multiplier' },
    ],
    (v) => ({
      value: get<number>(v, 'value'),
      weight: {
        lr: get<number>(v, 'lr'),
        decay: get<number>(v, 'decay'),
        init: { kind: 'constant', value: get<number>(v, 'value') },
      },
    }),
  ),
  softmax: simple('softmax', 'softmax across channels', [], () => ({})),
  softmax_loss: simple(
    'softmax_loss',
    'softmax cross-entropy loss; bottom: [scores, labels]',
    [
      { name: 'ignore', kind: { kind: 'int', min: 0 }, doc: 'label value that counts for nothing (255 in VOC)' },
      { name: 'normalize', kind: { kind: 'bool' }, default: true, doc: 'divide by the number of counted pixels' },
      { name: 'weight', kind: { kind: 'number', min: 0 }, default: 1, doc: 'loss weight' },
    ],
    (v) => ({
      ...(v.has('ignore') ? { ignore: get<number>(v, 'ignore') } : {}),
      normalize: get<boolean>(v, 'normalize'),
      weight: get<number>(v, 'weight'),
    }),
    { min: 2, max: 2 },
  ),
  argmax: simple('argmax', 'index of the largest channel (the predicted class)', [], () => ({})),
  fc: simple(
    'fc',
    'inner product (fully connected); breaks the spatial chain',
    [{ name: 'out', kind: { kind: 'int', min: 1 }, required: true, doc: 'number of outputs' }, ...LEARNED],
    (v) => ({ out: get<number>(v, 'out'), ...learned(v) }),
  ),
  batch_norm: simple(
    'batch_norm',
    'batch normalisation',
    [{ name: 'eps', kind: { kind: 'number', above: 0 }, default: 1e-5, doc: 'added to the variance' }],
    (v) => ({
      eps: get<number>(v, 'eps'),
    }),
  ),
};

/** The properties of an `input` item. */
export const INPUT_PARAMS: readonly ParamDef[] = [
  {
    name: 'kind',
    kind: { kind: 'enum', values: ['image', 'label'] },
    default: 'image',
    doc: 'image, or label (one channel of class indices)',
  },
  { name: 'channels', kind: { kind: 'int', min: 1 }, doc: 'number of channels (default 3 for images, 1 for labels)' },
  { name: 'size', kind: pair(1), doc: 'fixed spatial size, or [h, w]' },
  { name: 'mean', kind: { kind: 'numbers' }, doc: 'per-channel mean subtracted, in the channel order below' },
  {
    name: 'order',
    kind: { kind: 'enum', values: ['rgb', 'bgr'] },
    default: 'rgb',
    doc: 'channel order the net expects',
  },
];

/** The keys of `solver { … }`: training defaults that `fcn train` flags override. */
export const SOLVER_PARAMS: readonly ParamDef[] = [
  { name: 'lr', kind: { kind: 'number', above: 0 }, doc: 'base learning rate' },
  { name: 'momentum', kind: { kind: 'number', min: 0, below: 1 }, doc: 'SGD momentum' },
  { name: 'weight_decay', kind: { kind: 'number', min: 0 }, doc: 'weight decay' },
  { name: 'batch', kind: { kind: 'int', min: 1 }, doc: 'images per step' },
  { name: 'iters', kind: { kind: 'int', min: 1 }, doc: 'training steps' },
  { name: 'epochs', kind: { kind: 'int', min: 1 }, doc: 'passes over the training set' },
  { name: 'seed', kind: { kind: 'int', min: 0 }, doc: 'random seed' },
  {
    name: 'lr_policy',
    kind: { kind: 'enum', values: ['fixed', 'poly', 'step'] },
    doc: "learning-rate schedule, as Caffe's lr_policy: fixed, poly or step",
  },
  { name: 'power', kind: { kind: 'number', min: 0 }, doc: 'exponent of the poly schedule: lr·(1 − iter/iters)^power' },
  { name: 'gamma', kind: { kind: 'number', above: 0 }, doc: 'factor of the step schedule: lr·gamma^⌊iter/stepsize⌋' },
  { name: 'stepsize', kind: { kind: 'int', min: 1 }, doc: 'steps between two changes of the step schedule' },
];

/** The camelCase name of a solver key in `SolverSettings` (`weight_decay` → `weightDecay`). */
export function solverKey(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The schema of a built-in layer type, or undefined for any other name. */
export function layerSchema(type: string): LayerSchema | undefined {
  return Object.hasOwn(LAYER_SCHEMAS, type) ? (LAYER_SCHEMAS[type as LayerType] as LayerSchema) : undefined;
}
