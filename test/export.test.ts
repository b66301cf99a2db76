// Runs the built CLI (bin/fcn.js → dist/): build first (`npm test` does).
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeNpz } from '../src/emit/pytorch/npz.js';
import { readNpy } from '../src/runtime/npy.js';
import { fcn } from './helpers/cli.js';
import { fcnOk, maxDiff, roundTrip, runOnnx, runPytorch, writeInput } from './helpers/export.js';

const exec = promisify(execFile);
const EVERY = 'test/fixtures/export/every-layer.fcn';
let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fcn-export-'));
});

// What a training leaves in batch norm and scale: Caffe's running sums and their factor, a shift.
const TRAINED = {
  'b1/moving_mean': [1.5, -2, 0.25, 3, -1, 0.5],
  'b1/moving_variance': [4, 0.5, 9, 2.5, 1, 6],
  'b1/factor': [2.5],
  'k1/bias': [0.5, -1, 2, 0, -0.25, 1.5],
  'pr/alpha': [0.1, -0.3, 0.7, 1.5, 0, 0.25],
};

// c1 is 19 rows high: the padded 2x2/2 pools keep a last window hanging past the input.
test('every layer type: ONNX Runtime and PyTorch equal fcn predict (odd sizes)', async (t) => {
  await roundTrip(t, dir, EVERY, 'every_layer', 4, 19, 23, TRAINED);
});

// c1 is 20 rows high: Caffe drops the last window of the padded pools, which starts in the padding.
test('every layer type: ONNX Runtime and PyTorch equal fcn predict (even sizes)', async (t) => {
  const scores = await roundTrip(t, dir, EVERY, 'every_layer', 4, 20, 24, TRAINED);
  t.deepEqual(scores.shape, [3, 20, 9]);
});

// A factor of 0 (a net that never trained): Caffe normalises with statistics of 0.
test('every layer type with a batch norm factor of 0: ONNX Runtime and PyTorch equal fcn predict', async (t) => {
  await roundTrip(t, dir, EVERY, 'every_layer', 4, 13, 17, { ...TRAINED, 'b1/factor': [0] });
});

test('global max and average pooling: ONNX Runtime and PyTorch equal fcn predict', async (t) => {
  const scores = await roundTrip(t, dir, EVERY, 'global_pools', 3, 11, 8);
  t.deepEqual(scores.shape, [3, 1, 1]);
});

test('inner products on a fixed-size input: ONNX Runtime and PyTorch equal fcn predict', async (t) => {
  await roundTrip(t, dir, EVERY, 'fc_head', 3, 9, 7);
});

test.serial('tiny-fcn8s at two sizes from one ONNX file (dynamic height and width)', async (t) => {
  await roundTrip(t, dir, 'nets/tiny-fcn8s.fcn', 'tiny_fcn8s', 3, 64, 64);
  const d = join(dir, 'tiny_fcn8s-64x64');
  const other = join(dir, 'tiny-90x60.npy');
  await writeInput(other, 3, 90, 60);
  await fcnOk(
    'predict',
    '--engine',
    'tfjs',
    `${d}.model`,
    other,
    '-o',
    join(dir, 'tiny-90x60.png'),
    '--scores',
    join(dir, 'tiny-90x60.s.npy'),
  );
  const scores = await readNpy(join(dir, 'tiny-90x60.s.npy'));
  const onnx = await runOnnx(`${d}.onnx`, other);
  t.deepEqual(onnx.dims, [1, 4, 90, 60]);
  t.true(maxDiff(onnx.data, scores.data) <= 1e-4);
});

test.serial('a .fcn file exports with the weights fcn compile gives the same seed', async (t) => {
  const d = join(dir, 'tiny_fcn8s-64x64');
  await fcnOk('export', 'nets/tiny-fcn8s.fcn', '--seed', '5', '--format', 'onnx', '-o', join(dir, 'fresh.onnx'));
  const scores = await readNpy(`${d}.scores.npy`);
  const onnx = await runOnnx(join(dir, 'fresh.onnx'), `${d}.npy`);
  t.true(maxDiff(onnx.data, scores.data) <= 1e-4);
});

test('export refuses an output it did not write, and a wrong format', async (t) => {
  const mine = join(dir, 'mine.onnx');
  await writeFile(mine, 'precious');
  const r = await fcn('export', 'nets/tiny-fcn8s.fcn', '--format', 'onnx', '-o', mine);
  t.is(r.code, 1);
  t.is(r.stderr, `fcn: ${mine} exists and is not an ONNX model fcn wrote; pass --force to replace it\n`);
  t.is(await readFile(mine, 'utf8'), 'precious');
  const bad = await fcn('export', 'nets/tiny-fcn8s.fcn', '--format', 'tflite', '-o', join(dir, 'x'));
  t.is(bad.code, 2);
  t.is(bad.stderr, "fcn: --format must be onnx or pytorch, got 'tflite'\n");
  // Exporting again over fcn's own file is allowed.
  await fcnOk('export', 'nets/tiny-fcn8s.fcn', '--format', 'onnx', '-o', join(dir, 'again.onnx'));
  await fcnOk('export', 'nets/tiny-fcn8s.fcn', '--format', 'onnx', '-o', join(dir, 'again.onnx'));
  t.pass();
});

