/**
 * What an exporter reads: the net's IR with the compiler's crop offsets, how the model is fed
 * (ModelInfo), and every parameter in Caffe's layout (conv (out, in/g, kh, kw), deconv
 * (in, out/g, kh, kw), inner product (out, in), vectors as they are), which is also the layout
 * of ONNX's Conv/ConvTranspose/Gemm and of PyTorch's conv2d/conv_transpose2d/linear. From a
 * model directory the weights are its own; from a .fcn file they are the seeded initialisers'.
 */
import { statSync } from 'node:fs';
import type { IRGraph, LayerNode } from '../compiler/ir/types.js';
import { isLabelCrop } from '../compiler/ir/label-crop.js';
import type { LayerType, Pair } from '../compiler/layers/types.js';
import { UserError } from '../diagnostics/index.js';
import type { SourceLayer } from '../caffe/weights/source.js';
import type { ModelInfo } from '../runtime/info.js';
import { currentVersion } from '../util/index.js';

/** A layer node of one type. */
export type NodeOf<T extends LayerType> = Extract<LayerNode, { op: T }>;

/** A parameter blob, read in full. */
export interface Blob {
  /** Caffe's shape. */
  shape: number[];
  data: Float32Array;
}

export interface ExportNet {
  ir: IRGraph;
  /** Crop offsets by crop node id: the compiler's, or the written one. */
  offsets: Map<number, Pair>;
  info: ModelInfo;
  /** Parameter blobs by layer name, in Caffe's order (weights, bias; BatchNorm: mean, variance, factor). */
  params: Map<string, Blob[]>;
  /** Where the weights came from, for messages and metadata. */
  from: string;
}

export interface ExportNetOptions {
  /** Seed of the initialisers, for a .fcn file. */
  seed?: number;
  /** Which net of a .fcn file. */
  net?: string;
  /** Fix the input size [h, w]. */
  input?: Pair;
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

function readAll(layers: SourceLayer[]): Map<string, Blob[]> {
  return new Map(
    layers.map((l) => [l.name, l.blobs.map((b) => ({ shape: [...b.shape], data: b.read(0, b.count) }))] as const),
  );
}

/** Loads what the exporters read from a model directory or a .fcn file. */
export async function loadExportNet(path: string, options: ExportNetOptions = {}): Promise<ExportNet> {
  const runtime = await import('../runtime/index.js');
  const { modelDirSource, modelSource } = await import('../caffe/weights/model-dir-source.js');
  const tf = await import('@tensorflow/tfjs');
  // Nothing is computed on the way: the cpu backend only holds the initial values (and, in
  // production mode, prints no banner urging a faster backend).
  tf.enableProdMode();
  await runtime.selectBackend('cpu');
  if (isDirectory(path)) {
    const info = await runtime.readModelInfo(path);
    const analysis = runtime.compileModelNet(info);
    if (!analysis)
      throw new UserError(
        `${path}: cannot compile the model's net again (its fcn.json carries no sources and ${info.source} is gone)`,
      );
    const source = modelDirSource(currentVersion(path));
    const size = options.input ?? info.inputs[0]?.size;
    return {
      ir: analysis.ir,
      offsets: analysis.crops.offsets,
      info: size ? { ...info, inputs: info.inputs.map((i) => ({ ...i, size })) } : info,
      params: readAll(source.layers),
      from: path,
    };
  }
  if (!path.endsWith('.fcn')) throw new UserError(`${path}: expected a .fcn file or a model directory`);
  const { model, info, analysis } = runtime.emitNet(path, {
    seed: options.seed ?? 0,
    ...(options.net ? { net: options.net } : {}),
    ...(options.input ? { input: options.input } : {}),
  });
  try {
    return {
      ir: analysis.ir,
      offsets: analysis.crops.offsets,
      info,
      params: readAll(modelSource(model, path).layers),
      from: `${path} (seed ${options.seed ?? 0})`,
    };
  } finally {
    model.dispose();
  }
}

/** The crop offset of a crop node. */
export function cropOffset(net: ExportNet, node: NodeOf<'crop'>): Pair {
  const offset = net.offsets.get(node.id) ?? node.params.offset;
  if (!offset) throw new Error(`crop ${node.name}: no offset was inferred or given`);
  return offset;
}

/** A layer's parameter blobs, checked to be there. */
export function blobsOf(net: ExportNet, node: LayerNode, count: number): Blob[] {
  const blobs = net.params.get(node.name) ?? [];
  if (blobs.length < count || blobs.slice(0, count).some((b) => !b))
    throw new Error(`layer ${node.name}: the model holds ${blobs.length} parameter blobs, ${count} expected`);
  return blobs;
}

/**
 * A batch norm's statistics as the runtime normalises with them at inference: Caffe's running
 * sums divided by its factor (blob 2), or 0 when the factor is 0 (as Caffe's scale 0).
 */
export function batchNormStats(net: ExportNet, node: LayerNode): { mean: Float32Array; variance: Float32Array } {
  const [meanSum, varSum, factor] = blobsOf(net, node, 3);
  const f = factor!.data[0]!;
  const inv = f === 0 ? 0 : 1 / f;
  return { mean: meanSum!.data.map((v) => v * inv), variance: varSum!.data.map((v) => v * inv) };
}

/** The image inputs of the net (label inputs are not fed at inference). */
export function imageInputs(ir: IRGraph): Array<Extract<IRGraph['nodes'][number], { op: 'input' }>> {
  return ir.inputs.map((id) => ir.nodes[id]!).filter((n) => n.op === 'input' && n.input.kind !== 'label') as Array<
    Extract<IRGraph['nodes'][number], { op: 'input' }>
  >;
}

/** The layers of the inference graph, in order: every layer but the losses (which alone may read labels) and their label crops. */
export function inferenceLayers(ir: IRGraph): LayerNode[] {
  const isLabel = (id: number): boolean => {
    const n = ir.nodes[id]!;
    return n.op === 'input' && n.input.kind === 'label';
  };
  const layers: LayerNode[] = [];
  for (const node of ir.nodes) {
    if (node.op === 'input' || node.op === 'softmax_loss' || isLabelCrop(ir, node)) continue;
    const label = node.inputs.find(isLabel);
    if (label !== undefined)
      throw new Error(`${node.name}: only a softmax_loss may read the label input ${ir.nodes[label]!.name}`);
    layers.push(node);
  }
  return layers;
}
