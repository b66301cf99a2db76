/**
 * Intermediate blobs of a compiled fcn model, for locating a numerical disagreement with the
 * PyTorch reference (bench/torch/fcn8s.py --blobs writes the same names from the other side).
 * Each requested layer's output is written as OUT_DIR/<layer>.npy, [C, H, W] float32 (NHWC
 * transposed to Caffe's layout), from one forward pass on a raw [C, H, W] .npy input.
 *
 * Run: npx tsx bench/torch/dump-blobs.ts MODEL_DIR INPUT.npy OUT_DIR [--layers a,b,...] [--backend B]
 * Without --layers: every layer except the input.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chwToInput, loadModel, readNpy, selectBackend, writeNpy } from '../../src/runtime/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { layers: { type: 'string' }, backend: { type: 'string' } },
});
const [modelDir, inputFile, outDir] = positionals;
if (!modelDir || !inputFile || !outDir) {
  process.stderr.write(
    'usage: tsx bench/torch/dump-blobs.ts MODEL_DIR INPUT.npy OUT_DIR [--layers a,b] [--backend B]\n',
  );
  process.exit(2);
}

const report = await selectBackend(values.backend);
const { model, info } = await loadModel(modelDir);
const wanted = values.layers
  ? values.layers.split(',')
  : model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
// One model whose outputs are the wanted layers' outputs, sharing the loaded weights.
const probe = tf.model({
  inputs: model.inputs,
  outputs: wanted.map((name) => model.getLayer(name).output as tf.SymbolicTensor),
});
const array = await readNpy(inputFile);
const input = chwToInput(array.data, array.shape, info, inputFile);
const outs = probe.predict(input);
const list = Array.isArray(outs) ? outs : [outs];
mkdirSync(outDir, { recursive: true });
for (const [i, name] of wanted.entries()) {
  const t = list[i] as tf.Tensor4D;
  const chw = tf.tidy(() => tf.transpose(t.squeeze([0]), [2, 0, 1]));
  await writeNpy(join(outDir, `${name}.npy`), (await chw.data()) as Float32Array, chw.shape);
  chw.dispose();
}
tf.dispose([...list, input]);
process.stdout.write(`${report.chosen}: wrote ${wanted.length} blobs to ${outDir}\n`);
