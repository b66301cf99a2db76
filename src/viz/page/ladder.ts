/**
 * The stride ladder (client side), drawn like the FCN paper's skip figure: columns are
 * effective strides; the top row is the trunk, downsampling to the right; below, one row per
 * rung (a fusion or a final crop). An upsampled branch comes down from the coarser column and
 * turns left into the rung; a skip drops straight down from the trunk in the rung's own column,
 * since both maps it joins share that stride. Clicking a name selects its blob.
 */
import { formatNumber } from '../format.js';
import type { VizBranch, VizRung } from '../model.js';
import type { App } from './app.js';
import { selectBlob } from './app.js';
import { byId, svgEl } from './dom.js';

/** Text that selects its blob when clicked. */
export function ladderLabel(
  app: App,
  name: string,
  x: number,
  y: number,
  text: string,
  cls: string,
  anchor = 'middle',
): SVGElement {
  const t = svgEl('text', { x, y, class: `ladder-text ${cls}`, 'text-anchor': anchor, 'data-name': name }, text);
  t.append(svgEl('title', null, name));
  t.addEventListener('click', () => selectBlob(app, name, true));
  return t;
}

/** A crop offset as `5` or `5, 7`. */
export function offsetLabel(o: [number, number] | null): string {
  return o ? (o[0] === o[1] ? formatNumber(o[0]) : `${o[0]}, ${o[1]}`) : '?';
}

/** The amber chip of a crop offset, centred at (x, y). */
export function offsetChip(x: number, y: number, text: string): SVGElement {
  const w = 7 * text.length + 12;
  return svgEl(
    'g',
    { class: 'ladder-chip' },
    svgEl('rect', { x: x - w / 2, y: y - 8, width: w, height: 16, rx: 8, fill: '#f59e0b', stroke: '#b45309' }),
    svgEl('text', { x, y: y + 4, 'text-anchor': 'middle' }, text),
  );
}

/** Draws the ladder into its card (hidden when the net has no stride information). */
export function renderLadder(app: App): void {
  const { levels, trunk, rungs } = app.model.ladder;
  const host = byId('ladder-svg');
  if (!levels.length) {
    byId('ladder').hidden = true;
    return;
  }
  const width = 448;
  const colW = (width - 24) / levels.length;
  const colX = (s: number | null) => 12 + (s === null ? 0 : levels.indexOf(s)) * colW + colW / 2;
  const trunkY = 40;
  const rowY = (i: number) => trunkY + 96 + i * 84;
  const height = rowY(rungs.length - 1) + 40;
  const strideOf = (name: string) => app.byName.get(name)?.stride?.[0] ?? null;
  const colourOf = (name: string) => {
    const n = app.byName.get(name);
    return n && n.level !== null ? app.model.legend[n.level]!.stroke : '#64748b';
  };
  const lines: SVGElement[] = [];
  const marks: SVGElement[] = [];
  levels.forEach((s, i) => {
    const entry = app.model.legend.find((e) => e.stride === s);
    const x = 12 + i * colW;
    lines.push(
      svgEl('rect', {
        x: x + 3,
        y: 22,
        width: colW - 6,
        height: height - 24,
        rx: 6,
        fill: entry ? entry.fill : '#f1f5f9',
        opacity: 0.45,
      }),
    );
    lines.push(
      svgEl(
        'text',
        { x: x + colW / 2, y: 14, 'text-anchor': 'middle', class: 'ladder-level' },
        `stride ${formatNumber(s)}`,
      ),
    );
  });
  trunk.forEach((t, i) => {
    const x = colX(t.stride);
    if (i > 0) {
      const px = colX(trunk[i - 1]!.stride);
      lines.push(
        svgEl('path', {
          d: `M${px + 6},${trunkY}L${x - 8},${trunkY}`,
          class: 'ladder-link trunk',
          'marker-end': 'url(#ladder-arrow)',
        }),
      );
    }
    marks.push(svgEl('circle', { cx: x, cy: trunkY, r: 5.5, fill: colourOf(t.name) }));
    const short = t.name.slice(t.name.lastIndexOf('.') + 1);
    // Names wider than a column alternate between two lines so that neighbours do not collide.
    const crowded = trunk.some((u) => u.name.slice(u.name.lastIndexOf('.') + 1).length * 6.4 > colW - 4);
    marks.push(ladderLabel(app, t.name, x, trunkY + (crowded && i % 2 ? 32 : 19), short, 'trunk-name'));
  });
  const where = new Map<string, [number, number]>();
  rungs.forEach((r, i) => where.set(r.name, [colX(r.stride), rowY(i)]));
  rungs.forEach((r) => drawRung(app, r, { colX, rowY, strideOf, where, trunkY, lines, marks, colourOf }));
  const defs = svgEl(
    'defs',
    null,
    svgEl(
      'marker',
      {
        id: 'ladder-arrow',
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 6,
        markerHeight: 6,
        orient: 'auto-start-reverse',
      },
      svgEl('path', { d: 'M0,1L9,5L0,9z', fill: '#475569' }),
    ),
  );
  host.setAttribute('viewBox', `0 0 ${width} ${height}`);
  host.setAttribute('width', String(width));
  host.setAttribute('height', String(height));
  host.replaceChildren(defs, ...lines, ...marks);
}

