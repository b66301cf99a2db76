import { error, type Diagnostic } from '../../../diagnostics/index.js';
import type { IRGraph } from '../../ir/types.js';
import { originNotes } from '../spans.js';
import type { CheckContext } from './context.js';

/** Whether a blob is, or is computed from, an input declared with `kind: label`. */
function fromLabel(ir: IRGraph, id: number, seen = new Set<number>()): boolean {
  if (seen.has(id)) return false;
  seen.add(id);
  const node = ir.nodes[id]!;
  if (node.op === 'input') return node.input.kind === 'label';
  return node.inputs.some((i) => fromLabel(ir, i, seen));
}

/**
 * Loss label: a softmax loss compares scores (its first input) with per-pixel labels (its
 * second), which must come from a label input (`input label { kind: label }`).
 */
export function LossLabelRule({ ir }: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const node of ir.nodes) {
    if (node.op !== 'softmax_loss') continue;
    const label = node.inputs[1];
    if (label !== undefined && fromLabel(ir, label)) continue;
    const detail =
      label === undefined
        ? `it reads only '${ir.nodes[node.inputs[0]!]?.name ?? '?'}'`
        : `its second input '${ir.nodes[label]!.name}' does not come from a label input`;
    const help = `declare 'input label { kind: label }' and give the loss 'bottom: [scores, label]'`;
    out.push(
      error('loss-without-label', `loss '${node.name}' has no label input: ${detail}`, node.origin.span, {
        help,
        notes: originNotes(node),
      }),
    );
  }
  return out;
}
