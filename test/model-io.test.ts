/**
 * Model directories: save → load gives the same graph, weights and predictions, with fcn.json
 * intact; a plain tfjs reader loads them by path; saving again adds a version and keeps what fcn
 * did not write; bad directories (a weights file of the wrong size, a manifest that does not fit
 * the net) are user errors that name the file and the layer. Also the .npy reader/writer.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../src/compiler/analysis/index.js';
import { UserError } from '../src/diagnostics/index.js';
import { emitModel } from '../src/runtime/emit.js';
import { loadModel, saveModel } from '../src/runtime/model-io.js';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../src/runtime/npy.js';
import { Rng } from '../src/data/random.js';
import { toyFcn } from './helpers/toy-fcn.js';
import { randn, useWasm } from './helpers/tf.js';

let dir: string;

test.before(async () => {
  await useWasm();
  dir = mkdtempSync(join(tmpdir(), 'fcn-model-io-'));
});

test.after.always(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('a saved model loads back with the same layers, weights, predictions and info', async (t) => {
  const ir = toyFcn();
  const { model, info } = emitModel(ir, { offsets: analyze(ir).crops.offsets, seed: 5 });
  const out = join(dir, 'toy');
  await saveModel(out, model, info);
  t.deepEqual(readdirSync(out).sort(), ['.current', '.v000001', 'fcn.json', 'model.json', 'weights.bin']);
  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  t.is(json.format, 'layers-model');
  t.deepEqual(json.weightsManifest[0].paths, ['./weights.bin']);

  // What tfjs-node's file:// handler does: model.json and the manifest's paths, read by path.
  const weightData = new Uint8Array(readFileSync(join(out, 'weights.bin'))).buffer;
  const plain = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }),
  );
  t.is(plain.countParams(), model.countParams());
  plain.dispose();

  const loaded = await loadModel(out);
  t.deepEqual(loaded.info, JSON.parse(JSON.stringify(info)));
  t.deepEqual(
    loaded.model.layers.map((l) => [l.name, l.getClassName()]),
    model.layers.map((l) => [l.name, l.getClassName()]),
  );
  const a = model.getWeights();
  const b = loaded.model.getWeights();
  t.is(a.length, b.length);
  a.forEach((w, i) => t.deepEqual(b[i]!.dataSync(), w.dataSync(), model.weights[i]!.originalName));
  const x = randn([1, 21, 19, 3], new Rng(2));
  t.deepEqual((loaded.model.predict(x) as tf.Tensor).dataSync(), (model.predict(x) as tf.Tensor).dataSync());
  loaded.model.dispose();
  model.dispose();
});

test('saving again adds a version, keeps the one before, and leaves files fcn did not write', async (t) => {
  const ir = toyFcn();
  const out = join(dir, 'again');
  const first = emitModel(ir, { offsets: analyze(ir).crops.offsets, seed: 1 });
  await saveModel(out, first.model, first.info);
  writeFileSync(join(out, 'stray.txt'), 'notes of the user');
  const second = emitModel(ir, { offsets: analyze(ir).crops.offsets, seed: 2 });
  await saveModel(out, second.model, second.info);
  t.deepEqual(readdirSync(out).sort(), [
    '.current',
    '.v000001',
    '.v000002',
    'fcn.json',
    'model.json',
    'stray.txt',
    'weights.bin',
  ]);
  t.is(readlinkSync(join(out, '.current')), '.v000002');
  t.is(readFileSync(join(out, 'stray.txt'), 'utf8'), 'notes of the user');
  t.is((await loadModel(out)).info.seed, 2);
  t.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('.')),
    [],
    'no temporary directories left',
  );
  first.model.dispose();
  second.model.dispose();
});

/** A saved toy model in a fresh directory, and its manifest's weights with their byte offsets. */
async function savedToy(name: string) {
  const ir = toyFcn();
  const { model, info } = emitModel(ir, { offsets: analyze(ir).crops.offsets, seed: 3 });
  const out = join(dir, name);
  await saveModel(out, model, info);
  model.dispose();
  const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
  const weights = json.weightsManifest[0].weights as Array<{ name: string; shape: number[] }>;
  let offset = 0;
  const at = weights.map((w) => {
    const start = offset;
    offset += 4 * w.shape.reduce((a, b) => a * b, 1);
    return { ...w, start };
  });
  return { out, json, weights: at, total: offset };
}

test('a truncated weights.bin names the file, both sizes and the first weight past its end', async (t) => {
  const { out, weights, total } = await savedToy('truncated');
  const cut = weights.find((w) => w.name === 'fc3/kernel')!.start + 10;
  const bin = join(out, 'weights.bin');
  writeFileSync(bin, readFileSync(bin).subarray(0, cut));
  const err = await t.throwsAsync(loadModel(out), { instanceOf: UserError });
  t.is(
    err!.message,
    `${bin}: truncated: ${cut} bytes where model.json's manifest needs ${total}; ` +
      'the first weight past its end is fc3/kernel (layer fc3)',
  );
});

