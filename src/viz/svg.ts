/**
 * A static SVG of the net for papers and READMEs: the same layout code, node markup, stride
 * colours and crop-offset chips as the page (draw.ts), laid out here in Node with dagre. Text
 * widths are estimated from character classes, generously, since the reader's fonts are unknown.
 */
import dagre from '@dagrejs/dagre';
import {
  arrowMarker,
  escapeXml,
  fontAttrs,
  fontFamily,
  fontOf,
  graphMarkup,
  layoutGraph,
  type TextRole,
} from './draw.js';
import { formatCountShort } from './format.js';
import type { VizModel } from './model.js';

/** Width of a text in a sans-serif font, from per-character widths in ems (on the wide side). */
export function estimateWidth(text: string, role: TextRole): number {
  const { size, weight } = fontOf(role);
  let ems = 0;
  for (const ch of text) {
    if ("ijlI.,:;|!'’ ".includes(ch)) ems += 0.3;
    else if ('ftr()[]/-'.includes(ch)) ems += 0.4;
    else if ('mwMW@%'.includes(ch)) ems += 0.9;
    else if (ch >= 'A' && ch <= 'Z') ems += 0.7;
    else if (ch === '→' || ch === '×' || ch === '·') ems += 0.85;
    else ems += 0.6;
  }
  return ems * size * (weight >= 600 ? 1.08 : 1);
}

/** The legend row: one swatch per stride, then the crop chip. */
function legendMarkup(model: VizModel, x: number, y: number): string {
  const parts = [`<text x="${x}" y="${y + 13}" ${fontAttrs('name')} fill="#0f172a">Effective stride</text>`];
  let cx = x + 110;
  for (const e of model.legend) {
    const w = Math.ceil(estimateWidth(e.label, 'name') + 18);
    parts.push(
      `<rect x="${cx}" y="${y}" width="${w}" height="18" rx="4" fill="${e.fill}" stroke="${e.stroke}" stroke-width="1.5"/>`,
      `<text x="${cx + w / 2}" y="${y + 13}" text-anchor="middle" ${fontAttrs('name')} fill="${e.stroke}">${escapeXml(e.label)}</text>`,
    );
    cx += w + 6;
  }
  if (model.crops.length) {
    cx += 14;
    parts.push(
      `<rect x="${cx}" y="${y + 1}" width="58" height="16" rx="8" fill="#f59e0b" stroke="#b45309"/>`,
      `<text x="${cx + 29}" y="${y + 13}" text-anchor="middle" ${fontAttrs('chip')} fill="#1c1917">offset</text>`,
      `<text x="${cx + 66}" y="${y + 13}" ${fontAttrs('detail')} fill="#334155">inferred crop offset</text>`,
    );
  }
  return `<g class="legend">${parts.join('')}</g>`;
}

/** The model as a standalone SVG document. */
export function renderSvg(model: VizModel): string {
  const layout = layoutGraph(dagre, model, estimateWidth);
  const head = 46;
  const foot = 40;
  const width = Math.max(layout.width, 560);
  const height = layout.height + head + foot;
  const input = model.inputs.find((i) => i.name === model.reference);
  const facts = [
    input ? `input ${input.shape.map((v) => v ?? '?').join('×')}` : '',
    `${formatCountShort(model.totals.params)} params`,
    model.totals.flops === null ? '' : `${formatCountShort(model.totals.flops)} FLOPs`,
  ]
    .filter(Boolean)
    .join(' · ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(model.net)}</title>`,
    `<defs>${arrowMarker()}</defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-family="${fontFamily()}" font-size="16" font-weight="700" fill="#0f172a">${escapeXml(model.net)}</text>`,
    `<text x="16" y="40" ${fontAttrs('detail')} fill="#64748b">${escapeXml(`${model.file} · ${facts}`)}` +
      (model.errors.length
        ? `<tspan fill="#b91c1c" font-weight="600"> · ${model.errors.length} error${model.errors.length === 1 ? '' : 's'} (in red)</tspan>`
        : '') +
      '</text>',
    `<g transform="translate(0,${head})">${graphMarkup(model, layout)}</g>`,
    legendMarkup(model, 16, height - foot + 10),
    '</svg>',
    '',
  ].join('\n');
}
