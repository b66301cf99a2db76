// The paper's nets exported to ONNX and PyTorch, each checked against `fcn predict --scores` to
// 1e-4 on the same raw input (slow: VGG16 FCN-8s has 134 M parameters). Runs the built CLI.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roundTrip } from './helpers/export.js';

let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fcn-export-paper-'));
});

test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const [file, net] of [
  ['nets/voc-fcn8s.fcn', 'voc_fcn8s'],
  ['nets/voc-fcn-alexnet.fcn', 'voc_fcn_alexnet'],
  ['nets/voc-fcn-googlenet.fcn', 'voc_fcn_googlenet'],
] as const) {
  // One at a time: the VGG16 model, its ONNX file and its weights.npz are 537 MB each.
  test.serial(`${file}: ONNX Runtime and PyTorch equal fcn predict --scores to 1e-4 at 100x115`, async (t) => {
    await roundTrip(t, dir, file, net, 3, 100, 115);
  });
}
