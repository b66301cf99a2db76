/**
 * Cost of a net at a given input size: parameters, FLOPs and activation memory per node
 * and in total.
 *
 * - Parameters: conv `out·(in/group)·kh·kw` (+ `out` biases), deconv `in·(out/group)·kh·kw`
 *   (+ `out`), fc `in·H·W·out` (+ `out`), scale one per channel, batch norm Caffe's stored
 *   mean and variance (2 per channel) plus its moving-average factor.
 * - FLOPs count the multiply-adds of conv, deconv and fc layers, 2 each, as the published
 *   tables do (VGG16's conv layers: 30.7 GFLOPs at 224×224). Biases, pooling, activations
 *   and element-wise layers are left out. A conv uses each weight once per output pixel, a
 *   deconv once per input pixel.
 * - Activation memory: each blob's values as float32 (4 bytes); the loss is one value.
 * Anything that needs a size unknown without an input size is null.
 */
import type { IRGraph, IRNode } from '../ir/types.js';
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
  const times = (a: number | null, b: number | null) => (a === null || b === null ? null : a * b);
  switch (node.op) {
    case 'conv':
    case 'deconv': {
      const { out, group, kernel, biasTerm } = node.params;
      const [kh, kw] = kernel;
      // Both hold in·out/group·kh·kw weights, each used once per output pixel (conv) or per input pixel (deconv).
      const weights = inC === null ? null : (inC * out * kh * kw) / group;
      const flops = times(weights === null ? null : 2 * weights, node.op === 'conv' ? outArea : inArea);
      return { params: weights === null ? null : weights + (biasTerm ? out : 0), flops, memory };
    }
    case 'fc': {
      const inputs = times(inC, inArea);
      const weights = inputs === null ? null : inputs * node.params.out;
      return {
        params: weights === null ? null : weights + (node.params.biasTerm ? node.params.out : 0),
        flops: weights === null ? null : 2 * weights,
        memory,
      };
    }
    case 'scale':
      return { params: inC, flops: 0, memory };
    case 'batch_norm':
      return { params: inC === null ? null : 2 * inC + 1, flops: 0, memory };
    default:
      return { params: 0, flops: 0, memory };
  }
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
