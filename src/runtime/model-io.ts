/**
 * Model directories: model.json + weights.bin in the tfjs layers-model format (what
 * tfjs-node's file:// handler writes, so other tfjs tools read them), plus fcn.json with what
 * fcn needs to feed and train the model (ModelInfo). Written atomically: the directory
 * appears complete or not at all. Loaded with tf.loadLayersModel through an in-memory
 * handler, since @tensorflow/tfjs has no file:// handler of its own.
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../diagnostics/index.js';
import { writeDirAtomic } from '../util/index.js';
import type { ModelInfo } from './info.js';
import './layers/index.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const INFO_JSON = 'fcn.json';

async function writeParts(path: string, data: tf.io.WeightData | undefined): Promise<void> {
  const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const file = await open(path, 'w');
  try {
    for (const part of parts) await file.write(new Uint8Array(part));
  } finally {
    await file.close();
  }
}

/** Writes `model` and its info to `dir` (replacing it atomically). */
export async function saveModel(dir: string, model: tf.LayersModel, info: ModelInfo): Promise<void> {
  await writeDirAtomic(dir, async (tmp) => {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        await writeParts(join(tmp, WEIGHTS_BIN), artifacts.weightData);
        const json = {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        };
        await writeFile(join(tmp, MODEL_JSON), JSON.stringify(json));
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    await writeFile(join(tmp, INFO_JSON), JSON.stringify(info, null, 2) + '\n');
  });
}

/** The model's topology and weights in memory, as tf.loadLayersModel(tf.io.fromMemory(…)) takes them back. */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  return artifacts!;
}

async function readNamed(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `${path}: cannot read ${what}${code === 'ENOENT' ? ' (no such file)' : ` (${code ?? (e as Error).message})`}`,
    );
  }
}

function parseJson<T>(bytes: Buffer, path: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Reads a model directory's fcn.json. */
export async function readModelInfo(dir: string): Promise<ModelInfo> {
  const path = join(dir, INFO_JSON);
  const info = parseJson<ModelInfo>(await readNamed(path, 'the model description'), path);
  if (info.format !== 'fcn-model') throw new UserError(`${path}: not an fcn model description`);
  return info;
}

/** Loads a model directory written by saveModel (or any tfjs layers-model directory plus fcn.json). */
export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; info: ModelInfo }> {
  const jsonPath = join(dir, MODEL_JSON);
  const json = parseJson<tf.io.ModelJSON>(
    await readNamed(jsonPath, 'the model (is this a model directory?)'),
    jsonPath,
  );
  const info = await readModelInfo(dir);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest ?? []) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const bytes = await readNamed(join(dir, p), 'weights');
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
  }
  const weightData = buffers.length === 1 ? buffers[0]! : buffers;
  try {
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format }),
    );
    return { model, info };
  } catch (e) {
    throw new UserError(`${dir}: cannot load the model (${(e as Error).message})`);
  }
}
