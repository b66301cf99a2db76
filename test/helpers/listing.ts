/**
 * Gives an IRBuilder graph real source locations: writes a .fcn-like listing of the net (one
 * line per node) and points each node's span at its line, so diagnostics can be asserted
 * with an exact `file:line:col`.
 */
import type { Diagnostic } from '../../src/diagnostics/index.js';
import { formatLocation, Source } from '../../src/diagnostics/index.js';
import type { IRGraph } from '../../src/compiler/ir/types.js';

/** Attaches a listing as the source of every node (in place); node i sits on line i + 2, column 3. */
export function attachListing(ir: IRGraph, file = 'test.fcn'): IRGraph {
  const lines = [`net ${ir.name} {`];
  const starts: number[] = [];
  let offset = lines[0]!.length + 1;
  for (const node of ir.nodes) {
    const bottoms = node.inputs.map((i) => ir.nodes[i]!.name).join(', ');
    const line = node.op === 'input' ? `  input ${node.name}` : `  ${node.name}: ${node.op} { bottom: [${bottoms}] }`;
    starts.push(offset + (node.op === 'input' ? 8 : 2));
    lines.push(line);
    offset += line.length + 1;
  }
  lines.push('}');
  const source = new Source(lines.join('\n') + '\n', file);
  ir.nodes.forEach((node, i) => {
    const span = { source, start: starts[i]!, end: starts[i]! + node.name.length };
    node.origin = { span, via: [] };
  });
  return ir;
}

/** The parts of a diagnostic a test pins down: code, severity, message, location, help, notes. */
export function pin(d: Diagnostic) {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    at: d.span ? formatLocation(d.span) : null,
    ...(d.help ? { help: d.help } : {}),
    ...(d.notes?.length ? { notes: d.notes.map((n) => n.message) } : {}),
  };
}
