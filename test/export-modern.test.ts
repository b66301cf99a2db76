// The nets past the paper exported to ONNX and PyTorch, each checked against `fcn predict --scores`
// to 1e-4 of the largest score on the same raw input: U-Net (whose label crop the export leaves
// out with the loss, and whose scores are smaller than its input), DeepLab-LargeFOV (dilations,
// interp to the input's size), ResNet-50 (Caffe's BatchNorm and Scale; its scores are res5c's
// features) and FCN-8s on it. Slow: runs the built CLI, ONNX Runtime and PyTorch.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/runtime/backend.js';
import { loadModel } from '../src/runtime/model-io.js';
import { readNpy } from '../src/runtime/npy.js';
import { fcnOk, maxDiff, roundTrip, runOnnx, runPytorch, writeInput } from './helpers/export.js';

let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fcn-export-modern-'));
});

test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const [file, net, c, h, w, shape] of [
  ['nets/unet.fcn', 'unet', 1, 188, 204, [2, 4, 20]],
  ['nets/deeplab-largefov.fcn', 'deeplab_largefov', 3, 97, 110, [21, 97, 110]],
  ['nets/voc-fcn8s-resnet50.fcn', 'voc_fcn8s_resnet50', 3, 64, 96, [21, 64, 96]],
] as const) {
  test.serial(`${file}: ONNX Runtime and PyTorch equal fcn predict --scores to 1e-4 at ${h}x${w}`, async (t) => {
    const scores = await roundTrip(t, dir, file, net, c, h, w);
    t.deepEqual(scores.shape, shape);
  });
}

// A trunk's 2048 feature channels are no label map, so fcn predict refuses them: the oracle's
// reference is the model's own forward pass in this process, on the backend fcn picks.
test.serial('nets/resnet50.fcn: ONNX Runtime and PyTorch equal its forward pass to 1e-4 at 64x96', async (t) => {
  await selectBackend();
  const d = join(dir, 'resnet50');
  const input = `${d}.npy`;
  await writeInput(input, 3, 64, 96);
  await fcnOk('compile', 'nets/resnet50.fcn', '--seed', '5', '-o', `${d}.model`);
  const { model } = await loadModel(`${d}.model`);
  const x = await readNpy(input);
  const ours = tf.tidy(() => {
    const nhwc = tf.transpose(tf.tensor3d(x.data, [3, 64, 96]), [1, 2, 0]).expandDims(0);
    const y = model.predict(nhwc) as tf.Tensor4D;
    return tf.transpose(y.squeeze([0]), [2, 0, 1]);
  });
  t.deepEqual(ours.shape, [2048, 2, 3]);
  const scores = ours.dataSync() as Float32Array;
  ours.dispose();
  model.dispose();
  const tolerance = 1e-4 * Math.max(1, maxDiff(scores, new Float32Array(scores.length)));
  await fcnOk('export', `${d}.model`, '--format', 'onnx', '-o', `${d}.onnx`);
  const onnx = await runOnnx(`${d}.onnx`, input);
  t.deepEqual(onnx.dims, [1, 2048, 2, 3]);
  t.true(maxDiff(onnx.data, scores) <= tolerance, `ONNX differs by ${maxDiff(onnx.data, scores)} > ${tolerance}`);
  await fcnOk('export', `${d}.model`, '--format', 'pytorch', '-o', `${d}.pt`);
  const torch = await runPytorch(`${d}.pt`, input, `${d}.torch.npy`);
  t.deepEqual(torch.shape, [2048, 2, 3]);
  t.true(maxDiff(torch.data, scores) <= tolerance, `PyTorch differs by ${maxDiff(torch.data, scores)} > ${tolerance}`);
});
