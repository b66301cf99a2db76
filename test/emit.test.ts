/**
 * The emitter: blob shapes at run time equal the analysing compiler's predictions for several
 * input sizes, layer names are the blob names, the model's outputs and loss descriptor are
 * right, and every net in nets/ compiles and runs forward at a small input size.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { readdirSync } from 'node:fs';
import { analyze } from '../src/compiler/analysis/index.js';
import { compileFile } from '../src/compiler/compile.js';
import { emitModel } from '../src/runtime/emit.js';
import { toyFcn } from './helpers/toy-fcn.js';
import { useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

test('every blob of the toy FCN has the predicted shape at several input sizes', (t) => {
  const ir = toyFcn();
  const analysis = analyze(ir);
  const { model, info } = emitModel(ir, { offsets: analysis.crops.offsets, seed: 1 });
  t.deepEqual(info.outputs, ['score']);
  t.deepEqual(info.losses, [
    { name: 'loss', score: 'score', label: 'label', ignore: 255, normalize: false, weight: 1 },
  ]);
  t.deepEqual(info.labels, ['label']);
  t.deepEqual(info.inputs, [{ name: 'data', channels: 3, mean: [10, 20, 30], order: 'bgr' }]);
  t.is(info.classes, 3);
  // A model exposing every blob, to compare each with the analysis.
  const names = ir.nodes.filter((n) => n.op !== 'input' && n.op !== 'softmax_loss').map((n) => n.name);
  const everything = tf.model({
    inputs: model.inputs,
    outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor),
  });
  for (const [h, w] of [
    [16, 16],
    [23, 31],
    [40, 33],
    [64, 64],
  ] as const) {
    const shapes = analyze(ir, { input: [h, w] }).shapes.shapes;
    const outs = everything.predict(tf.zeros([1, h, w, 3])) as tf.Tensor[];
    names.forEach((name, i) => {
      const [c, ph, pw] = shapes[ir.byName.get(name)!]!;
      t.deepEqual(outs[i]!.shape, [1, ph, pw, c], `${name} at ${h}×${w}`);
    });
    tf.dispose(outs);
  }
  model.dispose();
});

test('layer names are the blob names, dots included; crops carry the inferred offsets', (t) => {
  const ir = toyFcn();
  const analysis = analyze(ir);
  const { model, info } = emitModel(ir, { offsets: analysis.crops.offsets, init: false });
  const layers = model.layers.map((l) => l.name);
  for (const n of ir.nodes)
    if (n.op !== 'softmax_loss' && !(n.op === 'input' && n.input.kind === 'label'))
      t.true(layers.includes(n.name), n.name);
  t.deepEqual(
    info.crops,
    analysis.crops.crops.map((c) => ({ name: ir.nodes[c.node]!.name, offset: c.offset! })),
  );
  t.deepEqual(
    info.params.find((p) => p.name === 'upscore2/kernel'),
    { name: 'upscore2/kernel', layer: 'upscore2', lr: 0, decay: 1 },
  );
  t.deepEqual(
    info.params.find((p) => p.name === 'conv1/bias'),
    { name: 'conv1/bias', layer: 'conv1', lr: 2, decay: 0 },
  );
  model.dispose();
});

test('a fixed input size gives static shapes equal to the run-time ones', (t) => {
  const ir = toyFcn();
  const { model } = emitModel(ir, { offsets: analyze(ir).crops.offsets, inputSize: [24, 20], init: false });
  t.deepEqual(model.inputs[0]!.shape, [null, 24, 20, 3]);
  t.deepEqual(model.outputs[0]!.shape, [null, 24, 20, 3]);
  const y = model.predict(tf.zeros([1, 24, 20, 3])) as tf.Tensor;
  t.deepEqual(y.shape, [1, 24, 20, 3]);
  model.dispose();
});

const NETS = readdirSync('nets').filter((f) => f.endsWith('.fcn'));

for (const file of NETS) {
  test(`nets/${file} compiles and runs forward with the predicted output shapes`, (t) => {
    const probe = compileFile(`nets/${file}`);
    t.truthy(probe.analysis, probe.diagnostics.map((d) => d.message).join('; '));
    const [mh, mw] = probe.analysis!.shapes.minInput;
    const size: [number, number] = [Math.max(mh ?? 1, 24), Math.max(mw ?? 1, 24)];
    const { ir, analysis } = compileFile(`nets/${file}`, { input: size });
    const { model, info } = emitModel(ir!, { offsets: analysis!.crops.offsets, init: false });
    const feeds = info.inputs.map((i) => tf.zeros([1, size[0], size[1], i.channels]));
    const outs = model.predict(feeds.length === 1 ? feeds[0]! : feeds);
    const list = Array.isArray(outs) ? outs : [outs];
    info.outputs.forEach((name, i) => {
      const [c, h, w] = analysis!.shapes.shapes[ir!.byName.get(name)!]!;
      t.deepEqual(list[i]!.shape, [1, h, w, c], `${name} at ${size}`);
    });
    tf.dispose([...feeds, ...list]);
    model.dispose();
  });
}
