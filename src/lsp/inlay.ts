/**
 * Inlay hints: each layer's output shape and effective stride at the end of its line
 * (`21×32×32 /16`), from the analysis hovers use. Off unless the client's settings turn them on.
 * A declaration expanded more than once (a templated layer in a block) gets no hint: no one
 * shape belongs to its line.
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import { formatPair } from '../compiler/analysis/format.js';
import { formatShape } from './hover.js';
import type { AnalysedNet } from './workspace.js';

/** The hints for the lines of the file at `path` within `range`. */
export function inlayHints(nets: readonly AnalysedNet[], path: string, range: Range): InlayHint[] {
  const byLine = new Map<number, { text: string; character: number; count: number }>();
  for (const net of nets) {
    if (net.stale) continue;
    for (const node of net.ir.nodes) {
      const span = node.origin.span;
      if (span.source.name !== path || (node.op !== 'input' && node.inline)) continue;
      const { line } = span.source.location(span.start);
      if (line - 1 < range.start.line || line - 1 > range.end.line) continue;
      const blob = net.report.blobs[node.id]!;
      const stride = blob.stride ? ` /${formatPair(blob.stride)}` : '';
      const text = `${formatShape(blob.shape)}${stride}`;
      const character = span.source.lineText(line).length;
      const seen = byLine.get(line);
      byLine.set(line, { text, character, count: (seen?.count ?? 0) + (seen?.text === text ? 0 : 1) });
    }
  }
  return [...byLine.entries()]
    .filter(([, h]) => h.count === 1)
    .map(([line, h]) => ({
      position: { line: line - 1, character: h.character },
      label: h.text,
      kind: InlayHintKind.Type,
      paddingLeft: true,
    }));
}
