/**
 * Where a forward pass and a training step spend their time, kernel by kernel, on one backend:
 * wraps every registered kernel of the backend with a timer, runs the net, and prints the
 * kernels by total time. Decides what is worth moving into the native addon.
 * Run: `npx tsx bench/profile-kernels.ts [--net nets/voc-fcn8s.fcn] [--input 256] [--train] [--backend native]`.
 */
import { parseArgs } from 'node:util';
import { benchModel, emitNet, selectBackend } from '../src/runtime/index.js';
import { timeKernels } from './kernel-timer.js';

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

const timer = timeKernels(name);

const { model, info } = emitNet(values.net, { input: [size, size], seed: 0 });
const times = await benchModel(model, info, { input: [size, size], runs: 1, ...(values.train ? { train: true } : {}) });
console.log(`${values.net} at ${size}×${size} on ${report.chosen}: ${JSON.stringify(times)}`);
console.log(`kernel time ${timer.sum().toFixed(0)} ms over warm-up and timed runs`);
for (const line of timer.table(25)) console.log(line);
