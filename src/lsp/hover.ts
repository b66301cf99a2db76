/**
 * Hover text: for a blob, what `fcn inspect` says about it (shape at the analysed size,
 * effective stride, receptive field, effective padding, params, FLOPs) and, for a crop, its
 * offset and why; for an instance, its layers and output; for the net's name, its totals,
 * crops and the input sizes it accepts (`fcn inspect`'s advisor); for a layer type, a
 * parameter or an import, its documentation.
 */
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { formatPair, formatSize } from '../compiler/analysis/format.js';
import { adviseInputSizes, type SideSet } from '../compiler/analysis/input-advice.js';
import type { BlobReport } from '../compiler/analysis/report.js';
import { layerSchema, type ParamDef } from '../compiler/layers/schema.js';
import type { Definition } from '../compiler/resolve/index.js';
import { layerDetail } from '../viz/detail.js';
import { spanRange } from './convert.js';
import { meaning, type NetBlobs } from './blobs.js';
import type { Hit } from './locate.js';
import type { AnalysedNet, Workspace } from './workspace.js';
import { paramsAt } from './schema-at.js';

const pair = (p: readonly [number, number] | null | undefined) => (p ? formatPair(p) : '–');
const count = (n: number | null) => (n === null ? '–' : n.toLocaleString('en-US'));

/** `21×32×32`, `scalar` for a loss, `?` for an unknown side. */
export function formatShape(shape: readonly (number | null)[]): string {
  return shape.length === 0 ? 'scalar' : shape.map((v) => v ?? '?').join('×');
}

/** `at 500×500 (declared)` / `at 500×500 (fcn.inputSize)` / with a staleness warning. */
function sizeNote(net: AnalysedNet): string {
  const size = formatSize(net.size).replace('x', '×');
  const why = net.declared ? 'the size the net declares' : 'no size declared: the `fcn.inputSize` setting';
  const stale = net.stale ? ' — *from the last version without errors*' : '';
  return `net \`${net.net}\` at ${size} (${why})${stale}`;
}

/** Why a crop has its offset, in one line. */
function cropLine(net: AnalysedNet, blob: BlobReport): string | undefined {
  const crop = net.report.crops.find((c) => c.name === blob.name);
  if (!crop) return undefined;
  if (crop.offset === null) return `**crop**: no valid offset (see the diagnostic)`;
  const o = pair(crop.offset);
  const how = crop.written
    ? crop.inferred
      ? `written in the file; the coordinate maps give ${pair(crop.inferred)}`
      : 'written in the file (the coordinate maps give none to check it against)'
    : crop.ancestor
      ? `inferred: \`${crop.input}\` and \`${crop.reference}\` both map back to \`${crop.ancestor}\`, where pixel *i* of \`${crop.reference}\` lies over pixel *i* + ${o} of \`${crop.input}\``
      : 'inferred from the coordinate maps';
  return `**crop offset ${o}** — ${how}`;
}

/** The facts of one blob, as a markdown table. */
function blobText(net: AnalysedNet, id: number): string {
  const blob = net.report.blobs[id]!;
  const node = net.ir.nodes[id]!;
  const rel = net.report.relativeTo ?? 'the input';
  const rows: Array<[string, string]> = [
    ['shape', formatShape(blob.shape)],
    [`effective stride (to ${rel})`, pair(blob.stride)],
    ['receptive field', pair(blob.rf)],
    ['effective padding', pair(blob.padding)],
    ['params', count(blob.params)],
    ['FLOPs', count(blob.flops)],
  ];
  const lines = [
    `**${blob.name}** · ${blob.type} ${layerDetail(net.ir, node)}`.trimEnd(),
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ];
  const crop = cropLine(net, blob);
  if (crop) lines.push('', crop);
  lines.push('', sizeNote(net));
  return lines.join('\n');
}

/** Several blobs (a templated declaration, an instance): one row each. */
function blobRows(net: AnalysedNet, ids: readonly number[], limit = 40): string {
  const lines = ['| blob | type | shape | stride | RF | padding |', '|---|---|---|---|---|---|'];
  for (const id of ids.slice(0, limit)) {
    const b = net.report.blobs[id]!;
    lines.push(
      `| ${b.name} | ${b.type} | ${formatShape(b.shape)} | ${pair(b.stride)} | ${pair(b.rf)} | ${pair(b.padding)} |`,
    );
  }
  if (ids.length > limit) lines.push(`| … ${ids.length - limit} more | | | | | |`);
  return lines.join('\n');
}

function blobsText(found: readonly NetBlobs[]): string {
  if (found.length === 1 && found[0]!.ids.length === 1) return blobText(found[0]!.net, found[0]!.ids[0]!);
  return found.map(({ net, ids }) => `${blobRows(net, ids)}\n\n${sizeNote(net)}`).join('\n\n---\n\n');
}

