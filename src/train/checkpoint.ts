/**
 * Checkpoints: everything a run needs to continue exactly where it stopped.
 *   RUN/checkpoint/model/        the weights (a model directory: `fcn predict` loads it too)
 *   RUN/checkpoint/optimizer.bin the momentum history of every trained weight, float32
 *   RUN/checkpoint/state.json    iteration, settings, dataset, data position, elapsed time,
 *                                the best evaluation so far, and the optimizer.bin layout
 * The data order needs no saved RNG state: the batch of step i is a pure function of the
 * seed and i (VocDataset.batch), so the iteration is the data position.
 * Each checkpoint is a new version of RUN/checkpoint (src/util/versioned-dir.ts: the paths above
 * are links into the newest version; the one before is kept), so a crash or a full disk at any
 * moment of a write leaves a complete checkpoint, and a reader takes the newest complete one.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../diagnostics/index.js';
import { loadModel, writeModelFiles, type ModelInfo, type TrainerState } from '../runtime/index.js';
import { currentVersion, writeDirAtomic, type OutputKind } from '../util/index.js';
import type { TrainSettings } from './settings.js';
import { workerCount } from './workers.js';

export const CHECKPOINT_DIR = 'checkpoint';
const STATE_JSON = 'state.json';
const OPTIMIZER_BIN = 'optimizer.bin';
const MODEL_SUBDIR = 'model';

/** A checkpoint directory, marked by its state.json. */
export const CHECKPOINT: OutputKind = {
  what: 'an fcn checkpoint',
  marker: STATE_JSON,
  test: (text) => (JSON.parse(text) as { format?: unknown }).format === 'fcn-checkpoint',
};

/** The best evaluation of a run so far. */
export interface BestEval {
  iteration: number;
  meanIU: number;
}

/** What state.json holds besides the optimizer layout. */
export interface RunState {
  /** Completed steps. */
  iteration: number;
  settings: TrainSettings;
  /** The dataset root the run trains on. */
  data: string;
  /** What the run started from: a .fcn file or a model directory. */
  source: string;
  /** Seconds spent training, over all sessions. */
  elapsed: number;
  best?: BestEval;
}

interface StateJson extends RunState {
  format: 'fcn-checkpoint';
  version: 1;
  /** Images drawn so far (iteration × batch): where the data stream stands. */
  imagesSeen: number;
  optimizer: Array<{ name: string; shape: number[]; offset: number }>;
}

/** A loaded checkpoint; the caller owns (and disposes) the model and the history tensors. */
export interface Checkpoint {
  state: RunState;
  model: tf.LayersModel;
  info: ModelInfo;
  optimizer: TrainerState;
}

/** The checkpoint directory of a run. */
export function checkpointDir(run: string): string {
  return join(run, CHECKPOINT_DIR);
}

/** The model directory of a run's newest complete checkpoint (a path that stays valid while newer ones are written). */
export function checkpointModelDir(run: string): string {
  return join(currentVersion(checkpointDir(run)), MODEL_SUBDIR);
}

/** Writes RUN/checkpoint atomically. `optimizer` is read, not disposed. */
export async function saveCheckpoint(
  run: string,
  model: tf.LayersModel,
  info: ModelInfo,
  optimizer: TrainerState,
  state: RunState,
): Promise<void> {
  const layout: StateJson['optimizer'] = [];
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(optimizer.history)) {
    const values = (await t.data()) as Float32Array;
    layout.push({ name, shape: [...t.shape], offset });
    parts.push(values);
    offset += values.length;
  }
  const bytes = new Float32Array(offset);
  parts.forEach((p, i) => bytes.set(p, layout[i]!.offset));
  const json: StateJson = {
    format: 'fcn-checkpoint',
    version: 1,
    ...state,
    iteration: optimizer.iteration,
    imagesSeen: optimizer.iteration * state.settings.batch,
    optimizer: layout,
  };
  await writeDirAtomic(
    checkpointDir(run),
    async (tmp) => {
      await mkdir(join(tmp, MODEL_SUBDIR));
      await writeModelFiles(join(tmp, MODEL_SUBDIR), model, info);
      await writeFile(join(tmp, OPTIMIZER_BIN), new Uint8Array(bytes.buffer));
      await writeFile(join(tmp, STATE_JSON), JSON.stringify(json, null, 2) + '\n');
    },
    { kind: CHECKPOINT },
  );
}

/** Reads just the state of a run's checkpoint (no tensors). */
export async function readCheckpointState(run: string): Promise<RunState & { optimizer: StateJson['optimizer'] }> {
  return readState(run, currentVersion(checkpointDir(run)));
}

/** Reads state.json from `root`, one version of RUN/checkpoint. */
async function readState(run: string, root: string): Promise<StateJson> {
  const path = join(root, STATE_JSON);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      missing
        ? `${run}: no checkpoint here (${path} does not exist); is it a run directory written by fcn train?`
        : `${path}: ${(e as Error).message}`,
    );
  }
  let json: StateJson;
  try {
    json = JSON.parse(text) as StateJson;
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (json.format !== 'fcn-checkpoint' || json.version !== 1) throw new UserError(`${path}: not an fcn checkpoint`);
  return json;
}

/** Loads the newest complete checkpoint of a run: the model, its optimizer state and the run state. */
export async function loadCheckpoint(run: string): Promise<Checkpoint> {
  // All parts come from one version, even if a writer publishes a newer one meanwhile.
  const root = currentVersion(checkpointDir(run));
  const json = await readState(run, root);
  const { model, info } = await loadModel(join(root, MODEL_SUBDIR));
  const binPath = join(root, OPTIMIZER_BIN);
  const bytes = await readFile(binPath);
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const history: tf.NamedTensorMap = {};
  for (const { name, shape, offset } of json.optimizer) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (offset + size > values.length) throw new UserError(`${binPath}: too short for ${name} (truncated checkpoint?)`);
    history[name] = tf.tensor(values.subarray(offset, offset + size), shape, 'float32');
  }
  const { optimizer: _layout, format: _f, version: _v, imagesSeen: _seen, ...state } = json as StateJson;
  return { state, model, info, optimizer: { iteration: json.iteration, history } };
}

/**
 * The backend a resumed run needs when none is named: a run trained by several workers
 * continues on wasm (workers run only there and on cpu), wherever a faster backend is the
 * default; undefined to let the default (or FCN_BACKEND) choose.
 */
export async function backendToResume(run: string): Promise<string | undefined> {
  if (process.env['FCN_BACKEND']) return undefined;
  try {
    return workerCount((await readCheckpointState(run)).settings) > 1 ? 'wasm' : undefined;
  } catch {
    return undefined; // prepareResume reports what is wrong with the run
  }
}
