// Child process of test/versioned-dir.test.ts: writes checkpoints of NET into RUN in a loop
// (the built code, dist/), iterations START, START+1, … until killed, each with every weight
// and every momentum value equal to its iteration; prints `ready` once set up, then
// `saved ITERATION MILLISECONDS` after each checkpoint.
import * as tf from '@tensorflow/tfjs';

const [run, net, start] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const { emitNet } = await import('../../dist/runtime/index.js');
const { resolveSettings, saveCheckpoint } = await import('../../dist/train/index.js');
await tf.setBackend('cpu');
const { model, info } = emitNet(net, { seed: 0 });
const settings = resolveSettings(info.solver, {}, () => 1);
process.stdout.write('ready\n');
for (let iteration = start; ; iteration++) {
  const started = performance.now();
  const values = model.weights.map((w) => tf.fill(w.shape, iteration));
  model.setWeights(values);
  const history = Object.fromEntries(model.weights.map((w, i) => [w.originalName, values[i]]));
  const state = { iteration, settings, data: '/data', source: net, elapsed: iteration };
  await saveCheckpoint(run, model, info, { iteration, history }, state);
  tf.dispose(values);
  process.stdout.write(`saved ${iteration} ${Math.round(performance.now() - started)}\n`);
}
