/**
 * A full training step of tiny-fcn8s (nets/tiny-fcn8s.fcn) on the native backend against the
 * cpu backend: same weights, same batch, two SGD steps with momentum and weight decay; the
 * losses and every updated weight agree to float32 accumulation-order noise.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import { emitNet } from '../src/runtime/net.js';
import { Trainer } from '../src/runtime/train-step.js';
import { nativeTest, useNative } from './helpers/native.js';
import { relError } from './helpers/tf.js';

test.before(async () => {
  await useNative();
});

/** Losses of two steps and the weights after them, on `backend`. */
async function train(backend: string): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await tf.setBackend(backend);
  // A small input (odd sizes under ceil-mode pooling): the cpu side is slow.
  const size: [number, number] = [52, 52];
  const { model, info } = emitNet('nets/tiny-fcn8s.fcn', { input: size, seed: 5 });
  const trainer = new Trainer(model, info, { lr: 0.01, momentum: 0.9, weightDecay: 5e-4 });
  const rng = new Rng(13, 1);
  const inputs = Object.fromEntries(
    info.inputs.map((i) => {
      const v = Float32Array.from({ length: size[0] * size[1] * i.channels }, () => rng.normal());
      return [i.name, tf.tensor4d(v, [1, ...size, i.channels])];
    }),
  );
  const labels = Object.fromEntries(
    info.losses.map((l) => {
      const v = Int32Array.from({ length: size[0] * size[1] }, () => rng.int(4));
      return [l.label, tf.tensor3d(v, [1, ...size], 'int32')];
    }),
  );
  const losses = [trainer.step({ inputs, labels }), trainer.step({ inputs, labels })];
  const weights = model.weights.map((w) => w.read().dataSync() as Float32Array);
  trainer.dispose();
  model.dispose();
  tf.dispose([...Object.values(inputs), ...Object.values(labels)]);
  return { losses, weights };
}

nativeTest('two training steps of tiny-fcn8s on native equal the cpu backend’s', async (t) => {
  const native = await train('native');
  const cpu = await train('cpu');
  for (let i = 0; i < 2; i++)
    t.true(Math.abs(native.losses[i]! - cpu.losses[i]!) <= 1e-4 * Math.abs(cpu.losses[i]!), `loss ${i}`);
  t.is(native.weights.length, cpu.weights.length);
  native.weights.forEach((w, i) => {
    const e = relError(w, cpu.weights[i]!);
    t.true(e < 1e-4, `weight ${i}: relative error ${e}`);
  });
  await tf.setBackend('native');
});
