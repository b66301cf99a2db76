import { error, type Diagnostic } from '../../../diagnostics/index.js';
import { formatList } from '../format.js';
import { originNotes } from '../spans.js';
import type { CheckContext } from './context.js';

/**
 * Sum channels: an element-wise sum adds blobs channel by channel, so all its inputs must
 * have the same number of channels (e.g. 21 class scores on every skip).
 */
export function SumChannelsRule({ ir, channels }: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const node of ir.nodes) {
    if (node.op !== 'sum') continue;
    const counts = node.inputs.map((i) => channels[i] ?? null);
    const known = counts.filter((c) => c !== null);
    if (known.every((c) => c === known[0])) continue;
    const parts = node.inputs.map((i, k) => `'${ir.nodes[i]!.name}' has ${counts[k] ?? '?'}`);
    const message = `sum '${node.name}' adds blobs with different channel counts: ${formatList(parts)}`;
    out.push(error('sum-channel-mismatch', message, node.origin.span, { notes: originNotes(node) }));
  }
  return out;
}
