/**
 * Where a training step of a small net at the demo's batch goes, kernel by kernel: tiny-fcn8s
 * (default), batch 8, 64×64, one Trainer (no workers), random images and labels. Prints the
 * step's wall time unprofiled, then with every kernel of the backend wrapped in a timer: the
 * kernels by time per step and their calls. Decides what to move into the native addon for
 * `fcn demo` (the per-call and per-thread overheads of tiny tensors).
 * Run: `npx tsx bench/profile-step.ts [--backend native] [--net nets/tiny-fcn8s.fcn] [--batch 8] [--input 64] [--steps 20]`;
 * FCN_THREADS=1 runs native's oneDNN on one thread.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { emitNet, selectBackend, Trainer } from '../src/runtime/index.js';
import { timeKernels } from './kernel-timer.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'native' },
    net: { type: 'string', default: 'nets/tiny-fcn8s.fcn' },
    batch: { type: 'string', default: '8' },
    input: { type: 'string', default: '64' },
    steps: { type: 'string', default: '20' },
    classes: { type: 'string', default: '4' },
  },
});
const [batch, size, steps, classes] = [values.batch, values.input, values.steps, values.classes].map(Number) as [
  number,
  number,
  number,
  number,
];
const report = await selectBackend(values.backend);
const name = report.tfName;
const timer = timeKernels(name);
timer.on = false;
const { model, info } = emitNet(values.net, { input: [size, size], seed: 0 });
const trainer = new Trainer(model, info, { lr: 1e-3, momentum: 0.9, weightDecay: 5e-4 });
const inputs = { data: tf.randomNormal([batch, size, size, 3], 128, 50, 'float32', 1) as tf.Tensor4D };
const labels = { [info.losses[0]!.label]: tf.randomUniform([batch, size, size], 0, classes, 'int32', 2) };
for (let i = 0; i < 5; i++) trainer.step({ inputs, labels }); // warm-up: primitives, caches
let t0 = performance.now();
for (let i = 0; i < steps; i++) trainer.step({ inputs, labels });
console.log(
  `${values.net}, batch ${batch}, ${size}×${size} on ${report.chosen}: ${((performance.now() - t0) / steps).toFixed(1)} ms/step`,
);
timer.on = true;
t0 = performance.now();
for (let i = 0; i < steps; i++) trainer.step({ inputs, labels });
const wall = (performance.now() - t0) / steps;
console.log(`profiled: ${wall.toFixed(1)} ms/step, of which kernels ${(timer.sum() / steps).toFixed(1)} ms`);
for (const line of timer.table(25, steps)) console.log(line);
