/**
 * The entry of a data-parallel worker thread: a stateless gradient calculator. It rebuilds the
 * model from the main thread's artifacts on its own backend (its own wasm heap), then for each
 * step reads the current trainable weights from shared memory, takes a shard of the batch,
 * writes the shard's gradients to shared memory and returns its loss. The optimizer state
 * lives in the main thread only.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend.js';
import type { ModelInfo } from '../info.js';
import { setNativeThreads } from '../native/addon.js';
import '../layers/index.js'; // registers fcn's layers, which the model's topology names
import { Packing } from './packing.js';
import type { InitRequest, Reply, Request, ShardArray, StepRequest } from './protocol.js';
import { shardGradient } from './shard.js';

interface Loaded {
  model: tf.LayersModel;
  info: ModelInfo;
  variables: tf.Variable[];
  packing: Packing;
  weights: Float32Array;
  gradient: Float32Array;
}

let loaded: Loaded | undefined;

async function init(m: InitRequest): Promise<Reply> {
  await selectBackend(m.backend);
  if (m.threads !== undefined) setNativeThreads(m.threads);
  const model = await tf.loadLayersModel(tf.io.fromMemory(m.artifacts));
  const byName = new Map(model.weights.map((w) => [w.originalName, w]));
  const variables = m.trainable.map((name) => {
    const w = byName.get(name);
    if (!w) throw new Error(`the worker's model has no weight ${name}`);
    return w.read() as tf.Variable;
  });
  const packing = new Packing(variables.map((v) => v.shape));
  const [weights, gradient] = [m.weights, m.gradient].map((b) => new Float32Array(b)) as [Float32Array, Float32Array];
  if (weights.length !== packing.length || gradient.length !== packing.length)
    throw new Error(`shared buffers of ${weights.length} and ${gradient.length} values for ${packing.length} weights`);
  loaded = { model, info: m.info, variables, packing, weights, gradient };
  return { type: 'ready' };
}

function toTensor(a: ShardArray): tf.Tensor {
  return tf.tensor(a.values, a.shape, a.dtype);
}

function step(m: StepRequest): Reply {
  if (!loaded) throw new Error('a step before init');
  const { model, info, variables, packing, weights, gradient } = loaded;
  const values = packing.unpack(weights);
  // assign() frees the old values, and with them the packed copies XNNPack kept of them.
  variables.forEach((v, i) => v.assign(values[i]!));
  tf.dispose(values);
  const inputs = Object.fromEntries(Object.entries(m.inputs).map(([k, a]) => [k, toTensor(a) as tf.Tensor4D]));
  const labels = Object.fromEntries(Object.entries(m.labels).map(([k, a]) => [k, toTensor(a)]));
  try {
    const { loss } = shardGradient(model, info, variables, packing, { inputs, labels }, m.normalisers, gradient);
    return { type: 'result', loss };
  } finally {
    tf.dispose([...Object.values(inputs), ...Object.values(labels)]);
  }
}

const port = parentPort;
if (!port) throw new Error('runtime/parallel/worker is a worker thread entry, not a module to import');
port.on('message', (m: Request) => {
  (m.type === 'init' ? init(m) : Promise.resolve().then(() => step(m))).then(
    (reply) => port.postMessage(reply),
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ type: 'error', name: err.name, message: err.message, stack: err.stack } satisfies Reply);
    },
  );
});
