/**
 * The vocabulary of parameter schemas: what kind of value a parameter takes, and the pieces
 * several layer types share (learning settings of weights and biases, per-axis pairs). The
 * resolver checks a body against a layer's `params` and calls its `build`.
 */
import type { Init, Pair, ParamSpec as LearnSpec } from './types-base.js';

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

export const INIT_NAMES = ['gaussian', 'xavier', 'msra', 'constant', 'bilinear'] as const;

export const bottom: ParamDef = {
  name: 'bottom',
  kind: { kind: 'blobs' },
  doc: 'input blob(s); default: the previous item',
};

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
export const LEARNED: ParamDef[] = [
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

/** The weight and bias settings of a layer built from `LEARNED`. */
export function learned(v: CheckedParams): { biasTerm: boolean; weight: LearnSpec; bias: LearnSpec } {
  const bias = v.get('bias');
  return {
    biasTerm: bias !== false,
    weight: learnSpec(v.get('weight'), WEIGHT_DEFAULT, v, true),
    bias: learnSpec(bias, BIAS_DEFAULT, v, false),
  };
}

export const pair = (min: number): ValueKind => ({ kind: 'pair', min });

/** A checked value by name. */
export const get = <T>(v: CheckedParams, key: string) => v.get(key) as T;

/** A per-axis pair parameter: required without a default. */
export const pairParam = (name: string, min: number, doc: string, def?: number): ParamDef => ({
  name,
  kind: pair(min),
  ...(def === undefined ? { required: true } : { default: [def, def] as Pair }),
  doc,
});

/** How many inputs most layers take. */
export const ONE = { min: 1, max: 1 };
export const TWO = { min: 2, max: 2 };
export const MANY = { min: 2, max: Infinity };

/** The parameters of a learned factor per channel (scale, prelu): its initial value and learning. */
export function factorParams(value: number, lr: number, decay: number, what: string): ParamDef[] {
  return [
    { name: 'value', kind: { kind: 'number' }, default: value, doc: `initial ${what}` },
    {
      name: 'lr',
      kind: { kind: 'number', min: 0 },
      default: lr,
      doc: `learning-rate multiplier${lr === 0 ? ' (0: fixed)' : ''}`,
    },
    { name: 'decay', kind: { kind: 'number', min: 0 }, default: decay, doc: 'weight-decay multiplier' },
  ];
}

/** The learning settings of a factor built from `factorParams`: a constant init at its value. */
export function factorSpec(v: CheckedParams): LearnSpec {
  return {
    lr: get<number>(v, 'lr'),
    decay: get<number>(v, 'decay'),
    init: { kind: 'constant', value: get<number>(v, 'value') },
  };
}
