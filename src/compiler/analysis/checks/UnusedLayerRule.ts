import { warning, type Diagnostic } from '../../../diagnostics/index.js';
import { layerDef } from '../../layers/registry.js';
import { originNotes } from '../spans.js';
import type { CheckContext } from './context.js';

/**
 * Unused layers: a layer whose output nothing reads is computed for nothing, unless it is
 * the net's last layer or a head (a type defined as one: loss, softmax, argmax). An input nothing reads is reported
 * too (a label input in a net without a loss).
 */
export function UnusedLayerRule({ ir }: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const last = ir.nodes.length - 1;
  for (const node of ir.nodes) {
    if (ir.consumers[node.id]!.length > 0) continue;
    if (node.op === 'input') {
      out.push(warning('unused-input', `input '${node.name}' is never used`, node.origin.span));
    } else if (node.id !== last && !layerDef(node.op).head) {
      const message = `layer '${node.name}' is never used: nothing reads its output`;
      out.push(warning('unused-layer', message, node.origin.span, { notes: originNotes(node) }));
    }
  }
  return out;
}
