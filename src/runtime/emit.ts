/**
 * The emitter: IR → a trainable tf.LayersModel, built functionally (tf.input → apply →
 * tf.model). Layer names are the .fcn blob names, dots and all (`vgg.conv1_1`): tfjs accepts
 * `[A-Za-z0-9][-A-Za-z0-9._/]*`, so nothing is renamed. Image inputs are NHWC model inputs;
 * label inputs are not (losses are computed by the training code from ModelInfo.losses).
 * Outputs: every blob a loss reads, then every blob nothing reads.
 */
import * as tf from '@tensorflow/tfjs';
import type { IRGraph, IRNode, LayerNode } from '../compiler/ir/types.js';
import { isLabelCrop } from '../compiler/ir/label-crop.js';
import type { Pair } from '../compiler/layers/types.js';
import { planLayer, type LayerPlan } from './emit-layers.js';
import type { ModelInfo, ModelInput, ModelLoss, ModelParam } from './info.js';
import { initValues } from './init.js';
import { netSources } from './model-net.js';

export interface EmitOptions {
  /** Crop offsets by crop node id, from the analysis; a crop missing here uses its written offset. */
  offsets: Map<number, Pair>;
  /** Seed of the initialisers (default 0). */
  seed?: number;
  /** Fix the input size [h, w]; otherwise the model takes any size (or the size the .fcn declares). */
  inputSize?: Pair;
  /** Initialise the weights (default true); false leaves zeros, for shape-only uses. */
  init?: boolean;
}

export interface EmittedModel {
  model: tf.LayersModel;
  info: ModelInfo;
}

/** A model name tfjs accepts, from a net name. */
function modelName(net: string): string {
  const cleaned = net.replace(/[^-A-Za-z0-9._/]/g, '_');
  return /^[A-Za-z0-9]/.test(cleaned) ? cleaned : `net_${cleaned}`;
}

function inputOf(node: IRNode & { op: 'input' }, size: Pair | undefined): ModelInput {
  const { input } = node;
  const fixed = size ?? input.size;
  return {
    name: node.name,
    channels: input.channels,
    ...(input.mean ? { mean: [...input.mean] } : {}),
    order: input.order,
    ...(fixed ? { size: [fixed[0], fixed[1]] as Pair } : {}),
  };
}

function lossOf(node: LayerNode & { op: 'softmax_loss' }, ir: IRGraph, offsets: Map<number, Pair>): ModelLoss {
  const [score, read] = node.inputs.map((i) => ir.nodes[i]!);
  if (!score || !read) throw new Error(`softmax_loss ${node.name} needs two bottoms: scores and labels`);
  let label = read;
  let labelOffset: Pair | undefined;
  if (read.op === 'crop' && isLabelCrop(ir, read)) {
    label = ir.nodes[read.inputs[0]!]!;
    labelOffset = offsets.get(read.id) ?? read.params.offset;
    if (!labelOffset) throw new Error(`crop ${read.name}: no offset was inferred or given`);
  }
  if (label.op !== 'input' || label.input.kind !== 'label')
    throw new Error(`softmax_loss ${node.name}: its second bottom (${label.name}) must be a label input`);
  const p = node.params;
  return {
    name: node.name,
    score: score.name,
    label: label.name,
    ...(labelOffset ? { labelOffset: [labelOffset[0], labelOffset[1]] as Pair } : {}),
    ...(p.ignore !== undefined ? { ignore: p.ignore } : {}),
    normalize: p.normalize,
    weight: p.weight,
  };
}

