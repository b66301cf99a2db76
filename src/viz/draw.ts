/**
 * Graph layout and drawing shared by the page and the static SVG. Both call these same
 * functions: the SVG writer in Node, the page in the browser (their source is embedded into
 * the page by page/embed.ts). So they must be self-contained: no imports at run time, no
 * module-level values, only calls to other functions that are embedded too.
 */
import type * as Dagre from '@dagrejs/dagre';
import type { VizModel, VizNode, VizShape } from './model.js';

/** The dagre module (ESM import in Node, the `dagre` global in the page). */
export type DagreLib = Pick<typeof Dagre, 'graphlib' | 'layout'>;

/** Text roles drawn on the graph; each has one font. */
export type TextRole = 'name' | 'scope' | 'type' | 'detail' | 'edge' | 'chip' | 'error';

/** Width of a text in pixels when drawn in the font of its role. */
export type Measure = (text: string, role: TextRole) => number;

export interface NodeBox {
  name: string;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
  compact: boolean;
  /** Width of the crop's offset chip (0 for other nodes). */
  chipWidth: number;
}

export interface EdgeRoute {
  from: string;
  to: string;
  kind: 'data' | 'size';
  points: Array<{ x: number; y: number }>;
  label: string | null;
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: NodeBox[];
  edges: EdgeRoute[];
}

/** Size and weight of each text role's font. */
export function fontOf(role: TextRole): { size: number; weight: number } {
  if (role === 'name') return { size: 12, weight: 600 };
  if (role === 'scope') return { size: 12, weight: 400 };
  if (role === 'chip') return { size: 11, weight: 700 };
  if (role === 'error') return { size: 11, weight: 600 };
  if (role === 'detail') return { size: 11, weight: 400 };
  return { size: 10, weight: 400 };
}

/** The font family everywhere: system fonts only, the page loads none. */
export function fontFamily(): string {
  return "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
}

/** The CSS font shorthand of a role (for canvas text measurement). */
export function cssFont(role: TextRole): string {
  const f = fontOf(role);
  return `${f.weight} ${f.size}px ${fontFamily()}`;
}

/** SVG presentation attributes for a role's font, so that exported SVG renders without CSS. */
export function fontAttrs(role: TextRole): string {
  const f = fontOf(role);
  return `font-family="${fontFamily()}" font-size="${f.size}"${f.weight === 400 ? '' : ` font-weight="${f.weight}"`}`;
}

/** Pointwise layers are drawn as one-line pills (their type's definition says so): they change no coordinate. A layer with errors is a box, to hold them. */
export function isCompact(node: VizNode): boolean {
  return node.pill === true && !node.errors?.length;
}

/** A node's errors as the lines drawn under its detail: wrapped at word breaks near 64 characters, at most 6 lines. */
export function errorLines(node: VizNode): string[] {
  const lines: string[] = [];
  for (const message of node.errors ?? []) {
    let line = '';
    for (const word of ('⚠ ' + message).split(' ')) {
      if (line && line.length + 1 + word.length > 64) {
        lines.push(line);
        line = '  ' + word;
      } else line = line ? line + ' ' + word : word;
    }
    lines.push(line);
  }
  return lines.length > 6 ? [...lines.slice(0, 5), lines[5] + ' …'] : lines;
}

/** `64×500×500`, or null while H and W are unknown. */
export function shapeText(shape: VizShape | null): string | null {
  if (!shape || shape[1] === null || shape[2] === null) return null;
  return shape.map((v) => String(v)).join('×');
}

/** The text of a crop's chip: the inferred offset, and the written one when it disagrees. */
export function cropChipText(model: VizModel, node: VizNode): string | null {
  if (node.crop === undefined) return null;
  const crop = model.crops[node.crop]!;
  if (!crop.offset) return 'offset ?';
  const o = crop.offset;
  let text = o[0] === o[1] ? `offset ${o[0]}` : `offset ${o[0]}, ${o[1]}`;
  const w = crop.written;
  if (w && (w[0] !== o[0] || w[1] !== o[1])) text += ` (file: ${w[0] === w[1] ? w[0] : w.join(', ')})`;
  return text;
}

