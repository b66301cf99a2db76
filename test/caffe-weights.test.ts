import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Rng } from '../src/data/random.js';
import { loadModel } from '../src/runtime/model-io.js';
import { decodeNpy, encodeNpy } from '../src/runtime/npy.js';
import { selectBackend } from '../src/runtime/backend.js';
import { encodeCaffemodel, randomBlob, type ModelLayerSpec } from './helpers/caffemodel.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fcn-caffe-weights-'));
const fcn = (...args: string[]) => run('node', ['bin/fcn.js', ...args]);

/** A failed CLI run: its exit code and stderr. */
async function fails(t: import('ava').ExecutionContext, ...args: string[]) {
  const e = (await t.throwsAsync(fcn(...args))) as unknown as { code: number; stderr: string };
  t.notRegex(e.stderr, /\n\s+at /, 'no stack trace');
  return e;
}

/** Every weight of a model directory by name (tfjs layout). */
function weightsOf(model: string): Map<string, { shape: number[]; data: Float32Array }> {
  const json = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as {
    weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[] }> }>;
  };
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const g of json.weightsManifest) {
    const bytes = readFileSync(join(model, g.paths[0]!));
    let offset = 0;
    for (const w of g.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + 4 * n));
      out.set(w.name, { shape: w.shape, data });
      offset += 4 * n;
    }
  }
  return out;
}

/** Caffe (A, B, C, D) → [C, D, B, A], by loops, as the tests' own reading of the layouts. */
function caffeToTfjs(data: Float32Array, [A, B, C, D]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let a = 0; a < A!; a++)
    for (let b = 0; b < B!; b++)
      for (let c = 0; c < C!; c++)
        for (let d = 0; d < D!; d++) out[((c * D! + d) * B! + b) * A! + a] = data[((a * B! + b) * C! + c) * D! + d]!;
  return out;
}

function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

// AlexNet-style: a grouped convolution (group 2), then ceil pooling and a deconvolution, cropped back.
const TINY = `net tiny {
  input data { channels: 4  order: bgr }
  conv1: conv { out: 6  kernel: 3  pad: 1  group: 2 }
  relu1: relu
  pool1: pool { kernel: 2  stride: 2 }
  up: deconv { out: 5  kernel: 4  stride: 2 }
  score: crop { like: data }
}
`;
const rng = new Rng(5, 0);
const conv1 = [randomBlob([6, 2, 3, 3], rng), randomBlob([6], rng)];
const up = [randomBlob([6, 5, 4, 4], rng), randomBlob([5], rng)];
const TINY_LAYERS: ModelLayerSpec[] = [
  { name: 'conv1', type: 'Convolution', blobs: conv1 },
  { name: 'relu1', type: 'ReLU', blobs: [] },
  { name: 'up', type: 'Deconvolution', blobs: up },
  { name: 'fc8', type: 'InnerProduct', blobs: [randomBlob([3, 7], rng)] },
];
const tinyNet = join(dir, 'tiny.fcn');
const tinyModel = join(dir, 'tiny.caffemodel');
const tinyV1 = join(dir, 'tiny-v1.caffemodel');
writeFileSync(tinyNet, TINY);
writeFileSync(tinyModel, encodeCaffemodel(TINY_LAYERS));
writeFileSync(tinyV1, encodeCaffemodel(TINY_LAYERS, 'layers'));

test.before(async () => {
  tf.enableProdMode();
  await selectBackend('cpu');
});

