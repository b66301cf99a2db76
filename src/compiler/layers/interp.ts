/**
 * `interp`: DeepLab's Caffe Interp, a bilinear resize with the corners aligned: output x maps
 * to input x·(in − 1)/(out − 1). By an integer `factor` z, out = in + (in − 1)(z − 1), and the
 * resize is exactly a deconvolution with kernel 2z − 1, stride z and pad z − 1 (zeros
 * inserted, then the triangle kernel), so its coordinate map (input = output / z) and its
 * receptive field are exact and crops after it are computed. With `like: blob` it takes that
 * blob's size instead, which ties the map to the sizes: crops cannot be computed through it.
 */
import { none, sameChannels, type LayerDef, type Window } from './def.js';
import { get, type CheckedParams } from './params.js';

export interface InterpParams {
  /** Caffe's zoom_factor; absent when the size comes from `like`. */
  factor?: number;
}

/** The deconvolution a zoom by z is: kernel 2z − 1, stride z, pad z − 1. */
function zoomWindow(z: number): Window {
  return { k: 2 * z - 1, s: z, p: z - 1 };
}

export const interp: LayerDef<'interp', InterpParams> = {
  type: 'interp',
  doc: "bilinear resize with the corners aligned (Caffe's Interp), by a factor or to another blob's size",
  inputs: { min: 1, max: 2 },
  params: [
    {
      name: 'factor',
      kind: { kind: 'int', min: 1 },
      doc: "zoom factor z: out = in + (in − 1)(z − 1) (Caffe's zoom_factor)",
    },
    { name: 'like', kind: { kind: 'blob' }, doc: 'the blob whose size to resize to (instead of factor)' },
  ],
  build: (v: CheckedParams) => (v.has('factor') ? { factor: get<number>(v, 'factor') } : {}),
  check: (v) =>
    v.has('factor') === v.has('like')
      ? { code: 'conflicting-parameters', message: "give exactly one of 'factor' and 'like'" }
      : undefined,
  spatial: (p) =>
    p.factor === undefined ? { kind: 'like' } : { kind: 'deconv', axes: [zoomWindow(p.factor), zoomWindow(p.factor)] },
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (p, d) => (p.factor === undefined ? `to ${d.inputs[1] ?? '?'}` : `×${p.factor}`),
  style: 'box',
  example: 'x: interp { factor: 3 }',
  differentiable: true,
};
