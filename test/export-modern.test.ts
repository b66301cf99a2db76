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
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { readImage } from '../src/data/image.js';
import { readLabel } from '../src/data/labels.js';
import { toNetInput } from '../src/data/preprocess.js';
import { softmaxLoss } from '../src/runtime/loss.js';
import { MINI_UNET } from './helpers/mini-unet.js';
import { fcnOk, maxDiff, roundTrip, runOnnx, runPytorch, writeInput } from './helpers/export.js';

const exec = promisify(execFile);

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

// train.py on a net whose scores are smaller than its input and whose input is grey: PyTorch's
// first loss, before any update, must be fcn's on the same images (read as grey with OpenCV's
// weights, less the mean) and the same label windows (cut at the crop(label) offset, 8).
test.serial(
  "train.py trains a U-Net: its first loss is fcn's, on grey images and the label window at the offset",
  async (t) => {
    await selectBackend();
    const net = join(dir, 'mini-unet.fcn');
    await writeFile(net, MINI_UNET.replace('input data { channels: 1 }', 'input data { channels: 1  mean: [100] }'));
    const data = join(dir, 'unet-synth');
    await fcnOk('synth', '--out', data, '--count', '4', '--size', '36', '--classes', '2', '--seed', '1');
    const model = join(dir, 'mini-unet.model');
    await fcnOk('compile', net, '--seed', '3', '-o', model);
    const pkg = join(dir, 'mini-unet.pt');
    await fcnOk('export', model, '--format', 'pytorch', '-o', pkg);
    const { stdout } = await exec('nice', [
      '-n',
      '19',
      '/usr/bin/python3',
      join(pkg, 'train.py'),
      '--data',
      data,
      '--split',
      'trainval',
      '--iters',
      '1',
      '--batch',
      '4',
      '--no-shuffle',
      '--out',
      join(dir, 'unet-run'),
    ]);
    const torchLoss = Number(/step 1\/1 loss (\S+)/.exec(stdout)![1]);

    // fcn's loss on the same batch, in this process.
    const { model: m, info } = await loadModel(model);
    t.deepEqual(info.losses[0]!.labelOffset, [8, 8]);
    const ids = ['synth_0000', 'synth_0001', 'synth_0002', 'synth_0003'];
    const images: Float32Array[] = [];
    const windows: number[] = [];
    for (const id of ids) {
      const image = await readImage(join(data, 'JPEGImages', `${id}.png`));
      t.false(
        image.data.every((v, i) => v === image.data[i - (i % 3)]),
        'the synth images are in colour',
      );
      images.push(toNetInput(image, { order: 'rgb', channels: 1, mean: [100] }));
      const label = await readLabel(join(data, 'SegmentationClass', `${id}.png`));
      for (let r = 8; r < 28; r++) windows.push(...label.data.subarray(r * 36 + 8, r * 36 + 28));
    }
    const ours = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(images.flatMap((a) => [...a])), [4, 36, 36, 1]);
      const scores = m.predict(x) as tf.Tensor4D;
      t.deepEqual(scores.shape, [4, 20, 20, 2]);
      return softmaxLoss(scores, tf.tensor3d(windows, [4, 20, 20], 'int32'), info.losses[0]!).dataSync()[0]!;
    });
    m.dispose();
    t.true(Number.isFinite(torchLoss) && torchLoss > 0);
    t.true(Math.abs(torchLoss - ours) <= 1e-5 * ours, `train.py ${torchLoss}, fcn ${ours}`);
  },
);