test('import-weights, then predict, equals a direct tfjs computation with the same weights (grouped conv, deconv)', async (t) => {
  const out = join(dir, 'tiny-model');
  const { stdout } = await fcn('import-weights', tinyModel, '--net', tinyNet, '-o', out, '--json');
  const report = JSON.parse(stdout) as Record<string, unknown>;
  t.deepEqual(
    (report['copied'] as Array<{ layer: string; from: string }>).map((r) => [r.layer, r.from]),
    [
      ['conv1', 'conv1'],
      ['up', 'up'],
    ],
  );
  t.deepEqual(report['unexpected'], ['fc8 (InnerProduct, (3, 7))']);
  const x = randomBlob([4, 8, 10], new Rng(9, 0), 10);
  const input = join(dir, 'x.npy');
  const scoresFile = join(dir, 'scores.npy');
  writeFileSync(input, encodeNpy(x.data, x.shape));
  await fcn('predict', out, input, '--scores', scoresFile, '-o', join(dir, 'x.png'));
  const scores = decodeNpy(readFileSync(scoresFile));
  t.deepEqual(scores.shape, [5, 8, 10]);

  const expected = tf.tidy(() => {
    const nhwc = tf.tensor3d(x.data, [4, 8, 10]).transpose([1, 2, 0]).expandDims(0) as tf.Tensor4D;
    const groups = [0, 1].map((g) => {
      const w = conv1[0]!.data.slice(g * 3 * 18, (g + 1) * 3 * 18);
      const f = tf.tensor4d(caffeToTfjs(w, [3, 2, 3, 3]), [3, 3, 2, 3]);
      const xg = nhwc.slice([0, 0, 0, 2 * g], [1, 8, 10, 2]);
      return tf.conv2d(xg, f, 1, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
    });
    const c = tf.relu(tf.concat(groups, 3).add(tf.tensor1d(conv1[1]!.data)));
    const p = tf.maxPool(c as tf.Tensor4D, 2, 2, 'valid');
    const f = tf.tensor4d(caffeToTfjs(up[0]!.data, [6, 5, 4, 4]), [4, 4, 5, 6]);
    const u = tf.conv2dTranspose(p, f, [1, 10, 12, 5], 2, 'valid').add(tf.tensor1d(up[1]!.data));
    // data = up − 1 along each axis (conv k3 p1, pool 2/2, deconv k4 s2): the crop offset is 1.
    return u.slice([0, 1, 1, 0], [1, 8, 10, 5]).squeeze([0]).transpose([2, 0, 1]).dataSync() as Float32Array;
  });
  t.true(maxRelError(scores.data, expected) < 1e-5, String(maxRelError(scores.data, expected)));
});

test('a V1 caffemodel (layers, enum types, 4-D legacy blobs) gives the same weights as the current form', async (t) => {
  const a = join(dir, 'cur');
  const b = join(dir, 'v1');
  await fcn('import-weights', tinyModel, '--net', tinyNet, '-o', a);
  await fcn('import-weights', tinyV1, '--net', tinyNet, '-o', b);
  t.deepEqual(readFileSync(join(b, 'weights.bin')), readFileSync(join(a, 'weights.bin')));
  t.deepEqual([...weightsOf(a).get('conv1/kernel')!.data], [...caffeToTfjs(conv1[0]!.data, [6, 2, 3, 3])]);
});

// The source is V1 with legacy 4-D blobs, as the 2014 VGG16 ILSVRC model: an inner product is 1 × 1 × out × in.
test('transplant casts fc6 into a 7×7 conv and fc7 into a 1×1, drops fc8, and initialises the rest as the net says', async (t) => {
  const r = new Rng(7, 0);
  const fc6 = [randomBlob([5, 4 * 7 * 7], r, 0.1), randomBlob([5], r)];
  const fc7 = [randomBlob([6, 5], r), randomBlob([6], r)];
  const source = join(dir, 'classifier.caffemodel');
  writeFileSync(
    source,
    encodeCaffemodel(
      [
        { name: 'fc6', type: 'InnerProduct', blobs: fc6 },
        { name: 'fc7', type: 'InnerProduct', blobs: fc7 },
        { name: 'fc8', type: 'InnerProduct', blobs: [randomBlob([10, 6], r), randomBlob([10], r)] },
      ],
      'layers',
    ),
  );
  const net = join(dir, 'surgery.fcn');
  writeFileSync(
    net,
    `block trunk() {
  fc6: conv { out: 5  kernel: 7 }
  fc7: conv { out: 6  kernel: 1 }
}
net surgery {
  input data { channels: 4  order: bgr }
  vgg: trunk
  fc8: conv { out: 3  kernel: 1 }
  up: deconv { out: 3  kernel: 4  stride: 2  bias: false  init: bilinear }
}
`,
  );
  const out = join(dir, 'surgery-model');
  const { stdout } = await fcn('transplant', source, net, '-o', out, '--json');
  const report = JSON.parse(stdout) as Record<
    string,
    Array<{ layer: string; from?: string; bySuffix?: boolean; detail: string }>
  >;
  t.deepEqual(
    report['reshaped']!.map((x) => [x.layer, x.from, x.bySuffix, x.detail]),
    [
      [
        'vgg.fc6',
        'fc6',
        true,
        'inner product (1, 1, 5, 196) + (1, 1, 1, 5) reshaped to the convolution (5, 4, 7, 7) + (5)',
      ],
      [
        'vgg.fc7',
        'fc7',
        true,
        'inner product (1, 1, 6, 5) + (1, 1, 1, 6) reshaped to the convolution (6, 5, 1, 1) + (6)',
      ],
    ],
  );
  t.deepEqual(
    report['dropped']!.map((x) => [x.layer, x.detail]),
    [
      [
        'fc8',
        'the source has (1, 1, 10, 6) + (1, 1, 1, 10), the net needs (3, 6, 1, 1) + (3); initialised as the net says',
      ],
    ],
  );
  t.deepEqual(
    report['missing']!.map((x) => [x.layer, x.detail]),
    [['up', 'initialised as the net says: bilinear']],
  );
  // fc6 holds exactly the inner product's weights, reshaped (out, c·h·w) → (out, c, h, w) → tfjs [h, w, c, out].
  const w = weightsOf(out);
  t.deepEqual([...w.get('vgg.fc6/kernel')!.data], [...caffeToTfjs(fc6[0]!.data, [5, 4, 7, 7])]);
  t.deepEqual([...w.get('vgg.fc7/bias')!.data], [...fc7[1]!.data]);

  // Numerically: the convolutions on a 7×7 input give the inner products' outputs.
  const { model } = await loadModel(out);
  const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer('vgg.fc7').output as tf.SymbolicTensor });
  const x = randomBlob([4, 7, 7], new Rng(3, 0));
  const got = tf.tidy(
    () =>
      (
        probe.predict(tf.tensor3d(x.data, [4, 7, 7]).transpose([1, 2, 0]).expandDims(0)) as tf.Tensor
      ).dataSync() as Float32Array,
  );
  const y6 = Array.from(
    { length: 5 },
    (_, o) => fc6[1]!.data[o]! + x.data.reduce((s, v, i) => s + fc6[0]!.data[o * 196 + i]! * v, 0),
  );
  const y7 = Array.from(
    { length: 6 },
    (_, o) => fc7[1]!.data[o]! + y6.reduce((s, v, i) => s + fc7[0]!.data[o * 5 + i]! * v, 0),
  );
  t.true(maxRelError(got, y7) < 1e-5, String(maxRelError(got, y7)));
  model.dispose();
});