/** Escapes text for XML/HTML content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Lays the net out top to bottom with dagre; node sizes come from the measured text. */
export function layoutGraph(dagre: DagreLib, model: VizModel, measure: Measure): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 22, ranksep: 26, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of model.nodes) {
    const compact = isCompact(n);
    const short = n.name.slice(n.name.lastIndexOf('.') + 1);
    const prefix = n.name.slice(0, n.name.length - short.length);
    const title = measure(prefix, 'scope') + measure(short, 'name') + 12 + measure(n.type, 'type');
    const chip = cropChipText(model, n);
    const chipWidth = chip ? Math.ceil(measure(chip, 'chip') + 14) : 0;
    const detail = compact ? 0 : measure(n.detail, 'detail') + (chip ? chipWidth + 12 : 0);
    const errors = errorLines(n);
    const error = Math.max(0, ...errors.map((line) => measure(line, 'error') + 12));
    g.setNode(n.name, {
      width: Math.ceil(Math.max(title, detail, error, 60) + 20),
      height: compact ? 24 : 40 + (errors.length ? 14 * errors.length + 4 : 0),
      compact,
      chipWidth,
    });
  }
  model.edges.forEach((e, i) => {
    const label = shapeText(e.shape);
    const width = label ? Math.ceil(measure(label, 'edge')) : 0;
    // A crop's reference edge carries only a size: it should not pull the layout straight.
    const weight = e.kind === 'size' ? 0.2 : 1;
    g.setEdge(e.from, e.to, { label, width, height: label ? 12 : 0, labelpos: 'r', labeloffset: 6, weight }, String(i));
  });
  dagre.layout(g);
  const nodes: NodeBox[] = model.nodes.map((n) => {
    const v = g.node(n.name) as {
      x: number;
      y: number;
      width: number;
      height: number;
      compact: boolean;
      chipWidth: number;
    };
    return {
      name: n.name,
      x: v.x - v.width / 2,
      y: v.y - v.height / 2,
      width: v.width,
      height: v.height,
      compact: v.compact,
      chipWidth: v.chipWidth,
    };
  });
  const edges: EdgeRoute[] = model.edges.map((e, i) => {
    const v = g.edge(e.from, e.to, String(i)) as {
      points: Array<{ x: number; y: number }>;
      label: string | null;
      x?: number;
      y?: number;
    };
    return {
      from: e.from,
      to: e.to,
      kind: e.kind,
      points: v.points,
      label: v.label,
      labelX: v.x ?? 0,
      labelY: v.y ?? 0,
    };
  });
  const size = g.graph() as { width: number; height: number };
  return { width: Math.ceil(size.width), height: Math.ceil(size.height), nodes, edges };
}

/** An SVG path through the points as a uniform cubic B-spline (d3's curveBasis), ending on the last point. */
export function splinePath(points: Array<{ x: number; y: number }>): string {
  const f = (v: number) => String(Math.round(v * 10) / 10);
  const p = points;
  if (p.length < 3) return 'M' + p.map((q) => `${f(q.x)},${f(q.y)}`).join('L');
  let d = `M${f(p[0]!.x)},${f(p[0]!.y)}L${f((5 * p[0]!.x + p[1]!.x) / 6)},${f((5 * p[0]!.y + p[1]!.y) / 6)}`;
  for (let i = 1; i < p.length - 1; i++) {
    const a = p[i - 1]!;
    const b = p[i]!;
    const c = p[i + 1]!;
    d += `C${f((2 * a.x + b.x) / 3)},${f((2 * a.y + b.y) / 3)} ${f((a.x + 2 * b.x) / 3)},${f((a.y + 2 * b.y) / 3)} ${f((a.x + 4 * b.x + c.x) / 6)},${f((a.y + 4 * b.y + c.y) / 6)}`;
  }
  const a = p[p.length - 2]!;
  const b = p[p.length - 1]!;
  d += `C${f((2 * a.x + b.x) / 3)},${f((2 * a.y + b.y) / 3)} ${f((a.x + 2 * b.x) / 3)},${f((a.y + 2 * b.y) / 3)} ${f(b.x)},${f(b.y)}`;
  return d;
}

