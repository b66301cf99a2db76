/**
 * A crop of a label input (`crop(label)`, U-Net's label cut to its smaller scores): it belongs
 * to the loss, not to the model, so the runtime turns it into the loss's label offset and the
 * exporters leave it out of the inference graph with the loss.
 */
import type { IRGraph, IRNode } from './types.js';

/** Whether `node` crops a label input. */
export function isLabelCrop(ir: IRGraph, node: IRNode): boolean {
  const source = node.op === 'crop' ? ir.nodes[node.inputs[0]!] : undefined;
  return source?.op === 'input' && source.input.kind === 'label';
}
