import { error, type Diagnostic } from '../../../diagnostics/index.js';
import { originNotes } from '../spans.js';
import type { CheckContext } from './context.js';

/**
 * Group channels: a grouped convolution (AlexNet's conv2, conv4 and conv5 use 2) splits its
 * input and output channels into independent groups, so the group count must divide both.
 */
export function GroupChannelsRule({ ir, channels }: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const node of ir.nodes) {
    if (node.op !== 'conv' && node.op !== 'deconv') continue;
    const { group, out: outputs } = node.params;
    const inputs = channels[node.inputs[0]!] ?? null;
    const bad: string[] = [];
    if (inputs !== null && inputs % group !== 0) bad.push(`its ${inputs} input channels`);
    if (outputs % group !== 0) bad.push(`its ${outputs} output channels`);
    if (!bad.length) continue;
    const message = `${node.op} '${node.name}' has group ${group}, which does not divide ${bad.join(' or ')}`;
    out.push(error('group-channel-mismatch', message, node.origin.span, { notes: originNotes(node) }));
  }
  return out;
}