/** The arrowhead marker that edges refer to (`url(#fcn-arrow)`). */
export function arrowMarker(): string {
  return (
    '<marker id="fcn-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
    '<path d="M0,1L9,5L0,9z" fill="#64748b"/></marker>'
  );
}

/** The edges and nodes as SVG markup, with presentation attributes inline so the markup stands alone. */
export function graphMarkup(model: VizModel, layout: GraphLayout): string {
  const out: string[] = ['<g class="edges">'];
  for (const e of layout.edges) {
    out.push(
      `<g class="edge ${e.kind}" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}">` +
        `<path d="${splinePath(e.points)}" fill="none" stroke="#94a3b8" stroke-width="1.3"${e.kind === 'size' ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#fcn-arrow)"/>`,
    );
    if (e.label) {
      out.push(
        `<text class="edge-label" x="${Math.round(e.labelX - 4)}" y="${Math.round(e.labelY + 3.5)}" ` +
          `${fontAttrs('edge')} fill="#475569">${escapeXml(e.label)}</text>`,
      );
    }
    out.push('</g>');
  }
  out.push('</g><g class="nodes">');
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  for (const box of layout.nodes) out.push(nodeMarkup(model, byName.get(box.name)!, box));
  out.push('</g>');
  return out.join('');
}

/** One node: a box in its stride colour, the name (scope prefix muted), the type, the detail line, a crop's offset chip, and the errors in red (the box outlined in red). */
export function nodeMarkup(model: VizModel, n: VizNode, box: NodeBox): string {
  const errors = errorLines(n);
  const base = n.level === null ? { fill: '#ffffff', stroke: '#94a3b8' } : model.legend[n.level]!;
  const colour = errors.length ? { fill: '#fef2f2', stroke: '#dc2626' } : base;
  const short = n.name.slice(n.name.lastIndexOf('.') + 1);
  const prefix = n.name.slice(0, n.name.length - short.length);
  const parts = [
    `<g class="node${n.crop !== undefined ? ' crop' : ''}${errors.length ? ' error' : ''}" data-name="${escapeXml(n.name)}" data-type="${n.type}" transform="translate(${Math.round(box.x)},${Math.round(box.y)})">`,
    `<rect class="box" width="${box.width}" height="${box.height}" rx="${box.compact ? 12 : 6}" fill="${colour.fill}" stroke="${colour.stroke}" stroke-width="${errors.length ? 2.5 : 1.5}"/>`,
    `<text class="name" x="10" y="${16}" ${fontAttrs('name')} fill="#0f172a">` +
      (prefix ? `<tspan font-weight="400" fill="#64748b">${escapeXml(prefix)}</tspan>` : '') +
      `${escapeXml(short)}</text>`,
    `<text class="type" x="${box.width - 10}" y="${16}" text-anchor="end" ${fontAttrs('type')} fill="${colour.stroke}">${escapeXml(n.type)}</text>`,
  ];
  if (!box.compact) {
    parts.push(
      `<text class="detail" x="10" y="31" ${fontAttrs('detail')} fill="#334155">${escapeXml(n.detail)}</text>`,
    );
    errors.forEach((line, i) =>
      parts.push(
        `<text class="error-text" x="10" y="${52 + 14 * i}" ${fontAttrs('error')} fill="#b91c1c" xml:space="preserve">${escapeXml(line)}</text>`,
      ),
    );
    const chip = cropChipText(model, n);
    if (chip) {
      const w = box.chipWidth;
      parts.push(
        `<g class="chip" data-crop="${n.crop}" transform="translate(${box.width - w - 6},23)">` +
          `<rect width="${w}" height="15" rx="7.5" fill="#f59e0b" stroke="#b45309"/>` +
          `<text x="${w / 2}" y="11" text-anchor="middle" ${fontAttrs('chip')} fill="#1c1917">${escapeXml(chip)}</text></g>`,
      );
    }
  }
  parts.push('</g>');
  return parts.join('');
}
