/**
 * The nets past the paper take a training step on the backend the product picks (native where
 * the addon is built, else wasm), at small inputs the analysis accepts: exact output shapes, a
 * finite loss, every trainable weight moved, and ResNet's BatchNorm (Caffe's deploy form, global
 * statistics) and Scale (whose factor and shift fcn's `scale` freezes unless given an lr) left
 * exactly as they were. ResNet-50 alone has no loss: its forward pass is checked,
 * and it trains as the trunk of voc-fcn8s-resnet50. Then `fcn train`, `fcn eval` and
 * `fcn predict` end to end on U-Net tiles whose label is the image's size. Slow suite: U-Net's
 * step at 188x188 alone is 30 GFLOPs forward.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLabel } from '../src/data/labels.js';
import { Rng } from '../src/data/random.js';
import { selectBackend } from '../src/runtime/backend.js';
import { emitNet } from '../src/runtime/net.js';
import { readNpy } from '../src/runtime/npy.js';
import { Trainer } from '../src/runtime/train-step.js';
import { fcn } from './helpers/cli.js';
import { MINI_UNET } from './helpers/mini-unet.js';

let dir = '';
let backend = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fcn-modern-slow-'));
  await writeFile(join(dir, 'mini-unet.fcn'), MINI_UNET);
  backend = (await selectBackend()).chosen;
});

test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A seeded image batch of one [size, size] input with `channels`, and labels in [0, classes). */
function batch(size: number, channels: number, classes: number) {
  const rng = new Rng(21);
  const x = Float32Array.from({ length: size * size * channels }, () => 50 * rng.normal());
  const y = Int32Array.from({ length: size * size }, (_, i) => (i % 3 === 0 ? 255 : rng.int(classes)));
  return { input: tf.tensor4d(x, [1, size, size, channels]), label: tf.tensor3d(y, [1, size, size], 'int32') };
}

/** One training step of nets/FILE at SIZE: the score shape, a finite loss, which weights moved. */
function step(file: string, size: number, channels: number) {
  const { model, info } = emitNet(`nets/${file}`, { input: [size, size], seed: 2 });
  const classes = info.classes;
  const scoreShape = model.outputs[info.outputs.indexOf(info.losses[0]!.score)]!.shape;
  const trainable = new Set(info.params.filter((p) => p.lr > 0).map((p) => p.name));
  const read = () =>
    new Map(model.weights.map((w) => [w.originalName, w.read().dataSync().slice() as Float32Array] as const));
  const before = read();
  const trainer = new Trainer(model, info, { ...{ lr: 1e-6, momentum: 0.9, weightDecay: 5e-4 } });
  const { input, label } = batch(size, channels, classes);
  const loss = trainer.step({ inputs: { [info.inputs[0]!.name]: input }, labels: { [info.losses[0]!.label]: label } });
  const after = read();
  const moved = (name: string) => before.get(name)!.some((v, i) => v !== after.get(name)![i]);
  const result = {
    scoreShape,
    loss,
    trainable: [...trainable],
    still: [...trainable].filter((n) => !moved(n)),
    frozenMoved: [...before.keys()].filter((n) => !trainable.has(n) && moved(n)),
    frozen: [...before.keys()].filter((n) => !trainable.has(n)),
  };
  trainer.dispose();
  model.dispose();
  tf.dispose([input, label]);
  return result;
}

/** Nets whose every parameter learns: file, input side, channels, score shape, trainable weights (kernels and biases). */
const LEARNING: Array<[string, number, number, (number | null)[], number, string]> = [
  ['unet.fcn', 188, 1, [null, 4, 4, 2], 2 * 23, '2x4x4 scores against the label cut at 92'],
  ['deeplab-largefov.fcn', 97, 3, [null, 97, 97, 21], 2 * 16, '13x13 fc8 resized to 21x97x97'],
];

