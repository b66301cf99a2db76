/**
 * The one-line parameter summary under a layer's name on the graph: `3×3 pad 100 → 64`,
 * `max 2×2 /2`, `4×4 /2 → 21 · bilinear, frozen`, `to data`.
 */
import type { IRGraph, IRNode } from '../compiler/ir/types.js';
import { layerDef } from '../compiler/layers/registry.js';

/** The summary of a node's parameters (each layer type's own `detail`). */
export function layerDetail(ir: IRGraph, node: IRNode): string {
  if (node.op === 'input')
    return node.input.kind === 'label' ? 'label' : `${node.input.channels} channels, ${node.input.order}`;
  return layerDef(node.op).detail(node.params, { inputs: node.inputs.map((i) => ir.nodes[i]?.name ?? '?') });
}