test('torchrun with 2 processes trains tiny-fcn8s on fcn synth data with the gradients of one process, and fcn loads the checkpoint back', async (t) => {
  const data = join(dir, 'synth');
  await fcnOk('synth', '--out', data, '--count', '10', '--size', '64', '--seed', '1');
  const pkg = join(dir, 'tiny.pt');
  await fcnOk('export', 'nets/tiny-fcn8s.fcn', '--seed', '2', '--format', 'pytorch', '-o', pkg);
  const train = ['--data', data, '--iters', '3', '--batch', '4', '--no-shuffle'];
  const two = await exec(
    'nice',
    [
      '-n',
      '19',
      '/usr/bin/python3',
      '-m',
      'torch.distributed.run',
      '--nproc_per_node',
      '2',
      '--master_port',
      '29531',
      // Debian's torch 1.13 on Python 3.13 cannot parse the default --redirects/--tee of 0.
      '--redirects',
      '2',
      '--tee',
      '1',
      join(pkg, 'train.py'),
      ...train,
      '--out',
      join(dir, 'run2'),
      '--dump-grads',
      join(dir, 'g2.npz'),
    ],
    { env: { ...process.env, OMP_NUM_THREADS: '1' } },
  );
  const one = await exec('nice', [
    '-n',
    '19',
    '/usr/bin/python3',
    join(pkg, 'train.py'),
    ...train,
    '--out',
    join(dir, 'run1'),
    '--dump-grads',
    join(dir, 'g1.npz'),
  ]);
  const losses = (s: string) => [...s.matchAll(/step \d+\/3 loss (\S+)/g)].map((m) => Number(m[1]));
  t.is(losses(two.stdout).length, 3);
  t.deepEqual(losses(two.stdout), losses(one.stdout));
  const g1 = decodeNpz(await readFile(join(dir, 'g1.npz')), 'g1');
  const g2 = decodeNpz(await readFile(join(dir, 'g2.npz')), 'g2');
  t.deepEqual([...g2.keys()].sort(), [...g1.keys()].sort());
  t.true(g1.size >= 16);
  for (const [key, a] of g1) {
    const scale = Math.max(...a.data.map(Math.abs));
    t.true(scale > 0, `${key} has no gradient`);
    t.true(maxDiff(a.data, g2.get(key)!.data) <= 1e-5 * scale, `${key}: the 2-process gradient differs`);
  }
  // Back into fcn: the checkpoint's scores in fcn equal PyTorch's.
  const ckpt = join(dir, 'run2', 'iter_3.npz');
  await fcnOk('import-weights', ckpt, '--net', 'nets/tiny-fcn8s.fcn', '-o', join(dir, 'back'));
  const input = join(dir, 'back.npy');
  await writeInput(input, 3, 64, 64);
  await fcnOk(
    'predict',
    '--engine',
    'tfjs',
    join(dir, 'back'),
    input,
    '-o',
    join(dir, 'back.png'),
    '--scores',
    join(dir, 'back.s.npy'),
  );
  const scores = await readNpy(join(dir, 'back.s.npy'));
  const torch = await runPytorch(pkg, input, join(dir, 'back.torch.npy'), ckpt);
  t.true(maxDiff(torch.data, scores.data) <= 1e-4);
  const initial = await runPytorch(pkg, input, join(dir, 'init.torch.npy'));
  t.true(maxDiff(initial.data, scores.data) > 1e-3, 'training changed nothing');
});

test.serial(
  'fcn predict and fcn eval --engine onnx agree with the tfjs engine, and the export is cached in the model',
  async (t) => {
    const d = join(dir, 'tiny_fcn8s-64x64');
    const out = join(dir, 'onnx-engine.s.npy');
    const r = await fcn(
      'predict',
      '--engine',
      'onnx',
      '-v',
      `${d}.model`,
      `${d}.npy`,
      '-o',
      join(dir, 'e.png'),
      '--scores',
      out,
    );
    t.is(r.code, 0, r.stderr);
    t.regex(r.stderr, /engine: onnx \(onnxruntime-node, export cached in .*\.v000001\/model\.onnx\)/);
    const tfjs = await readNpy(`${d}.scores.npy`);
    t.true(maxDiff((await readNpy(out)).data, tfjs.data) <= 1e-4);
    const again = await fcn('predict', '--engine', 'onnx', '-v', `${d}.model`, `${d}.npy`, '-o', join(dir, 'e.png'));
    t.regex(again.stderr, /export cached in/);
    const data = join(dir, 'synth-eval');
    await fcnOk('synth', '--out', data, '--count', '6', '--size', '64', '--seed', '3');
    const viaOnnx = await fcnOk('eval', `${d}.model`, '--data', data, '--split', 'val', '--engine', 'onnx', '--json');
    const viaTfjs = await fcnOk('eval', `${d}.model`, '--data', data, '--split', 'val', '--engine', 'tfjs', '--json');
    t.deepEqual(JSON.parse(viaOnnx), JSON.parse(viaTfjs));
    const bad = await fcn('predict', '--engine', 'tensorrt', `${d}.model`, `${d}.npy`);
    t.is(bad.code, 2);
    t.is(bad.stderr, "fcn: --engine must be tfjs or onnx, got 'tensorrt'\n");
    // --tile runs tile by tile on the ONNX engine too: one tile is the whole image.
    const tiled = join(dir, 'onnx-tiled.s.npy');
    await fcnOk(
      'predict',
      '--engine',
      'onnx',
      `${d}.model`,
      `${d}.npy`,
      '-o',
      join(dir, 'et.png'),
      '--scores',
      tiled,
      '--tile',
      '300',
    );
    t.true(maxDiff((await readNpy(tiled)).data, tfjs.data) <= 1e-4);
  },
);
