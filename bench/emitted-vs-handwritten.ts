/**
 * The emitted voc-fcn8s against the same net written by hand with tfjs ops (same weights,
 * same backend), forward pass at a modest size: prints both median times and the overhead of
 * the emitted graph. Run: `npx tsx bench/emitted-vs-handwritten.ts [--input 160] [--runs 3] [--backend wasm]`.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { emitNet, median, selectBackend } from '../src/runtime/index.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '160' },
    runs: { type: 'string', default: '3' },
    backend: { type: 'string' },
  },
});
const size = Number(values.input);
const runs = Number(values.runs);
const report = await selectBackend(values.backend);

const { model } = emitNet('nets/voc-fcn8s.fcn', { seed: 0 });
const W = new Map(model.weights.map((w) => [w.originalName, w.read()]));
const get = (name: string) => W.get(name)!;
const pad = (p: number): tf.backend_util.ExplicitPadding => [
  [0, 0],
  [p, p],
  [p, p],
  [0, 0],
];

/** conv + bias (+ ReLU), explicit pad. */
function conv(x: tf.Tensor4D, name: string, p = 0, relu = true): tf.Tensor4D {
  const y = tf.add(tf.conv2d(x, get(`${name}/kernel`) as tf.Tensor4D, 1, pad(p)), get(`${name}/bias`)) as tf.Tensor4D;
  return relu ? tf.relu(y) : y;
}

/** 2×2 stride-2 max pooling with Caffe's ceil rounding (extra bottom/right padding). */
function pool(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  const extra = (n: number) => (Math.ceil((n - 2) / 2) + 1 - 1) * 2 + 2 - n;
  return tf.maxPool(x, 2, 2, [
    [0, 0],
    [0, extra(h)],
    [0, extra(w)],
    [0, 0],
  ]);
}

function upsample(x: tf.Tensor4D, name: string, k: number, s: number): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const o = s * (h - 1) + k;
  const ow = s * (w - 1) + k;
  return tf.conv2dTranspose(x, get(`${name}/kernel`) as tf.Tensor4D, [n, o, ow, 21], s, 'valid');
}

function crop(x: tf.Tensor4D, like: tf.Tensor4D, o: number): tf.Tensor4D {
  return tf.slice(x, [0, o, o, 0], [x.shape[0], like.shape[1], like.shape[2], x.shape[3]]);
}

/** FCN-8s, written out: VGG16 with conv1_1 padded by 100, skips from pool4 and pool3, crops 5, 9, 31. */
function fcn8s(data: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    let x = conv(data, 'vgg.conv1_1', 100);
    x = pool(conv(x, 'vgg.conv1_2', 1));
    x = pool(conv(conv(x, 'vgg.conv2_1', 1), 'vgg.conv2_2', 1));
    const pool3 = pool(conv(conv(conv(x, 'vgg.conv3_1', 1), 'vgg.conv3_2', 1), 'vgg.conv3_3', 1));
    const pool4 = pool(conv(conv(conv(pool3, 'vgg.conv4_1', 1), 'vgg.conv4_2', 1), 'vgg.conv4_3', 1));
    const pool5 = pool(conv(conv(conv(pool4, 'vgg.conv5_1', 1), 'vgg.conv5_2', 1), 'vgg.conv5_3', 1));
    const fc7 = conv(conv(pool5, 'vgg.fc6'), 'vgg.fc7');
    const upscore2 = upsample(conv(fc7, 'score_fr', 0, false), 'upscore2', 4, 2);
    const fuse4 = tf.add(upscore2, crop(conv(pool4, 'score_pool4', 0, false), upscore2, 5)) as tf.Tensor4D;
    const up4 = upsample(fuse4, 'upscore_pool4', 4, 2);
    const fuse3 = tf.add(up4, crop(conv(pool3, 'score_pool3', 0, false), up4, 9)) as tf.Tensor4D;
    return crop(upsample(fuse3, 'upscore8', 16, 8), data, 31);
  });
}

const x = tf.randomNormal([1, size, size, 3], 0, 50, 'float32', 1) as tf.Tensor4D;
const same = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, fcn8s(x)))).dataSync()[0]!);
// Alternate the two so that load from other processes falls on both alike.
const timeOnce = async (f: () => tf.Tensor): Promise<number> => {
  const t0 = performance.now();
  const y = f();
  await y.data();
  y.dispose();
  return performance.now() - t0;
};
const handTimes: number[] = [];
const emittedTimes: number[] = [];
const runEmitted = (): tf.Tensor => model.predict(x) as tf.Tensor;
await timeOnce(() => fcn8s(x)); // warm-up
await timeOnce(runEmitted);
for (let i = 0; i < runs; i++) {
  handTimes.push(await timeOnce(() => fcn8s(x)));
  emittedTimes.push(await timeOnce(runEmitted));
}
const hand = median(handTimes);
const emitted = median(emittedTimes);
const overhead = (100 * (emitted - hand)) / hand;
process.stdout.write(
  `voc-fcn8s forward at ${size}×${size} on ${report.chosen} (median of ${runs}; max |difference| ${same.toExponential(2)})\n` +
    `  hand-written  ${hand.toFixed(1)} ms\n  emitted       ${emitted.toFixed(1)} ms\n  overhead      ${overhead.toFixed(1)} %\n`,
);
