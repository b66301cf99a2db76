/** `fc`: Caffe's InnerProduct; it breaks the spatial chain (maps across it are an error). */
import { type LayerDef } from './def.js';
import { times } from './detail.js';
import { get, LEARNED, learned, ONE } from './params.js';
import type { ParamSpec } from './types-base.js';

/** Inner product: breaks the spatial chain (maps across it are an error). */
export interface FcParams {
  out: number;
  biasTerm: boolean;
  weight: ParamSpec;
  bias: ParamSpec;
}

/** in·H·W·out weights, each used once. */
const weights = (p: FcParams, c: { inC: number | null; inArea: number | null }) => times(times(c.inC, c.inArea), p.out);

export const fc: LayerDef<'fc', FcParams> = {
  type: 'fc',
  doc: 'inner product (fully connected); breaks the spatial chain',
  inputs: ONE,
  params: [{ name: 'out', kind: { kind: 'int', min: 1 }, required: true, doc: 'number of outputs' }, ...LEARNED],
  build: (v) => ({ out: get<number>(v, 'out'), ...learned(v) }),
  spatial: () => ({ kind: 'collapse' }),
  channels: (p) => p.out,
  paramCount: (p, c) => {
    const w = weights(p, c);
    return w === null ? null : w + (p.biasTerm ? p.out : 0);
  },
  flops: (p, c) => times(weights(p, c), 2),
  detail: (p) => `→ ${p.out}`,
  style: 'box',
  example: 'x: fc { out: 3 }',
  differentiable: true,
};