/** Builds the model for `ir`. */
export function emitModel(ir: IRGraph, options: EmitOptions): EmittedModel {
  const seed = options.seed ?? 0;
  const tensors = new Map<number, tf.SymbolicTensor>();
  const inputs: ModelInput[] = [];
  const modelInputs: tf.SymbolicTensor[] = [];
  const labels: string[] = [];
  const losses: ModelLoss[] = [];
  const plans: Array<{ node: LayerNode; plan: LayerPlan }> = [];
  const crops: ModelInfo['crops'] = [];
  const isLabel = (id: number): boolean => {
    const n = ir.nodes[id]!;
    return n.op === 'input' && n.input.kind === 'label';
  };

  for (const node of ir.nodes) {
    if (node.op === 'input') {
      if (node.input.kind === 'label') {
        labels.push(node.name);
        continue;
      }
      const spec = inputOf(node, options.inputSize);
      inputs.push(spec);
      const t = tf.input({ name: node.name, shape: [spec.size?.[0] ?? null, spec.size?.[1] ?? null, spec.channels] });
      modelInputs.push(t);
      tensors.set(node.id, t);
      continue;
    }
    if (node.op === 'softmax_loss') {
      losses.push(lossOf(node, ir, options.offsets));
      continue;
    }
    if (isLabelCrop(ir, node)) continue;
    const labelInput = node.inputs.find(isLabel);
    if (labelInput !== undefined)
      throw new Error(`${node.name}: only a softmax_loss may read the label input ${ir.nodes[labelInput]!.name}`);
    let offset: Pair | undefined;
    if (node.op === 'crop') {
      offset = options.offsets.get(node.id) ?? node.params.offset;
      if (offset) crops.push({ name: node.name, offset: [offset[0], offset[1]] });
    }
    const plan = planLayer(node, offset, node.inputs.length);
    const args = node.inputs.map((i) => {
      const t = tensors.get(i);
      if (!t) throw new Error(`${node.name}: its input ${ir.nodes[i]!.name} has no tensor (is it a loss?)`);
      return t;
    });
    const out = plan.layer.apply(args.length === 1 ? args[0]! : args) as tf.SymbolicTensor;
    tensors.set(node.id, out);
    plans.push({ node, plan });
  }

  const outputIds: number[] = [];
  const addOutput = (id: number): void => {
    if (!outputIds.includes(id)) outputIds.push(id);
  };
  for (const l of losses) addOutput(ir.byName.get(l.score)!);
  for (const node of ir.nodes) {
    if (node.op === 'input' || node.op === 'softmax_loss' || isLabelCrop(ir, node)) continue;
    if (ir.consumers[node.id]!.length === 0) addOutput(node.id);
  }
  if (!modelInputs.length) throw new Error(`net ${ir.name} has no image input`);
  if (!outputIds.length) throw new Error(`net ${ir.name} has no output`);
  outputIds.sort((a, b) => a - b);
  const model = tf.model({
    name: modelName(ir.name),
    inputs: modelInputs,
    outputs: outputIds.map((id) => tensors.get(id)!),
  });

  const params: ModelParam[] = [];
  for (const { node, plan } of plans) {
    plan.weights.forEach((w) =>
      params.push({ name: `${node.name}/${w.weight}`, layer: node.name, lr: w.spec.lr, decay: w.spec.decay }),
    );
    if (options.init === false || plan.weights.length === 0) continue;
    const values = plan.layer.weights.map((variable, i) => {
      const w = plan.weights[i]!;
      return tf.tensor(
        initValues(w.init, variable.shape as number[], w.layout, seed, `${node.name}/${w.weight}`),
        variable.shape as number[],
      );
    });
    plan.layer.setWeights(values);
    tf.dispose(values);
  }

  const outputs = outputIds.map((id) => ir.nodes[id]!.name);
  const first = model.outputs[outputs.indexOf(losses[0]?.score ?? outputs[0]!)]!;
  const info: ModelInfo = {
    format: 'fcn-model',
    version: 1,
    net: ir.name,
    source: ir.file,
    sources: netSources(ir),
    seed,
    inputs,
    labels,
    outputs,
    losses,
    classes: (first.shape[3] as number | null) ?? 0,
    crops,
    params,
    solver: { ...ir.solver },
  };
  return { model, info };
}
