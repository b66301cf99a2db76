/**
 * The graph IR: one node per input or layer, each producing one blob of the same name
 * (Caffe's `top` = name). Everything after resolution reads this: analyses, emitters,
 * the runtime.
 */
import type { Span } from '../../diagnostics/span.js';
import type { LayerParamsByType, LayerType } from '../layers/types.js';
import type { Origin, ResolvedInput, SolverSettings } from '../resolve/types.js';

export interface InputNode {
  id: number;
  op: 'input';
  name: string;
  input: ResolvedInput;
  inputs: [];
  scope: string[];
  origin: Origin;
}

interface LayerNodeBase<T extends LayerType> {
  id: number;
  op: T;
  name: string;
  /** Ids of the nodes whose blobs this node reads, in order. */
  inputs: number[];
  params: LayerParamsByType[T];
  scope: string[];
  origin: Origin;
  inline?: boolean;
}

export type LayerNode = { [T in LayerType]: LayerNodeBase<T> }[LayerType];

export type IRNode = InputNode | LayerNode;

export interface IRGraph {
  name: string;
  file: string;
  /** Nodes in topological order; `nodes[i].id === i`. */
  nodes: IRNode[];
  /** Ids of the input nodes, in declaration order. */
  inputs: number[];
  /** For each node id, the ids of the nodes that read its blob. */
  consumers: number[][];
  /** Node id by absolute blob name. */
  byName: Map<string, number>;
  solver: SolverSettings;
  span: Span;
}
