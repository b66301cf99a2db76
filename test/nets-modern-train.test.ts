/**
 * Training the nets past the paper, in the default suite (the four nets of nets/ at small sizes
 * are in nets-modern-slow.test.ts): a reduced U-Net written here with U-Net's own constructs
 * (valid convolutions, crop(skip), crop(label)) takes a training step on the backend the
 * product picks, with its label cut at the computed offset; Caffe's BatchNorm updates its
 * running sums and factor exactly as Caffe's moving average says; a 1-channel input reads
 * images as grey; and `fcn train`, `fcn eval` and `fcn predict` run end to end on tiles whose
 * label is the image's size, eval scoring against the label window under the scores and
 * predict placing the labels at that offset in the image's frame.
 */
import test, { type ExecutionContext } from 'ava';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grey, toNetInput } from '../src/data/preprocess.js';
import { readLabel } from '../src/data/labels.js';
import { Rng } from '../src/data/random.js';
import { selectBackend } from '../src/runtime/backend.js';
import { softmaxLoss } from '../src/runtime/loss.js';
import { emitNet } from '../src/runtime/net.js';
import { readNpy } from '../src/runtime/npy.js';
import { inInputFrame, type Prediction } from '../src/runtime/predict.js';
import { Trainer } from '../src/runtime/train-step.js';
import { fcn } from './helpers/cli.js';
import { MINI_UNET } from './helpers/mini-unet.js';

/** Caffe's BatchNorm (not global) on the data itself, so its statistics can be computed by hand. */
const BN_NET = `
net bn_check {
  input data { channels: 2 }
  input label { kind: label }
  bn: batch_norm { momentum: 0.9 }
  sc: scale { bias: true }
  score: conv { out: 2  kernel: 1 }
  loss: softmax_loss { bottom: [score, label] }
}
`;

let dir = '';
let backend = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fcn-modern-'));
  await writeFile(join(dir, 'mini-unet.fcn'), MINI_UNET);
  await writeFile(join(dir, 'bn.fcn'), BN_NET);
  // The backend the product picks: native where the addon is built, else wasm.
  backend = (await selectBackend()).chosen;
});

test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

function randomBatch(size: number, channels: number, classes: number, seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: size * size * channels }, () => rng.normal());
  const y = Int32Array.from({ length: size * size }, () => rng.int(classes));
  return { x, y, input: tf.tensor4d(x, [1, size, size, channels]), label: tf.tensor3d(y, [1, size, size], 'int32') };
}

test('a reduced U-Net trains a step: 36x36 tiles give 20x20 scores, the loss reads the label cut at 8', (t) => {
  const { model, info } = emitNet(join(dir, 'mini-unet.fcn'), { input: [36, 36], seed: 3 });
  t.deepEqual(info.losses[0]!.labelOffset, [8, 8]);
  t.deepEqual(model.outputs[0]!.shape, [null, 20, 20, 2]);
  const { y, input, label } = randomBatch(36, 1, 2, 7);
  // The loss by hand: the scores against the label's 20x20 window at (8, 8).
  const window = new Int32Array(400);
  for (let r = 0; r < 20; r++) window.set(y.subarray((r + 8) * 36 + 8, (r + 8) * 36 + 28), r * 20);
  const expected = tf.tidy(
    () =>
      softmaxLoss(
        model.predict(input) as tf.Tensor4D,
        tf.tensor3d(window, [1, 20, 20], 'int32'),
        info.losses[0]!,
      ).dataSync()[0]!,
  );
  const before = model.weights.map((w) => w.read().dataSync().slice());
  const trainer = new Trainer(model, info, { lr: 0.01, momentum: 0.9, weightDecay: 5e-4 });
  const loss = trainer.step({ inputs: { data: input }, labels: { label } });
  t.true(Number.isFinite(loss));
  t.true(Math.abs(loss - expected) <= 1e-5 * Math.abs(expected), `${loss} vs ${expected} (${backend})`);
  const after = model.weights.map((w) => w.read().dataSync());
  t.true(
    before.every((b, i) => b.some((v, k) => v !== after[i]![k])),
    'every weight moved',
  );
  trainer.dispose();
  model.dispose();
  tf.dispose([input, label]);
});

