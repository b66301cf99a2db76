/**
 * Cost of a net at a given input size: parameters, FLOPs and activation memory per node
 * and in total.
 *
 * - Parameters: the values each layer stores, by its type's definition (../layers/): conv
 *   `out·(in/group)·kh·kw` (+ `out` biases), deconv `in·(out/group)·kh·kw` (+ `out`), fc
 *   `in·H·W·out` (+ `out`), scale one per channel, batch norm Caffe's running mean and
 *   variance (2 per channel) plus its moving-average factor; the emitted model stores the same.
 * - FLOPs count the multiply-adds of conv, deconv and fc layers, 2 each, as the published
 *   tables do (VGG16's conv layers: 30.7 GFLOPs at 224×224). Biases, pooling, activations
 *   and element-wise layers are left out. A conv uses each weight once per output pixel, a
 *   deconv once per input pixel.
 * - Activation memory: each blob's values as float32 (4 bytes); the loss is one value.
 * Anything that needs a size unknown without an input size is null.
 */
import type { IRGraph, IRNode } from '../ir/types.js';
import { layerDef } from '../layers/registry.js';
import type { BlobShape } from './shapes.js';

export interface NodeCost {
  params: number | null;
  flops: number | null;
  /** Bytes of the node's output blob. */
  memory: number | null;
}

export interface CostAnalysis {
  /** By node id. */
  nodes: NodeCost[];
  /** Sums over all nodes (null if any term is unknown). */
  total: NodeCost;
}

const BYTES_PER_VALUE = 4;

function area(shape: BlobShape | undefined): number | null {
  if (!shape || shape.length === 0) return null;
  const [, h, w] = shape;
  return h === null || w === null ? null : h * w;
}

function nodeCost(node: IRNode, shapes: BlobShape[], channels: (number | null)[]): NodeCost {
  const shape = shapes[node.id]!;
  const inC = node.inputs.length ? channels[node.inputs[0]!]! : null;
  const outArea = area(shape);
  const inArea = node.inputs.length ? area(shapes[node.inputs[0]!]) : null;
  const memory =
    shape.length === 0
      ? BYTES_PER_VALUE
      : outArea === null || shape[0] === null
        ? null
        : BYTES_PER_VALUE * shape[0] * outArea;
  if (node.op === 'input') return { params: 0, flops: 0, memory };
  const def = layerDef(node.op);
  const c = { inC, outC: channels[node.id] ?? null, inArea, outArea, inputs: node.inputs.length };
  return { params: def.paramCount(node.params, c), flops: def.flops(node.params, c), memory };
}

function sum(values: (number | null)[]): number | null {
  return values.includes(null) ? null : values.reduce<number>((a, v) => a + v!, 0);
}

/** Parameters, FLOPs and activation memory of every node and in total. */
export function computeCost(ir: IRGraph, shapes: BlobShape[], channels: (number | null)[]): CostAnalysis {
  const nodes = ir.nodes.map((n) => nodeCost(n, shapes, channels));
  return {
    nodes,
    total: {
      params: sum(nodes.map((c) => c.params)),
      flops: sum(nodes.map((c) => c.flops)),
      memory: sum(nodes.map((c) => c.memory)),
    },
  };
}
