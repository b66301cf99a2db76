/**
 * ResolvedNet → IRGraph: one node per input or layer, each producing the blob of the same
 * name. Inputs come first (in declaration order), then the layers in definition order,
 * which the resolver guarantees is topological; spans, scopes and origins are kept so
 * every later diagnostic can point at the text that produced a node.
 */
import type { ResolvedNet } from '../resolve/types.js';
import type { IRGraph, IRNode } from './types.js';

/** Builds the graph IR of a resolved net. Throws on an unknown bottom: the resolver must have reported it. */
export function buildIR(net: ResolvedNet): IRGraph {
  const nodes: IRNode[] = [];
  const byName = new Map<string, number>();

  for (const input of net.inputs) {
    const id = nodes.length;
    nodes.push({
      id,
      op: 'input',
      name: input.name,
      input,
      inputs: [],
      scope: [],
      origin: { span: input.span, via: [] },
    });
    byName.set(input.name, id);
  }

  for (const layer of net.layers) {
    const id = nodes.length;
    const inputs = layer.bottoms.map((bottom) => {
      const i = byName.get(bottom);
      // Names are defined before use, so this is a resolver bug, not a user's mistake.
      if (i === undefined)
        throw new Error(`buildIR: layer '${layer.name}' reads '${bottom}', which is not defined before it`);
      return i;
    });
    nodes.push({
      id,
      op: layer.type,
      name: layer.name,
      inputs,
      params: layer.params,
      scope: layer.scope,
      origin: layer.origin,
      ...(layer.inline ? { inline: true } : {}),
    } as IRNode);
    byName.set(layer.name, id);
  }

  const consumers: number[][] = nodes.map(() => []);
  for (const node of nodes) for (const i of node.inputs) consumers[i]!.push(node.id);

  return {
    name: net.name,
    file: net.file,
    nodes,
    inputs: nodes.filter((n) => n.op === 'input').map((n) => n.id),
    consumers,
    byName,
    solver: net.solver,
    span: net.span,
  };
}
