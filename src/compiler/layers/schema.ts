/**
 * The catalogue of what a .fcn file may say: each layer type with its parameters (value
 * kind, default, constraints; each type's own file declares them), the properties of an
 * `input`, and the keys of `solver`. The resolver checks a body against these specs and
 * calls `build` to produce the normalised parameters. The language reference
 * (grammar/README.md) documents the same table.
 */
import type { LayerDef } from './def.js';
import { bottom, pair, type ParamDef } from './params.js';
import { LAYERS, type LayerParamsByType, type LayerType } from './registry.js';

export { INIT_NAMES, type CheckedParams, type ParamDef, type ValueKind } from './params.js';

/** What the resolver needs of a layer type. */
export type LayerSchema<T extends LayerType = LayerType> = Pick<
  LayerDef<T, LayerParamsByType[T]>,
  'type' | 'doc' | 'inputs' | 'params' | 'build' | 'check'
>;

/** Every built-in layer type, each with `bottom` (which every layer takes) before its own parameters. */
export const LAYER_SCHEMAS = Object.fromEntries(
  Object.entries(LAYERS).map(([type, def]) => [type, { ...def, params: [bottom, ...def.params] }]),
) as unknown as { readonly [T in LayerType]: LayerSchema<T> };

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
  {
    name: 'frame',
    kind: { kind: 'enum', values: ['image', 'own'] },
    default: 'image',
    doc: "image: its pixels line up with the other inputs' (crops may align across them); own: they do not",
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
  {
    name: 'clip_gradients',
    kind: { kind: 'number', above: 0 },
    doc: "Caffe's clip_gradients: a step whose gradients' L2 norm exceeds it scales them all down to it",
  },
];

/** The camelCase name of a solver key in `SolverSettings` (`weight_decay` → `weightDecay`). */
export function solverKey(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The schema of a built-in layer type, or undefined for any other name. */
export function layerSchema(type: string): LayerSchema | undefined {
  return Object.hasOwn(LAYER_SCHEMAS, type) ? (LAYER_SCHEMAS[type as LayerType] as unknown as LayerSchema) : undefined;
}
