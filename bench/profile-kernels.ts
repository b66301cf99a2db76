/**
 * Where a forward pass and a training step spend their time, kernel by kernel, on one backend:
 * wraps every registered kernel of the backend with a timer, runs the net, and prints the
 * kernels by total time. Decides what is worth moving into the native addon.
 * Run: `npx tsx bench/profile-kernels.ts [--net nets/voc-fcn8s.fcn] [--input 256] [--train] [--backend native]`.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { benchModel, emitNet, selectBackend } from '../src/runtime/index.js';

const { values } = parseArgs({
  options: {
    net: { type: 'string', default: 'nets/voc-fcn8s.fcn' },
    input: { type: 'string', default: '256' },
    train: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'native' },
  },
});
const size = Number(values.input);
const report = await selectBackend(values.backend);
const name = report.tfName;

const totals = new Map<string, { ms: number; calls: number }>();
for (const k of tf.getKernelsForBackend(name)) {
  const inner = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, name);
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const t0 = performance.now();
      const out = inner(args);
      const t = totals.get(k.kernelName) ?? { ms: 0, calls: 0 };
      t.ms += performance.now() - t0;
      t.calls++;
      totals.set(k.kernelName, t);
      return out;
    },
  });
}

const { model, info } = emitNet(values.net, { input: [size, size], seed: 0 });
const times = await benchModel(model, info, { input: [size, size], runs: 1, ...(values.train ? { train: true } : {}) });
const all = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
const sum = all.reduce((s, [, t]) => s + t.ms, 0);
console.log(`${values.net} at ${size}×${size} on ${report.chosen}: ${JSON.stringify(times)}`);
console.log(`kernel time ${sum.toFixed(0)} ms over warm-up and timed runs`);
for (const [k, t] of all.slice(0, 25))
  console.log(
    `${k.padEnd(24)} ${t.ms.toFixed(0).padStart(8)} ms ${((100 * t.ms) / sum).toFixed(1).padStart(5)} %  ${t.calls} calls`,
  );
