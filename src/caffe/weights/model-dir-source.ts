/**
 * An fcn model directory (model.json + weights) as a parameter source, viewed in Caffe's
 * layout: tfjs [A, B, C, D] (conv [kh, kw, in/g, out], deconv [kh, kw, out/g, in], inner
 * product [1, 1, in, out]) is Caffe's (D, C, A, B), read by index arithmetic, never copied.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { UserError } from '../../diagnostics/index.js';
import type { ParamSource, SourceBlob, SourceLayer } from './source.js';

interface ModelJson {
  modelTopology?: { config?: { layers?: Array<{ class_name: string; config: { name: string } }> } };
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
}

const CAFFE_TYPES: Record<string, string> = {
  FcnCaffeConv: 'Convolution',
  FcnCaffeDeconv: 'Deconvolution',
  FcnCaffeFc: 'InnerProduct',
  FcnCaffeScale: 'Scale',
  FcnCaffeBatchNorm: 'BatchNorm',
  BatchNormalization: 'BatchNorm',
};

/** The Caffe-layout view of a tfjs tensor. */
export function caffeView(data: Float32Array, shape: number[]): SourceBlob {
  const four = [1, 1, 1, 1].slice(0, 4 - shape.length).concat(shape);
  const [A, B, C, D] = four as [number, number, number, number];
  const caffeShape = shape.length === 4 ? [D, C, A, B] : shape.length === 2 ? [D, C] : [...shape];
  return {
    shape: caffeShape,
    count: data.length,
    read(start, count) {
      const out = new Float32Array(count);
      for (let k = 0; k < count; k++) {
        // Caffe flat index f = ((d·C + c)·A + a)·B + b.
        let f = start + k;
        const b = f % B;
        f = (f - b) / B;
        const a = f % A;
        f = (f - a) / A;
        const c = f % C;
        const d = (f - c) / C;
        out[k] = data[((a * B + b) * C + c) * D + d]!;
      }
      return out;
    },
  };
}

/** Groups Caffe-layout tensors named `layer/weight` into layers, with Caffe's blob order. */
function byLayers(tensors: Map<string, SourceBlob>, types: Map<string, string>): SourceLayer[] {
  const layers: SourceLayer[] = [];
  const byLayer = new Map<string, SourceLayer>();
  for (const [name, blob] of tensors) {
    const slash = name.lastIndexOf('/');
    const layer = name.slice(0, slash);
    const role = name.slice(slash + 1);
    let entry = byLayer.get(layer);
    if (!entry) {
      entry = { name: layer, type: CAFFE_TYPES[types.get(layer) ?? ''] ?? types.get(layer) ?? 'unknown', blobs: [] };
      byLayer.set(layer, entry);
      layers.push(entry);
    }
    // Caffe's blob order: weights then bias; BatchNorm's mean, variance and scale factor.
    if (role === 'bias' || role === 'moving_variance') entry.blobs[1] = blob;
    else if (role === 'factor') entry.blobs[2] = blob;
    else entry.blobs[0] = blob;
  }
  // A model of an older fcn (tfjs's BatchNormalization) stores the statistics already divided: factor 1.
  for (const entry of layers)
    if (entry.type === 'BatchNorm' && !entry.blobs[2]) entry.blobs[2] = caffeView(new Float32Array([1]), [1]);
  return layers;
}

/** A model in memory (as emitted or loaded) as a parameter source. */
export function modelSource(model: tf.LayersModel, path: string): ParamSource {
  const tensors = new Map<string, SourceBlob>();
  const types = new Map<string, string>();
  for (const layer of model.layers) {
    types.set(layer.name, layer.getClassName());
    for (const w of layer.weights) {
      const value = w.read();
      tensors.set(w.originalName, caffeView(value.dataSync() as Float32Array, w.shape as number[]));
    }
  }
  return { path, layers: byLayers(tensors, types), close: () => undefined };
}

/** Opens a model directory written by fcn (compile, train, import-weights, transplant). */
export function modelDirSource(dir: string): ParamSource {
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  } catch (e) {
    throw new UserError(`${dir}: not a model directory (${(e as Error).message})`);
  }
  const types = new Map((json.modelTopology?.config?.layers ?? []).map((l) => [l.config.name, l.class_name]));
  const tensors = new Map<string, SourceBlob>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (w.dtype !== 'float32') throw new UserError(`${dir}: weight ${w.name} is ${w.dtype}, not float32`);
      if (offset + 4 * n > bytes.length)
        throw new UserError(`${dir}: the weights file is shorter than model.json says`);
      const data = new Float32Array(n);
      new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + 4 * n));
      offset += 4 * n;
      tensors.set(w.name, caffeView(data, w.shape));
    }
  }
  return { path: dir, layers: byLayers(tensors, types), close: () => undefined };
}
