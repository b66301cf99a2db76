/**
 * Graphviz DOT of the visualisation model: the same stride colours as the page, blob shapes on
 * the edges, crops with their inferred offsets, a crop's reference dashed, a layer with errors
 * outlined in red with its messages, and a legend.
 * `dot -Tsvg net.dot > net.svg` renders it.
 */
import { cropChipText, errorLines, escapeXml as html, isCompact, shapeText } from './draw.js';
import type { VizModel, VizNode } from './model.js';

/** A DOT string literal. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function nodeLine(model: VizModel, n: VizNode): string {
  const errors = errorLines(n);
  const base = n.level === null ? { fill: '#ffffff', stroke: '#94a3b8' } : model.legend[n.level]!;
  const colour = errors.length ? { fill: '#fef2f2', stroke: '#dc2626' } : base;
  const rows = [`<b>${html(n.name)}</b> <font color="${colour.stroke}" point-size="9">${html(n.type)}</font>`];
  if (!isCompact(n) && n.detail) rows.push(`<font point-size="10">${html(n.detail)}</font>`);
  const chip = cropChipText(model, n);
  if (chip) rows.push(`<font color="#b45309"><b>${html(chip)}</b></font>`);
  for (const line of errors) rows.push(`<font color="#b91c1c" point-size="10">${html(line)}</font>`);
  const attrs = [`label=<${rows.join('<br/>')}>`, `fillcolor=${quote(colour.fill)}`, `color=${quote(colour.stroke)}`];
  if (errors.length) attrs.push('penwidth=2.5');
  else if (chip) attrs.push('penwidth=2');
  return `  ${quote(n.name)} [${attrs.join(', ')}];`;
}

/** The legend: one cell per stride, in its colour. */
function legendLine(model: VizModel): string {
  const cells = model.legend.map(
    (e) => `<td bgcolor="${e.fill}" color="${e.stroke}"><font color="${e.stroke}"><b>${html(e.label)}</b></font></td>`,
  );
  return `  legend [shape=plaintext, style="", label=<<table border="0" cellborder="1" cellspacing="2"><tr><td border="0">effective stride</td>${cells.join('')}</tr></table>>];`;
}

/** The model as a DOT digraph. */
export function renderDot(model: VizModel): string {
  const lines = [
    `digraph ${quote(model.net)} {`,
    `  graph [rankdir=TB, labelloc=t, fontname="Helvetica", label=${quote(`${model.net} (${model.file})`)}];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, color="#94a3b8", fontcolor="#475569"];',
    ...model.nodes.map((n) => nodeLine(model, n)),
    ...model.edges.map((e) => {
      const attrs: string[] = [];
      const label = shapeText(e.shape);
      if (label) attrs.push(`label=${quote(label)}`);
      if (e.kind === 'size') attrs.push('style=dashed');
      return `  ${quote(e.from)} -> ${quote(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`;
    }),
  ];
  if (model.legend.length) lines.push(legendLine(model));
  lines.push('}');
  return lines.join('\n') + '\n';
}
