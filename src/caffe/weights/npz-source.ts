/**
 * An .npz of Caffe-layout arrays keyed `layer/role` as a parameter source: what `fcn export
 * --format pytorch` writes as weights.npz and what its train.py writes as checkpoints, so that
 * `fcn import-weights CKPT.npz --net NET.fcn -o MODEL_DIR` brings weights trained in PyTorch
 * back into fcn. Roles: weight, bias (conv, deconv, fc); scale (scale); mean, var (batch_norm).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../../diagnostics/index.js';
import { decodeNpz } from '../../emit/pytorch/npz.js';
import { caffeView } from './model-dir-source.js';
import type { ParamSource, SourceBlob, SourceLayer } from './source.js';

/** Which Caffe blob each role is, and the Caffe type it implies. */
const ROLES: Record<string, { blob: number; type?: string }> = {
  weight: { blob: 0 },
  bias: { blob: 1 },
  scale: { blob: 0, type: 'Scale' },
  mean: { blob: 0, type: 'BatchNorm' },
  var: { blob: 1, type: 'BatchNorm' },
};

/** A blob already in Caffe's layout. */
function plain(data: Float32Array, shape: number[]): SourceBlob {
  return { shape, count: data.length, read: (start, count) => data.slice(start, start + count) };
}

/** Opens an .npz written by fcn's PyTorch export or its train.py. */
export function npzSource(file: string): ParamSource {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const layers: SourceLayer[] = [];
  const byName = new Map<string, SourceLayer>();
  for (const [key, array] of decodeNpz(bytes, file)) {
    const slash = key.lastIndexOf('/');
    const role = ROLES[key.slice(slash + 1)];
    if (slash < 0 || !role)
      throw new UserError(`${file}: array '${key}' is not named layer/role (role weight, bias, scale, mean or var)`);
    const name = key.slice(0, slash);
    let layer = byName.get(name);
    if (!layer) {
      layer = { name, type: 'unknown', blobs: [] };
      byName.set(name, layer);
      layers.push(layer);
    }
    if (role.type) layer.type = role.type;
    layer.blobs[role.blob] = plain(array.data, array.shape);
    // Caffe's BatchNorm keeps a third blob, the factor its statistics are divided by.
    if (layer.type === 'BatchNorm') layer.blobs[2] = caffeView(new Float32Array([1]), [1]);
  }
  return { path: file, layers, close: () => undefined };
}
