/**
 * The layer registry's conformance test: one table-driven pass over every layer type, from
 * its definition's own example (src/compiler/layers/<type>.ts), so a new type is checked
 * without editing this file. For each type:
 * - the emitted one-layer model's output shape equals the analysis, at random sizes the
 *   analysis accepts;
 * - the analysis's parameter count equals the values the emitted layer stores;
 * - getConfig/fromConfig round-trips, and the copy computes the same output;
 * - the grammar reference has its row;
 * - where the type is differentiable, a numerical gradient check passes (input and weights).
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { compileSource } from '../src/compiler/compile.js';
import { survives } from '../src/compiler/analysis/axis.js';
import { LAYER_TYPES, LAYERS } from '../src/compiler/layers/index.js';
import { Rng } from '../src/data/random.js';
import { emitModel } from '../src/runtime/emit.js';
import { RUNTIME_LAYERS } from '../src/runtime/layers/index.js';
import { worstGradientError } from './helpers/gradcheck.js';
import { randn, useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

const README = readFileSync('grammar/README.md', 'utf8');

const netText = (example: string) =>
  `net conformance {\n  input data { channels: 4 }\n  input label { kind: label }\n  ${example.split('\n').join('\n  ')}\n}\n`;

/** Sizes the analysis accepts along one axis, near its smallest. */
function acceptedSizes(rng: Rng, accept: (h: number) => boolean, from: number, count: number): number[] {
  const candidates = Array.from({ length: 40 }, (_, i) => from + i).filter(accept);
  return Array.from({ length: count }, () => candidates[rng.int(candidates.length)]!);
}

for (const type of LAYER_TYPES) {
  const def = LAYERS[type];

  test(`${type}: the grammar reference has its row, and the runtime its twin`, (t) => {
    t.truthy(
      README.split('\n').find((l) => l.startsWith(`| \`${type}\``)),
      `grammar/README.md has no row for ${type}`,
    );
    t.is(typeof RUNTIME_LAYERS[type], 'function');
  });

  test(`${type}: the emitted layer agrees with the analysis (shapes, parameters, config, gradient)`, (t) => {
    const text = netText(def.example);
    const probe = compileSource(text, `${type}.fcn`);
    const errors = probe.diagnostics.filter((d) => d.severity === 'error');
    t.deepEqual(
      errors.map((d) => d.message),
      [],
    );
    const ir0 = probe.ir!;
    const x0 = ir0.byName.get('x');
    t.not(x0, undefined, 'the example defines no layer x');
    const rng = new Rng(13, LAYER_TYPES.indexOf(type));
    const offsets = probe.analysis!.crops.offsets;
    const [mh, mw] = probe.analysis!.shapes.minInput;
    t.not(mh, null);
    t.not(mw, null);
    const hs = acceptedSizes(rng, (h) => survives(ir0, 0, h, offsets), mh!, 3);
    const ws = acceptedSizes(rng, (w) => survives(ir0, 1, w, offsets), mw!, 3);
    for (let k = 0; k < hs.length; k++) {
      const size: [number, number] = [hs[k]!, ws[k]!];
      const { ir, analysis } = compileSource(text, `${type}.fcn`, { input: size });
      const node = ir!.nodes[x0!]!;
      const expected = analysis!.shapes.shapes[x0!]!;
      const { model } = emitModel(ir!, { offsets: analysis!.crops.offsets, seed: 3, inputSize: size });
      const layer = model.layers.find((l) => l.name === 'x');
      if (!layer) {
        // Not a layer of the model (the loss): a scalar the training code computes.
        t.deepEqual(expected, []);
        t.is(RUNTIME_LAYERS[type](node as never, { inputCount: node.inputs.length }), null);
        model.dispose();
        continue;
      }
      const inbound = layer.inboundNodes[0]!.inputTensors;
      const sub = tf.model({ inputs: model.inputs, outputs: [...inbound, layer.output as tf.SymbolicTensor] });
      const data = tf.tidy(() => tf.add(randn([1, size[0], size[1], 4], rng), 0.5));
      const outs = sub.predict(data) as tf.Tensor[];
      const y = outs[outs.length - 1]!;
      const [c, h, w] = expected;
      t.deepEqual(y.shape, [1, h, w, c], `${type} at ${size}`);

      // What the analysis counts is what the layer stores.
      const stored = layer.weights.reduce((a, v) => a + v.shape.reduce((p, d) => p! * d!, 1)!, 0);
      t.is(analysis!.cost.nodes[x0!]!.params, stored, `${type} parameters at ${size}`);

      // getConfig / fromConfig round-trips, and the copy computes the same thing.
      const config = layer.getConfig();
      const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[layer.getClassName()]!;
      const copy = fromConfig(cls, config) as tf.layers.Layer;
      t.deepEqual(copy.getConfig(), config);
      const inputs = outs.slice(0, -1);
      const arg = inputs.length === 1 ? inputs[0]! : inputs;
      copy.apply(arg);
      copy.setWeights(layer.getWeights());
      const again = copy.apply(arg) as tf.Tensor;
      t.deepEqual(Array.from(again.dataSync()), Array.from(y.dataSync()), `${type}: the copy computes otherwise`);

      if (def.differentiable && k === 0) {
        const c = tf.tidy(() => randn(y.shape, rng));
        const loss = (a: tf.Tensor) => {
          const o = sub.apply(a) as tf.Tensor[];
          return tf.sum(tf.mul(o[o.length - 1]!, c)) as tf.Scalar;
        };
        const value = (a: tf.Tensor) => tf.tidy(() => loss(a).dataSync()[0]!);
        const gx = tf.grad(loss)(data);
        t.true(worstGradientError(value, data, gx.dataSync(), rng) < 2e-3, `${type}: d/d(input)`);
        const trainable = layer.trainableWeights[0];
        if (trainable) {
          const variable = trainable.read() as tf.Variable;
          const base = variable.clone();
          const { value: v, grads } = tf.variableGrads(() => loss(data), [variable]);
          const gw = grads[variable.name]!;
          const at = (w: tf.Tensor) => {
            variable.assign(w);
            return value(data);
          };
          t.true(worstGradientError(at, base, gw.dataSync(), rng) < 2e-3, `${type}: d/d(${trainable.originalName})`);
          variable.assign(base);
          tf.dispose([v, gw, base]);
        }
        tf.dispose([c, gx]);
      }
      tf.dispose([data, ...outs, again]);
      model.dispose();
    }
  });
}

test('the registry lists every layer type once, with its own name', (t) => {
  t.deepEqual(
    LAYER_TYPES.map((type) => LAYERS[type].type),
    LAYER_TYPES,
  );
});