interface LadderFrame {
  colX: (s: number | null) => number;
  rowY: (i: number) => number;
  strideOf: (name: string) => number | null;
  where: Map<string, [number, number]>;
  trunkY: number;
  lines: SVGElement[];
  marks: SVGElement[];
  colourOf: (name: string) => string;
}

/** One rung: its branches (grouped by where they start), its mark and its name. */
export function drawRung(app: App, r: VizRung, f: LadderFrame): void {
  const [x, y] = f.where.get(r.name)!;
  const groups = new Map<string, { start: [number, number]; up: number | null; branches: VizBranch[] }>();
  for (const b of r.branches) {
    const upsampled = b.from && b.from.factor > 1 ? b.from : null;
    const origin = upsampled ? upsampled.name : b.source;
    const start: [number, number] = f.where.get(origin) ?? [upsampled ? f.colX(f.strideOf(origin)) : x, f.trunkY];
    const key = start.join(',');
    const g = groups.get(key) ?? { start, up: upsampled ? upsampled.factor : null, branches: [] };
    g.branches.push(b);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const [sx, sy] = g.start;
    // An upsampled branch is named by its upsampling layer, a skip by the blob it feeds in (often a crop).
    const one = g.branches.length === 1 ? g.branches[0]! : null;
    const label = one ? (sx !== x ? one.source : one.blob) : `${g.branches.length} branches`;
    const crop = g.branches.length === 1 ? g.branches[0]!.crop : undefined;
    if (sx !== x) {
      // Upsampled: down the coarse column, then left into the rung.
      const r0 = 10;
      const d = `M${sx},${sy + 7}L${sx},${y - r0}Q${sx},${y} ${sx - r0},${y}L${x + 11},${y}`;
      f.lines.push(svgEl('path', { d, class: 'ladder-link up', 'marker-end': 'url(#ladder-arrow)' }));
      f.marks.push(
        ladderLabel(
          app,
          one ? one.source : g.branches[0]!.blob,
          x + 14,
          y + 17,
          `${label} ×${formatNumber(g.up ?? 1)}`,
          'branch-name',
          'start',
        ),
      );
    } else {
      // Same stride: a skip dropping from the trunk (its crop sits on it as a chip), or the previous rung at this stride.
      f.lines.push(
        svgEl('path', {
          d: `M${sx},${sy + 7}L${x},${y - 11}`,
          class: sy === f.trunkY ? 'ladder-link skip' : 'ladder-link',
          'marker-end': 'url(#ladder-arrow)',
        }),
      );
      f.marks.push(ladderLabel(app, g.branches[0]!.blob, x - 9, y - 16, label, 'branch-name', 'end'));
      if (crop) f.marks.push(offsetChip(x, y - 40, `offset ${offsetLabel(crop.offset)}`));
    }
  }
  const colour = f.colourOf(r.name);
  if (r.kind === 'fusion') {
    f.marks.push(svgEl('circle', { cx: x, cy: y, r: 9, fill: '#fff', stroke: colour, 'stroke-width': 2.2 }));
    f.marks.push(svgEl('path', { d: `M${x - 5},${y}h10M${x},${y - 5}v10`, stroke: colour, 'stroke-width': 2.2 }));
  } else {
    f.marks.push(
      svgEl('rect', {
        x: x - 7,
        y: y - 7,
        width: 14,
        height: 14,
        rx: 3,
        fill: '#f59e0b',
        stroke: '#b45309',
        'stroke-width': 1.5,
      }),
    );
  }
  // A fusion's name sits left of it; a crop's above its incoming line, with its offset.
  if (r.kind === 'fusion') f.marks.push(ladderLabel(app, r.name, x - 14, y + 4, r.name, 'rung-name', 'end'));
  else f.marks.push(ladderLabel(app, r.name, x + 12, y - 9, r.name, 'rung-name', 'start'));
  const own = r.kind === 'crop' ? r.branches[0]?.crop : undefined;
  if (own) {
    const text = `offset ${offsetLabel(own.offset)}`;
    f.marks.push(offsetChip(x + 12 + 7.3 * r.name.length + 3.5 * text.length + 14, y - 13, text));
  }
}

/** Marks the selected blob's names on the ladder. */
export function markLadder(app: App): void {
  for (const t of Array.from(byId('ladder-svg').querySelectorAll<SVGTextElement>('text[data-name]'))) {
    t.classList.toggle('selected', t.dataset.name === app.selected);
  }
}