test("Caffe's BatchNorm in training: sum ← λ·sum + statistic (variance unbiased), factor ← λ·factor + 1", (t) => {
  const { model, info } = emitNet(join(dir, 'bn.fcn'), { input: [5, 4], seed: 1 });
  const trainer = new Trainer(model, info, { lr: 0.01, momentum: 0.9, weightDecay: 0 });
  const bn = model.getLayer('bn');
  const rng = new Rng(11);
  // The running sums start at mean 0, variance 1, factor 1 (fcn's initial statistics).
  const meanSum = [0, 0];
  const varSum = [1, 1];
  let factor = 1;
  for (let step = 0; step < 2; step++) {
    const x = Float32Array.from({ length: 20 * 2 }, () => 3 * rng.normal() + step);
    const label = tf.tensor3d(
      Int32Array.from({ length: 20 }, (_, i) => i % 2),
      [1, 5, 4],
      'int32',
    );
    const input = tf.tensor4d(x, [1, 5, 4, 2]);
    t.true(Number.isFinite(trainer.step({ inputs: { data: input }, labels: { label } })));
    tf.dispose([input, label]);
    // By hand, in doubles: m = N·H·W = 20 pixels per channel.
    for (let c = 0; c < 2; c++) {
      const v = Array.from({ length: 20 }, (_, i) => x[i * 2 + c]!);
      const mean = v.reduce((a, b) => a + b, 0) / 20;
      const unbiased = v.reduce((a, b) => a + (b - mean) ** 2, 0) / 19;
      meanSum[c] = 0.9 * meanSum[c]! + mean;
      varSum[c] = 0.9 * varSum[c]! + unbiased;
    }
    factor = 0.9 * factor + 1;
    const [m, s, f] = bn.getWeights().map((w) => Array.from(w.dataSync()));
    m!.forEach((v, c) => t.true(Math.abs(v - meanSum[c]!) < 1e-5 * (1 + Math.abs(meanSum[c]!)), `mean ${c}: ${v}`));
    s!.forEach((v, c) => t.true(Math.abs(v - varSum[c]!) < 1e-5 * varSum[c]!, `variance ${c}: ${v} vs ${varSum[c]}`));
    t.true(Math.abs(f![0]! - factor) < 1e-6, `factor ${f![0]} vs ${factor}`);
  }
  t.is(Math.fround(factor), Math.fround(2.71));
  trainer.dispose();
  model.dispose();
});

test("a 1-channel input reads an image as grey with OpenCV's RGB2GRAY weights, less the mean's one value", (t) => {
  const image = { width: 4, height: 1, data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 77, 77, 77]) };
  t.deepEqual([grey(255, 0, 0), grey(0, 255, 0), grey(0, 0, 255), grey(77, 77, 77)], [76, 150, 29, 77]);
  t.deepEqual(Array.from(toNetInput(image, { order: 'rgb', channels: 1, mean: [10] })), [66, 140, 19, 67]);
  t.throws(() => toNetInput(image, { order: 'rgb', channels: 1, mean: [1, 2, 3] }), { message: /needs 1/ });
  t.throws(() => toNetInput(image, { order: 'rgb', channels: 4 }), { message: /has 4 channels/ });
});

test('predict places smaller scores at their offset in the input frame, the border void', (t) => {
  // Scores 2x3 over a 5x6 input at offset (1, 2): labels 0..5 in reading order.
  const pred: Prediction = {
    scores: new Float32Array(0),
    shape: [6, 2, 3],
    labels: { height: 2, width: 3, data: Uint8Array.from([0, 1, 2, 3, 4, 5]) },
  };
  const placed = inInputFrame(pred, [5, 6], [1, 2], 'n');
  const V = 255;
  t.deepEqual(placed.offset, [1, 2]);
  t.deepEqual(
    Array.from(placed.labels.data),
    [
      [V, V, V, V, V, V],
      [V, V, 0, 1, 2, V],
      [V, V, 3, 4, 5, V],
      [V, V, V, V, V, V],
      [V, V, V, V, V, V],
    ].flat(),
  );
  t.is(inInputFrame({ ...pred, labels: { ...pred.labels } }, [2, 3], undefined, 'n').labels.width, 3);
  // No label crop to place them by (a fixed-size head): the labels stay at the scores' own size.
  t.is(inInputFrame(pred, [5, 6], undefined, 'n'), pred);
});

/** `fcn viz` of a net: it exits 0 and the page names every blob `fcn inspect` lists. */
async function vizNamesEveryLayer(t: ExecutionContext, file: string): Promise<void> {
  const out = join(dir, `${file}.html`);
  const drawn = await fcn('viz', `nets/${file}.fcn`, '-o', out);
  t.is(drawn.code, 0, drawn.stderr);
  if (drawn.code !== 0) return;
  const html = await readFile(out, 'utf8');
  const inspected = await fcn('inspect', `nets/${file}.fcn`, '--json');
  const names: string[] = JSON.parse(inspected.stdout).blobs.map((b: { name: string }) => b.name);
  t.true(names.length > 20, file);
  t.deepEqual(
    names.filter((n) => !html.includes(n)),
    [],
    file,
  );
}

// unet's label crop has a path through the shared input frame (the label input joins it by the identity).
for (const file of ['unet', 'deeplab-largefov', 'resnet50', 'voc-fcn8s-resnet50'])
  test(`fcn viz draws nets/${file}.fcn with every layer named`, (t) => vizNamesEveryLayer(t, file));

test("fcn viz of nets/unet.fcn: the label crop's path joins the image frame through the label input (offset 92)", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fcn-viz-unet-'));
  try {
    const out = join(dir, 'unet.json');
    await fcn('viz', 'nets/unet.fcn', '-o', out);
    const model = JSON.parse(await readFile(out, 'utf8'));
    const labelc = model.crops.find((c: { name: string }) => c.name === 'labelc');
    t.deepEqual([labelc.input, labelc.reference, labelc.ancestor, labelc.offset], ['label', 'score', 'data', [92, 92]]);
    const fromLabel = labelc.paths.find((p: { from: string }) => p.from === 'label');
    t.deepEqual(
      fromLabel.steps.map((s: { layer: string; map: unknown }) => [s.layer, s.map]),
      [
        [
          'label',
          [
            { a: 1, b: 0 },
            { a: 1, b: 0 },
          ],
        ],
      ],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