function instanceText(prefix: string, found: readonly NetBlobs[]): string {
  return found
    .map(({ net, ids }) => {
      const params = ids.reduce((s, id) => s + (net.report.blobs[id]!.params ?? 0), 0);
      const last = ids.at(-1)!;
      return [
        `**${prefix}** · an instance: ${ids.length} layers, ${count(params)} params; its last blob:`,
        '',
        blobText(net, last),
      ].join('\n');
    })
    .join('\n\n---\n\n');
}

function paramText(p: ParamDef, owner: string): string {
  const d = p.default === undefined ? '' : ` (default \`${JSON.stringify(p.default)}\`)`;
  return `**${p.name}** — ${p.doc}${d}\n\n${owner}`;
}

function definitionText(def: Definition): string {
  const n = def.node;
  const params = n.params.length ? `(${n.params.map((p) => p.name.name).join(', ')})` : '';
  return `**${n.keyword} ${n.name.name}${params}** — defined in \`${def.file.name}\`, ${n.items.length} items`;
}

/** The advisor's answer, kept per analysis (a net of 200 layers takes a few hundred milliseconds). */
const advice = new WeakMap<AnalysedNet['analysis'], string>();

/** `accepted sides: every side from 173 · exact: 188, 204, 220, … (every 16 from 188)`, per axis when they differ. */
function sizesText(net: AnalysedNet): string {
  let text = advice.get(net.analysis);
  if (text === undefined) {
    const [h, w] = adviseInputSizes(net.ir, net.analysis.crops.offsets).axes;
    const both = (f: (a: typeof h) => SideSet) =>
      f(h).text === f(w).text ? f(h).text : `heights ${f(h).text}; widths ${f(w).text}`;
    text = `accepted sides: ${both((a) => a.accepted)} · exact (no layer rounds): ${both((a) => a.exact)}`;
    advice.set(net.analysis, text);
  }
  return text;
}

const md = (value: string): MarkupContent => ({ kind: 'markdown', value });

/** The hover for what is under the cursor, if there is anything to say. */
export function hover(ws: Workspace, path: string, hit: Hit): Hover | undefined {
  const nets = ws.netsUsing(path);
  switch (hit.kind) {
    case 'declaration':
    case 'reference': {
      const m = meaning(hit, nets);
      if (!m) return undefined;
      const span = hit.kind === 'declaration' ? hit.item.name.span : hit.ref.path[hit.segment]!.span;
      const value = m.kind === 'blobs' ? blobsText(m.found) : instanceText(m.prefix, m.found);
      return { contents: md(value), range: spanRange(span) };
    }
    case 'key': {
      const m = meaning(hit, nets);
      const span = hit.property.key[hit.segment]!.span;
      if (m)
        return {
          contents: md(m.kind === 'blobs' ? blobsText(m.found) : instanceText(m.prefix, m.found)),
          range: spanRange(span),
        };
      const name = hit.property.key[hit.segment]!.name;
      const { params, owner } = paramsAt(ws, path, hit.around, [
        ...hit.sections,
        ...hit.property.key.slice(0, hit.segment).map((k) => k.name),
      ]);
      const p = params.find((x) => x.name === name);
      return p ? { contents: md(paramText(p, owner)), range: spanRange(span) } : undefined;
    }
    case 'type': {
      const name = hit.id.name;
      const schema = layerSchema(name);
      if (schema) {
        const list = schema.params.map((p) => `- \`${p.name}\` — ${p.doc}`).join('\n');
        return { contents: md(`**${name}** — ${schema.doc}\n\n${list}`), range: spanRange(hit.id.span) };
      }
      const def = ws.loaded(path)?.visible.get(name);
      if (def && !('ambiguous' in def)) return { contents: md(definitionText(def)), range: spanRange(hit.id.span) };
      return undefined;
    }
    case 'import':
      return {
        contents: md(`imports the nets and blocks defined in \`${hit.node.path.value}\``),
        range: spanRange(hit.node.path.span),
      };
    case 'definition': {
      const net = nets.find((n) => n.net === hit.node.name.name && n.file === path);
      if (!net) return undefined;
      const r = net.report;
      const text = `**net ${r.net}** — ${r.blobs.length} blobs, ${count(r.params)} params, ${count(r.flops)} FLOPs; crops ${r.crops.map((c) => `${c.name} ${pair(c.offset)}`).join(', ') || 'none'}\n\n${sizesText(net)}\n\n${sizeNote(net)}`;
      return { contents: md(text), range: spanRange(hit.node.name.span) };
    }
  }
}
