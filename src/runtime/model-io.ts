/**
 * Model directories: model.json + weights.bin in the tfjs layers-model format (what
 * tfjs-node's file:// handler writes, so other tfjs tools read them), plus fcn.json with what
 * fcn needs to feed and train the model (ModelInfo), which also marks the directory as fcn's
 * (src/util/output.ts). Written atomically as a versioned directory (src/util/versioned-dir.ts):
 * DIR/model.json etc. are links into its newest complete version, so DIR stays a plain tfjs
 * model directory. Loaded with tf.loadLayersModel through an in-memory handler, since
 * @tensorflow/tfjs has no file:// handler of its own, after checking the weights file against
 * the manifest so that a damaged directory is named precisely.
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../diagnostics/index.js';
import { currentVersion, writeDirAtomic, type OutputKind } from '../util/index.js';
import type { ModelInfo } from './info.js';
import './layers/index.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const INFO_JSON = 'fcn.json';

/** A model directory, marked by its fcn.json. */
export const MODEL_DIR: OutputKind = {
  what: 'an fcn model directory',
  marker: INFO_JSON,
  test: (text) => (JSON.parse(text) as { format?: unknown }).format === 'fcn-model',
};

async function writeParts(path: string, data: tf.io.WeightData | undefined): Promise<void> {
  const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const file = await open(path, 'w');
  try {
    for (const part of parts) await file.write(new Uint8Array(part));
  } finally {
    await file.close();
  }
}

/** Writes the files of a model directory into `dir` as they are (no atomicity: for a directory being filled). */
export async function writeModelFiles(dir: string, model: tf.LayersModel, info: ModelInfo): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await writeParts(join(dir, WEIGHTS_BIN), artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  await writeFile(join(dir, INFO_JSON), JSON.stringify(info, null, 2) + '\n');
}

/**
 * Writes `model` and its info to `dir` as a new version (atomically). An existing `dir` must be
 * an fcn model directory, unless `force`.
 */
export async function saveModel(
  dir: string,
  model: tf.LayersModel,
  info: ModelInfo,
  o: { force?: boolean } = {},
): Promise<void> {
  await writeDirAtomic(dir, (tmp) => writeModelFiles(tmp, model, info), { kind: MODEL_DIR, ...o });
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

async function readNamed(path: string, what: string, shown = path): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `${shown}: cannot read ${what}${code === 'ENOENT' ? ' (no such file)' : ` (${code ?? (e as Error).message})`}`,
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

async function readInfo(root: string, shown: string): Promise<ModelInfo> {
  const path = join(shown, INFO_JSON);
  const info = parseJson<ModelInfo>(await readNamed(join(root, INFO_JSON), 'the model description', path), path);
  if (info.format !== 'fcn-model') throw new UserError(`${path}: not an fcn model description`);
  return info;
}

/** Reads a model directory's fcn.json. */
export async function readModelInfo(dir: string): Promise<ModelInfo> {
  return readInfo(currentVersion(dir), dir);
}

/** Bytes per stored value, by dtype (a quantized weight is stored in its quantized type). */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** The layer a weight belongs to: its name up to the last '/' (conv1/kernel → conv1). */
function layerOf(weight: string): string {
  const slash = weight.lastIndexOf('/');
  return slash < 0 ? weight : weight.slice(0, slash);
}

/**
 * Refuses weights files whose size differs from what the manifest describes (the sum of each
 * weight's values × its dtype's size): a truncated file names the first weight past its end;
 * a longer one, the extra bytes (tfjs would load it silently).
 */
function checkWeightBytes(file: string, specs: tf.io.WeightsManifestEntry[], actual: number): void {
  let expected = 0;
  let pastEnd: string | undefined;
  for (const w of specs) {
    const size = w.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[w.quantization?.dtype ?? w.dtype] ?? NaN);
    if (Number.isNaN(size)) return; // strings have no fixed size; tfjs checks them
    expected += size;
    if (expected > actual) pastEnd ??= w.name;
  }
  if (pastEnd !== undefined)
    throw new UserError(
      `${file}: truncated: ${actual} bytes where model.json's manifest needs ${expected}; ` +
        `the first weight past its end is ${pastEnd} (layer ${layerOf(pastEnd)})`,
    );
  if (actual > expected)
    throw new UserError(
      `${file}: ${actual} bytes where model.json's manifest needs ${expected}: ${actual - expected} extra bytes ` +
        '(is it the weights file of this model.json?)',
    );
}

const shapeText = (shape: readonly (number | null)[]): string => `[${shape.join(', ')}]`;

/**
 * Says which layer a manifest does not fit, by building the net without weights and comparing:
 * a weight missing, of another shape, or belonging to no layer. Undefined if they agree.
 */
async function explainMismatch(
  json: tf.io.ModelJSON,
  specs: tf.io.WeightsManifestEntry[],
): Promise<string | undefined> {
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology }));
  } catch {
    return undefined; // the topology itself is the problem: tfjs's message says how
  }
  try {
    const listed = new Map(specs.map((s) => [s.name, s]));
    for (const layer of model.layers) {
      for (const w of layer.weights) {
        const spec = listed.get(w.originalName);
        if (!spec)
          return `layer ${layer.name} needs a weight ${w.originalName} ${shapeText(w.shape)}, which the manifest does not list`;
        if (spec.shape.join() !== w.shape.join())
          return `layer ${layer.name}: the manifest's ${w.originalName} is ${shapeText(spec.shape)}, the layer needs ${shapeText(w.shape)}`;
        listed.delete(w.originalName);
      }
    }
    const extra = listed.keys().next();
    return extra.done ? undefined : `the manifest's weight ${extra.value} belongs to no layer of the net`;
  } finally {
    model.dispose();
  }
}

/** Loads a model directory written by saveModel (or any tfjs layers-model directory plus fcn.json). */
export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; info: ModelInfo }> {
  // Every file is read from one version, even if a writer publishes a newer one meanwhile.
  const root = currentVersion(dir);
  const jsonPath = join(dir, MODEL_JSON);
  const json = parseJson<tf.io.ModelJSON>(
    await readNamed(join(root, MODEL_JSON), 'the model (is this a model directory?)', jsonPath),
    jsonPath,
  );
  const info = await readInfo(root, dir);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest ?? []) {
    weightSpecs.push(...group.weights);
    let bytes = 0;
    for (const p of group.paths) {
      const data = await readNamed(join(root, p), 'weights', join(dir, p));
      buffers.push(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
      bytes += data.byteLength;
    }
    checkWeightBytes(group.paths.map((p) => join(dir, p)).join(' + '), group.weights, bytes);
  }
  const weightData = buffers.length === 1 ? buffers[0]! : buffers;
  try {
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format }),
    );
    return { model, info };
  } catch (e) {
    const mismatch = await explainMismatch(json, weightSpecs);
    throw new UserError(
      mismatch ? `${jsonPath}: ${mismatch}` : `${dir}: cannot load the model (${(e as Error).message})`,
    );
  }
}