for (const [file, size, channels, shape, trainable, what] of LEARNING)
  test(`${file} trains a step at ${size}x${size}: ${what}`, (t) => {
    const r = step(file, size, channels);
    t.deepEqual(r.scoreShape, shape);
    t.true(Number.isFinite(r.loss), `loss ${r.loss} on ${backend}`);
    t.is(r.trainable.length, trainable);
    t.deepEqual(r.still, []);
    t.deepEqual(r.frozen, []);
  });

test("voc-fcn8s-resnet50.fcn trains a step at 64x64; ResNet's BatchNorm and Scale stay as they were", (t) => {
  const r = step('voc-fcn8s-resnet50.fcn', 64, 3);
  t.deepEqual(r.scoreShape, [null, 64, 64, 21]);
  t.true(Number.isFinite(r.loss), `loss ${r.loss} on ${backend}`);
  // The trunk's 53 convolutions (no bias) and the 3 score convolutions with biases learn.
  t.is(r.trainable.length, 53 + 2 * 3);
  t.deepEqual(r.still, []);
  // BatchNorm with global statistics (3 blobs) and Scale (factor and shift, fcn's default lr 0) stay, bit for bit.
  t.is(r.frozen.length, 3 * 53 + 2 * 53);
  t.deepEqual(r.frozenMoved, []);
});

test('resnet50.fcn, a trunk without a loss: its forward pass at 64x64 gives 2048x2x2 at res5c', (t) => {
  const { model, info } = emitNet('nets/resnet50.fcn', { input: [64, 64], seed: 2 });
  t.deepEqual(info.losses, []);
  const { input } = batch(64, 3, 1);
  const out = model.predict(input) as tf.Tensor;
  t.deepEqual(out.shape, [1, 2, 2, 2048]);
  const values = out.dataSync();
  t.true(values.every(Number.isFinite));
  t.true(values.some((v) => v > 0));
  t.throws(() => new Trainer(model, info, { lr: 1, momentum: 0, weightDecay: 0 }), { message: /no softmax_loss/ });
  tf.dispose([out, input]);
  model.dispose();
});

test('fcn train nets/unet.fcn --iters 1 on 188x188 tiles with labels of the same size', async (t) => {
  const data = join(dir, 'unet-tiles');
  const synth = await fcn('synth', '--out', data, '--count', '3', '--size', '188', '--classes', '2', '--seed', '1');
  t.is(synth.code, 0, synth.stderr);
  const run = join(dir, 'unet-run');
  const trained = await fcn('train', 'nets/unet.fcn', '--data', data, '--iters', '1', '--out', run);
  t.is(trained.code, 0, trained.stderr);
  const summary = JSON.parse(await readFile(join(run, 'summary.json'), 'utf8'));
  t.is(summary.iterations, 1);
  t.true(Number.isFinite(summary.final_loss));
  t.is(summary.eval.pixels, 4 * 4);
});