test("BatchNorm statistics are divided by Caffe's scale factor", async (t) => {
  const net = join(dir, 'bn.fcn');
  writeFileSync(net, 'net bn {\n  input data { channels: 2  order: bgr }\n  bn1: batch_norm\n}\n');
  const source = join(dir, 'bn.caffemodel');
  const blob = (shape: number[], values: number[]) => ({ shape, data: Float32Array.from(values) });
  writeFileSync(
    source,
    encodeCaffemodel([
      { name: 'bn1', type: 'BatchNorm', blobs: [blob([2], [4, 6]), blob([2], [8, 10]), blob([1], [2])] },
    ]),
  );
  const out = join(dir, 'bn-model');
  await fcn('import-weights', source, '--net', net, '-o', out);
  const w = weightsOf(out);
  t.deepEqual([...w.get('bn1/moving_mean')!.data], [2, 3]);
  t.deepEqual([...w.get('bn1/moving_variance')!.data], [4, 5]);
});

test('a truncated caffemodel is an error that says so', async (t) => {
  const cut = join(dir, 'cut.caffemodel');
  const bytes = readFileSync(tinyModel);
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const e = await fails(t, 'import-weights', cut, '--net', tinyNet, '-o', join(dir, 'cut-model'));
  t.is(e.code, 1);
  t.regex(
    e.stderr,
    /^fcn: .*cut\.caffemodel: truncated caffemodel: the file ends \(at \d+ bytes\) inside (layer|blob)/,
  );
});

