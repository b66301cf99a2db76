/**
 * Every built-in layer type, one definition per file. `LayerType` and the parameters of each
 * type come from this table, so a new type is its file plus its line here; every table keyed
 * by `LayerType` elsewhere (the runtime's, the exporters') then fails to compile until it
 * has the type too.
 */
import { argmax } from './argmax.js';
import { batch_norm } from './batch_norm.js';
import { concat } from './concat.js';
import { conv } from './conv.js';
import { crop } from './crop.js';
import { deconv } from './deconv.js';
import type { LayerDef } from './def.js';
import { dropout } from './dropout.js';
import { eltwise } from './eltwise.js';
import { fc } from './fc.js';
import { interp } from './interp.js';
import { lrn } from './lrn.js';
import { pool } from './pool.js';
import { prelu } from './prelu.js';
import { relu } from './relu.js';
import { scale } from './scale.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { softmax_loss } from './softmax_loss.js';
import { sum } from './sum.js';
import { tanh } from './tanh.js';

const DEFS = {
  conv,
  deconv,
  pool,
  relu,
  dropout,
  lrn,
  crop,
  sum,
  concat,
  scale,
  softmax,
  softmax_loss,
  argmax,
  fc,
  batch_norm,
  interp,
  sigmoid,
  tanh,
  prelu,
  eltwise,
};

export type LayerType = keyof typeof DEFS;

/** The normalised parameters of each layer type. */
export type LayerParamsByType = { [T in LayerType]: (typeof DEFS)[T] extends LayerDef<T, infer P> ? P : never };

/** The definition of every layer type, by type. */
export const LAYERS: { readonly [T in LayerType]: LayerDef<T, LayerParamsByType[T]> } = DEFS;

/** Every layer type, in the registry's order. */
export const LAYER_TYPES = Object.keys(LAYERS) as LayerType[];

/** The definition of a layer type, typed loosely for code that handles every type alike. */
export function layerDef(type: LayerType): LayerDef<LayerType, unknown> {
  return LAYERS[type] as unknown as LayerDef<LayerType, unknown>;
}