test('fcn train, eval and predict a U-Net on tiles whose label is the image size', async (t) => {
  const data = join(dir, 'tiles');
  const synth = await fcn('synth', '--out', data, '--count', '5', '--size', '36', '--classes', '2', '--seed', '4');
  t.is(synth.code, 0, synth.stderr);
  const run = join(dir, 'run');
  const trained = await fcn(
    'train',
    join(dir, 'mini-unet.fcn'),
    '--data',
    data,
    '--iters',
    '3',
    '--out',
    run,
    '--json',
  );
  t.is(trained.code, 0, trained.stderr);
  const summary = JSON.parse(await readFile(join(run, 'summary.json'), 'utf8'));
  t.is(summary.iterations, 3);
  t.true(Number.isFinite(summary.final_loss));
  t.is(summary.eval.pixels, 20 * 20, 'the val image is scored on the 20x20 window under the scores');

  // Predict every val image: the label PNG has the image's size, the scores sit at (8, 8), the border is void.
  const val = (await readFile(join(data, 'ImageSets/Segmentation/val.txt'), 'utf8')).trim().split('\n');
  t.is(val.length, 1);
  const id = val[0]!;
  const confusion = [
    [0, 0],
    [0, 0],
  ];
  for (const engine of ['tfjs', 'onnx']) {
    const out = join(dir, `${engine}.png`);
    const npy = join(dir, `${engine}.npy`);
    const predicted = await fcn(
      'predict',
      join(run, 'model'),
      join(data, 'JPEGImages', `${id}.png`),
      '-o',
      out,
      '--scores',
      npy,
      '--engine',
      engine,
    );
    t.is(predicted.code, 0, predicted.stderr);
    const labels = await readLabel(out);
    const scores = await readNpy(npy);
    t.deepEqual([labels.height, labels.width], [36, 36]);
    t.deepEqual(scores.shape, [2, 20, 20]);
    const truth = await readLabel(join(data, 'SegmentationClass', `${id}.png`));
    for (let y = 0; y < 36; y++)
      for (let x = 0; x < 36; x++) {
        const got = labels.data[y * 36 + x]!;
        const inside = y >= 8 && y < 28 && x >= 8 && x < 28;
        if (!inside) {
          if (got !== 255) return t.fail(`${engine}: pixel (${y}, ${x}) outside the scores is ${got}, not void`);
          continue;
        }
        const p = (y - 8) * 20 + (x - 8);
        const argmax = scores.data[p]! >= scores.data[400 + p]! ? 0 : 1;
        if (got !== argmax) return t.fail(`${engine}: pixel (${y}, ${x}) is ${got}, its scores' argmax ${argmax}`);
        if (engine === 'tfjs' && truth.data[y * 36 + x]! < 2) confusion[truth.data[y * 36 + x]!]![got]!++;
      }
  }
  // eval scores the same pixels: the label's window at (8, 8) against the scores, with either engine.
  for (const engine of ['tfjs', 'onnx']) {
    const scored = await fcn('eval', run, '--data', data, '--json', '--engine', engine);
    t.is(scored.code, 0, scored.stderr);
    t.deepEqual(JSON.parse(scored.stdout).confusion, confusion, engine);
  }
  t.is(
    confusion.flat().reduce((a, b) => a + b, 0),
    400,
  );
  // --tile runs U-Net's overlap-tile: 2x2 tiles of 36 whose 20x20 scores partition the image (mirrored past its
  // edges), every pixel labelled. Tile windows start at -8 and 12, on the net's 2-pixel grid as the whole run's
  // 0 is, so where a pixel's 17-pixel field lies in the image (rows and columns 8–27) its scores are the whole run's.
  const tiledPng = join(dir, 'tiled.png');
  const tiledNpy = join(dir, 'tiled.npy');
  const image = join(data, 'JPEGImages', `${id}.png`);
  const tiled = await fcn(
    'predict',
    join(run, 'model'),
    image,
    '-o',
    tiledPng,
    '--scores',
    tiledNpy,
    '--tile',
    '36',
    '--engine',
    'tfjs',
  );
  t.is(tiled.code, 0, tiled.stderr);
  const tiledLabels = await readLabel(tiledPng);
  t.deepEqual([tiledLabels.height, tiledLabels.width], [36, 36]);
  t.false(tiledLabels.data.includes(255));
  const tiledScores = await readNpy(tiledNpy);
  t.deepEqual(tiledScores.shape, [2, 36, 36]);
  const whole = await readNpy(join(dir, 'tfjs.npy'));
  let diff = 0;
  for (let k = 0; k < 2; k++)
    for (let y = 8; y < 28; y++)
      for (let x = 8; x < 28; x++)
        diff = Math.max(
          diff,
          Math.abs(tiledScores.data[(k * 36 + y) * 36 + x]! - whole.data[(k * 20 + y - 8) * 20 + x - 8]!),
        );
  t.true(diff <= 1e-5, `${diff}`);
});
