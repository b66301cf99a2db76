import { error, type Diagnostic } from '../../../diagnostics/index.js';
import { layerDef } from '../../layers/registry.js';
import { formatList, formatPair } from '../format.js';
import type { Rational } from '../rational.js';
import { primaryInput } from '../spatial.js';
import { originNotes } from '../spans.js';
import type { CheckContext } from './context.js';

/**
 * Fusion strides: a sum or concat lines its inputs up unit by unit, which only makes sense
 * when neighbouring units are equally far apart in the input, i.e. equal effective strides
 * (a skip from pool4 must be upsampled ×2 from stride 32 before it meets stride 16).
 * Strides are compared relative to the first input they all depend on.
 */
export function FusionStrideRule({ ir, fields }: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const primary = primaryInput(ir);
  for (const node of ir.nodes) {
    if (node.op === 'input' || !layerDef(node.op).fusion || node.inputs.length < 2) continue;
    const common = ir.inputs.filter((id) => node.inputs.every((i) => fields[i]!.has(id)));
    const input = primary !== undefined && common.includes(primary) ? primary : common[0];
    if (input === undefined) continue;
    const strides = node.inputs.map((i) => fields[i]!.get(input)!.map((f) => f.stride) as [Rational, Rational]);
    const same = strides.every((s) => s[0].equals(strides[0]![0]) && s[1].equals(strides[0]![1]));
    if (same) continue;
    const parts = node.inputs.map((i, k) => `'${ir.nodes[i]!.name}' has stride ${formatPair(strides[k]!)}`);
    const message = `${node.op} '${node.name}' fuses blobs of different strides: ${formatList(parts)} (relative to '${ir.nodes[input]!.name}')`;
    out.push(error('fusion-stride-mismatch', message, node.origin.span, { notes: originNotes(node) }));
  }
  return out;
}