test('a shape disagreement names the layer and both shapes', async (t) => {
  const wrong = join(dir, 'ungrouped.caffemodel');
  const r = new Rng(2, 0);
  writeFileSync(
    wrong,
    encodeCaffemodel([
      { name: 'conv1', type: 'Convolution', blobs: [randomBlob([6, 4, 3, 3], r), randomBlob([6], r)] },
    ]),
  );
  const e = await fails(t, 'import-weights', wrong, '--net', tinyNet, '-o', join(dir, 'wrong-model'));
  t.is(e.code, 1);
  t.is(
    e.stderr,
    `fcn: ${wrong} does not fit ${tinyNet}: 1 shape disagreement\n` +
      '  conv1 ← conv1: the source has (6, 4, 3, 3) + (6), the net needs (6, 2, 3, 3) + (6)\n',
  );
});

test('an inner product where the net has a convolution points to fcn transplant', async (t) => {
  const fcModel = join(dir, 'fc.caffemodel');
  const r = new Rng(4, 0);
  writeFileSync(
    fcModel,
    encodeCaffemodel([{ name: 'conv1', type: 'InnerProduct', blobs: [randomBlob([6, 18], r), randomBlob([6], r)] }]),
  );
  const e = await fails(t, 'import-weights', fcModel, '--net', tinyNet, '-o', join(dir, 'fc-model'));
  t.regex(e.stderr, /an inner product where the net has a convolution\? `fcn transplant` reshapes it/);
});

test('a caffemodel of another net is refused', async (t) => {
  const other = join(dir, 'other.caffemodel');
  const r = new Rng(6, 0);
  writeFileSync(
    other,
    encodeCaffemodel([
      { name: 'enc1', type: 'Convolution', blobs: [randomBlob([2, 1, 1, 1], r)] },
      { name: 'enc2', type: 'Convolution', blobs: [randomBlob([2, 2, 1, 1], r)] },
    ]),
  );
  const e = await fails(t, 'import-weights', other, '--net', tinyNet, '-o', join(dir, 'other-model'));
  t.is(e.code, 1);
  t.is(
    e.stderr,
    `fcn: ${other} fills no layer of net tiny: none of its 2 layers with parameters (enc1, enc2) is named like one of the net's. Is it the model of another net?\n`,
  );
});

test('a file that is not a caffemodel, a missing file, and an output that is not a model directory are errors', async (t) => {
  const text = join(dir, 'notes.caffemodel');
  writeFileSync(text, 'these are my notes\n');
  const e1 = await fails(t, 'import-weights', text, '--net', tinyNet, '-o', join(dir, 'n-model'));
  t.regex(e1.stderr, /^fcn: .*notes\.caffemodel: (not a caffemodel|truncated caffemodel)/);
  const e2 = await fails(
    t,
    'import-weights',
    join(dir, 'absent.caffemodel'),
    '--net',
    tinyNet,
    '-o',
    join(dir, 'a-model'),
  );
  t.is(e2.stderr, `fcn: cannot read '${join(dir, 'absent.caffemodel')}': no such file\n`);
  const precious = join(dir, 'precious');
  mkdirSync(precious);
  writeFileSync(join(precious, 'thesis.tex'), 'x');
  const e3 = await fails(t, 'import-weights', tinyModel, '--net', tinyNet, '-o', precious);
  t.is(e3.stderr, `fcn: ${precious} exists and is not an fcn model directory: not replacing it (choose another -o)\n`);
  t.is(readFileSync(join(precious, 'thesis.tex'), 'utf8'), 'x');
});

test('import-weights and transplant have --help', async (t) => {
  t.regex((await fcn('import-weights', '--help')).stdout, /--net <file>/);
  t.regex((await fcn('transplant', '--help')).stdout, /net surgery/);
});