test('a weights.bin with extra bytes is refused, saying how many', async (t) => {
  const { out, total } = await savedToy('extra');
  const bin = join(out, 'weights.bin');
  writeFileSync(bin, Buffer.concat([readFileSync(bin), Buffer.alloc(12)]));
  const err = await t.throwsAsync(loadModel(out), { instanceOf: UserError });
  t.is(
    err!.message,
    `${bin}: ${total + 12} bytes where model.json's manifest needs ${total}: 12 extra bytes ` +
      '(is it the weights file of this model.json?)',
  );
});

test("a manifest weight that does not fit the net's topology names the layer", async (t) => {
  const { out, json } = await savedToy('mismatch');
  const manifest = json.weightsManifest[0].weights as Array<{ name: string; shape: number[] }>;
  const kernel = manifest.find((w) => w.name === 'conv2/kernel')!;
  t.deepEqual(kernel.shape, [3, 3, 4, 8]);
  kernel.shape = [3, 3, 8, 4]; // as many bytes, another shape
  writeFileSync(join(out, 'model.json'), JSON.stringify(json));
  const shape = await t.throwsAsync(loadModel(out), { instanceOf: UserError });
  t.is(
    shape!.message,
    `${join(out, 'model.json')}: layer conv2: the manifest's conv2/kernel is [3, 3, 8, 4], the layer needs [3, 3, 4, 8]`,
  );
  kernel.shape = [3, 3, 4, 8];
  kernel.name = 'conv9/kernel';
  writeFileSync(join(out, 'model.json'), JSON.stringify(json));
  const missing = await t.throwsAsync(loadModel(out), { instanceOf: UserError });
  t.is(
    missing!.message,
    `${join(out, 'model.json')}: layer conv2 needs a weight conv2/kernel [3, 3, 4, 8], which the manifest does not list`,
  );
});

test('loading a directory without a model is a user error naming the file', async (t) => {
  const err = await t.throwsAsync(loadModel(join(dir, 'nope')), { instanceOf: UserError });
  t.regex(err!.message, /nope\/model\.json: cannot read the model .*no such file/);
});

test('.npy round trip: float32, C order, 64-byte aligned header', async (t) => {
  const data = Float32Array.from([1.5, -2, 3.25, 0, 1e-30, -7]);
  const bytes = encodeNpy(data, [3, 1, 2]);
  t.is(bytes.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  const headerLen = bytes.readUInt16LE(8);
  t.is((10 + headerLen) % 64, 0);
  t.regex(
    bytes.subarray(10, 10 + headerLen).toString('latin1'),
    /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 1, 2\), \} *\n$/,
  );
  t.deepEqual(decodeNpy(bytes), { shape: [3, 1, 2], data });
  const file = join(dir, 'a.npy');
  await writeNpy(file, data, [6]);
  t.deepEqual(await readNpy(file), { shape: [6], data });
});

test('.npy reader converts other dtypes and refuses Fortran order and big-endian data', (t) => {
  const make = (descr: string, shape: string, body: Buffer, fortran = false): Buffer => {
    const header =
      `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`.padEnd(117, ' ') +
      '\n';
    const head = Buffer.alloc(10);
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
    head.writeUInt16LE(header.length, 8);
    return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
  };
  const f8 = Buffer.alloc(16);
  f8.writeDoubleLE(0.5, 0);
  f8.writeDoubleLE(-3, 8);
  t.deepEqual(decodeNpy(make('<f8', '(2,)', f8)), { shape: [2], data: Float32Array.from([0.5, -3]) });
  t.deepEqual(decodeNpy(make('|u1', '(1, 3)', Buffer.from([0, 7, 255]))).data, Float32Array.from([0, 7, 255]));
  t.throws(() => decodeNpy(make('<f4', '(1,)', Buffer.alloc(4), true), 'x.npy'), {
    instanceOf: UserError,
    message: /x\.npy: .*Fortran order/,
  });
  t.throws(() => decodeNpy(make('>f4', '(1,)', Buffer.alloc(4)), 'x.npy'), {
    instanceOf: UserError,
    message: /big-endian/,
  });
  t.throws(() => decodeNpy(make('<f4', '(4,)', Buffer.alloc(4)), 'x.npy'), {
    instanceOf: UserError,
    message: /needs 4/,
  });
  t.throws(() => decodeNpy(Buffer.from('hello'), 'x.npy'), { instanceOf: UserError, message: /bad magic/ });
});
