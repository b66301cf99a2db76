/**
 * Caffemodels for the tests, encoded by protobufjs with the schema fcn reads them with, from
 * seeded random weights: the current form (`layer`, blobs with `shape`) or the legacy V1
 * form (`layers`, enum types, 4-D num/channels/height/width blobs, as the 2014 VGG16 model).
 */
import { caffeType, V1_LAYER_TYPES } from '../../src/caffe/proto/schema.js';
import { Rng } from '../../src/data/random.js';

export interface BlobSpec {
  shape: number[];
  data: Float32Array;
}

export interface ModelLayerSpec {
  name: string;
  /** Today's type name (`Convolution`); V1 files get the enum (`CONVOLUTION`). */
  type: string;
  blobs: BlobSpec[];
}

/** A blob of seeded N(0, std²) values. */
export function randomBlob(shape: number[], rng: Rng, std = 1): BlobSpec {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = std * rng.normal();
  return { shape, data };
}

const V1_ENUM: Record<string, string> = {
  Convolution: 'CONVOLUTION',
  Deconvolution: 'DECONVOLUTION',
  InnerProduct: 'INNER_PRODUCT',
  ReLU: 'RELU',
  Pooling: 'POOLING',
};

/** The legacy 4-D shape of a blob: leading 1s, as Caffe wrote them. */
function legacy(shape: number[]): { num: number; channels: number; height: number; width: number } {
  const s = [1, 1, 1, 1, ...shape].slice(-4);
  return { num: s[0]!, channels: s[1]!, height: s[2]!, width: s[3]! };
}

/** Encodes `layers` as a caffemodel. */
export function encodeCaffemodel(
  layers: ModelLayerSpec[],
  form: 'layer' | 'layers' = 'layer',
  name = 'test',
): Uint8Array {
  const message =
    form === 'layer'
      ? {
          name,
          layer: layers.map((l) => ({
            name: l.name,
            type: l.type,
            blobs: l.blobs.map((b) => ({ shape: { dim: b.shape }, data: Array.from(b.data) })),
          })),
        }
      : {
          name,
          layers: layers.map((l) => ({
            name: l.name,
            type: V1_LAYER_TYPES[V1_ENUM[l.type] ?? l.type],
            blobs: l.blobs.map((b) => ({ ...legacy(b.shape), data: Array.from(b.data) })),
          })),
        };
  return caffeType('NetParameter').encode(message).finish();
}
