/**
 * The receptive-field view (client side): one unit of the selected blob, its window on the
 * input (the `--image`, or a grid of the input size), its centre, the centres of the units
 * around it, and two neighbours' windows, so that stride and overlap are visible.
 * Everything is drawn in input-pixel coordinates: pixel p covers [p, p + 1).
 */
import { formatNumber } from '../format.js';
import type { VizNode } from '../model.js';
import type { App } from './app.js';
import { byId, h, svgEl } from './dom.js';

/** The input window of unit [row, col], FCN.md's rule per axis: from stride·i − padding, rf pixels long. */
export function rfBox(n: VizNode, unit: [number, number]): { x: number; y: number; width: number; height: number } {
  return {
    y: n.stride![0] * unit[0] - n.padding![0],
    x: n.stride![1] * unit[1] - n.padding![1],
    height: n.rf![0],
    width: n.rf![1],
  };
}

/** The blob's unit grid [rows, cols], when known. */
export function unitGrid(n: VizNode): [number, number] | null {
  return n.shape && n.shape[1] !== null && n.shape[2] !== null ? [n.shape[1], n.shape[2]] : null;
}

/** The middle unit of a blob (or 0, 0 when its size is unknown). */
export function centreUnit(n: VizNode): [number, number] {
  const g = unitGrid(n);
  return g ? [Math.floor((g[0] - 1) / 2), Math.floor((g[1] - 1) / 2)] : [0, 0];
}

/** A round grid step giving about ten lines across `extent`. */
export function gridStep(extent: number): number {
  const raw = extent / 10;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** Fills the receptive-field card for the selected blob. */
export function renderRf(app: App): void {
  const card = byId('rf');
  const n = app.byName.get(app.selected!)!;
  const title = h('h2', null, 'Receptive field');
  if (!n.stride || !n.rf || !n.padding) {
    card.replaceChildren(
      title,
      h(
        'p',
        { class: 'muted' },
        `${n.name} has no receptive field on ${app.model.reference ?? 'the input'}: it is not on its spatial chain.`,
      ),
    );
    return;
  }
  const grid = unitGrid(n);
  const input = (id: string, axis: number) => {
    const el = h('input', {
      id,
      type: 'number',
      min: 0,
      max: grid ? grid[axis]! - 1 : null,
      value: app.unit[axis],
    }) as HTMLInputElement;
    el.addEventListener('input', () => {
      const v = Math.round(Number(el.value));
      if (!Number.isFinite(v)) return;
      app.unit[axis] = grid ? Math.min(grid[axis]! - 1, Math.max(0, v)) : Math.max(0, v);
      drawRf(app);
    });
    return el;
  };
  card.replaceChildren(
    title,
    h(
      'div',
      { class: 'rf-controls' },
      h('label', null, 'unit row ', input('rf-row', 0)),
      h('label', null, 'col ', input('rf-col', 1)),
      h('span', { class: 'muted' }, grid ? `of ${grid[0]} × ${grid[1]} units of ${n.name}` : `of ${n.name}`),
    ),
    svgEl('svg', { id: 'rf-svg', role: 'img', 'aria-label': 'receptive field on the input' }),
    h(
      'p',
      { class: 'rf-key' },
      h('span', { class: 'key box' }),
      'its window',
      h('span', { class: 'key right' }),
      'next unit right',
      h('span', { class: 'key below' }),
      'next unit below',
      h('span', { class: 'key dot' }),
      'unit centres',
    ),
    h('p', { id: 'rf-readout' }),
  );
  byId('rf-svg').addEventListener('click', (e) => pickUnit(app, e as MouseEvent));
  drawRf(app);
}

/** Picks the unit whose centre is nearest the clicked input pixel. */
export function pickUnit(app: App, e: MouseEvent): void {
  const svg = byId('rf-svg') as unknown as SVGSVGElement;
  const m = svg.getScreenCTM();
  if (!m) return;
  const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
  const n = app.byName.get(app.selected!)!;
  const grid = unitGrid(n);
  const pick = (v: number, axis: number) => {
    const i = Math.round((v - 0.5 - (n.rf![axis]! - 1) / 2 + n.padding![axis]!) / n.stride![axis]!);
    return Math.max(0, grid ? Math.min(grid[axis]! - 1, i) : i);
  };
  app.unit = [pick(p.y, 0), pick(p.x, 1)];
  (byId('rf-row') as HTMLInputElement).value = String(app.unit[0]);
  (byId('rf-col') as HTMLInputElement).value = String(app.unit[1]);
  drawRf(app);
}

/** Draws the input, the unit's window and centre, the lattice of centres around it and two neighbours' windows. */
export function drawRf(app: App): void {
  const n = app.byName.get(app.selected!)!;
  const svg = byId('rf-svg');
  const [H, W] = app.model.inputSize ?? [224, 224];
  const grid = unitGrid(n);
  const [r, c] = app.unit;
  const box = rfBox(n, [r, c]);
  const inside = (i: number, axis: number) => i >= 0 && (!grid || i < grid[axis]!);
  const right: [number, number] | null = inside(c + 1, 1) ? [r, c + 1] : inside(c - 1, 1) ? [r, c - 1] : null;
  const below: [number, number] | null = inside(r + 1, 0) ? [r + 1, c] : inside(r - 1, 0) ? [r - 1, c] : null;
  const boxes = [box, ...[right, below].filter((u): u is [number, number] => !!u).map((u) => rfBox(n, u))];
  let x0 = Math.min(0, ...boxes.map((b) => b.x));
  let y0 = Math.min(0, ...boxes.map((b) => b.y));
  let x1 = Math.max(W, ...boxes.map((b) => b.x + b.width));
  let y1 = Math.max(H, ...boxes.map((b) => b.y + b.height));
  // A window tiny next to the input (conv1's 3×3) would be a dot: zoom in around it instead.
  const zoomed = Math.max(box.width, box.height) * 8 < Math.max(x1 - x0, y1 - y0);
  if (zoomed) {
    const side = Math.max(4 * Math.max(box.width, box.height), 6 * Math.max(n.stride![0], n.stride![1]), 12);
    const mx = box.x + box.width / 2;
    const my = box.y + box.height / 2;
    [x0, x1, y0, y1] = [mx - side / 2, mx + side / 2, my - side / 2, my + side / 2];
  }
  const extent = Math.max(x1 - x0, y1 - y0);
  const m = extent * 0.05;
  const fs = extent / 30;
  svg.setAttribute('viewBox', `${x0 - m} ${y0 - m} ${x1 - x0 + 2 * m} ${y1 - y0 + 2 * m}`);
  const parts: Array<SVGElement> = [];
  const hatch = svgEl(
    'pattern',
    {
      id: 'rf-hatch',
      patternUnits: 'userSpaceOnUse',
      width: fs * 0.7,
      height: fs * 0.7,
      patternTransform: 'rotate(45)',
    },
    svgEl('rect', { width: fs * 0.7, height: fs * 0.7, fill: '#f1f5f9' }),
    svgEl('line', { x1: 0, y1: 0, x2: 0, y2: fs * 0.7, stroke: '#cbd5e1', 'stroke-width': fs * 0.25 }),
  );
  parts.push(svgEl('defs', null, hatch));
  parts.push(
    svgEl('rect', {
      class: 'rf-outside',
      x: x0 - m,
      y: y0 - m,
      width: x1 - x0 + 2 * m,
      height: y1 - y0 + 2 * m,
      fill: 'url(#rf-hatch)',
    }),
  );
  const image = app.model.image;
  if (image) {
    parts.push(
      svgEl('image', {
        class: 'rf-image',
        href: image.dataUrl,
        x: 0,
        y: 0,
        width: W,
        height: H,
        preserveAspectRatio: 'none',
      }),
    );
  } else {
    parts.push(svgEl('rect', { class: 'rf-image', x: 0, y: 0, width: W, height: H, fill: '#ffffff' }));
    // Zoomed in close, the grid shows single pixels.
    const step = extent <= 48 ? 1 : gridStep(extent);
    const from = (lo: number) => Math.max(step, Math.ceil(lo / step) * step);
    for (let v = from(x0); v < Math.min(W, x1); v += step)
      parts.push(svgEl('line', { class: 'rf-grid', x1: v, y1: Math.max(0, y0), x2: v, y2: Math.min(H, y1) }));
    for (let v = from(y0); v < Math.min(H, y1); v += step)
      parts.push(svgEl('line', { class: 'rf-grid', x1: Math.max(0, x0), y1: v, x2: Math.min(W, x1), y2: v }));
  }
  parts.push(svgEl('rect', { class: 'rf-input', x: 0, y: 0, width: W, height: H }));
  const centre = (u: [number, number]) => {
    const b = rfBox(n, u);
    return [b.x + b.width / 2, b.y + b.height / 2] as const;
  };
  for (let i = r - 3; i <= r + 3; i++) {
    for (let j = c - 3; j <= c + 3; j++) {
      if (!inside(i, 0) || !inside(j, 1)) continue;
      const [cx, cy] = centre([i, j]);
      parts.push(svgEl('circle', { class: 'rf-lattice', cx, cy, r: fs * 0.16 }));
    }
  }
  const rect = (cls: string, b: { x: number; y: number; width: number; height: number }) =>
    svgEl('rect', { class: cls, x: b.x, y: b.y, width: b.width, height: b.height });
  if (right) parts.push(rect('rf-neighbour right', rfBox(n, right)));
  if (below) parts.push(rect('rf-neighbour below', rfBox(n, below)));
  parts.push(rect('rf-box', box));
  const [cx, cy] = centre([r, c]);
  parts.push(svgEl('circle', { class: 'rf-centre', cx, cy, r: fs * 0.32 }));
  const label = (x: number, y: number, text: string, cls: string) =>
    svgEl('text', { class: cls, x, y, 'font-size': fs }, text);
  parts.push(
    label(
      box.x + fs * 0.3,
      box.y - fs * 0.35,
      `${formatNumber(box.height)} × ${formatNumber(box.width)} px`,
      'rf-label',
    ),
  );
  if (right) {
    const [nx] = centre(right);
    parts.push(svgEl('line', { class: 'rf-stride', x1: cx, y1: cy, x2: nx, y2: cy }));
    parts.push(label(Math.min(cx, nx), cy - fs * 0.5, `stride ${formatNumber(n.stride![1])}`, 'rf-label small'));
  }
  svg.replaceChildren(...parts);
  renderRfReadout(app, box, right, zoomed);
}

/** The sentence under the drawing: which input pixels the unit sees, and how much neighbours overlap. */
export function renderRfReadout(
  app: App,
  box: { x: number; y: number; width: number; height: number },
  right: [number, number] | null,
  zoomed: boolean,
): void {
  const n = app.byName.get(app.selected!)!;
  const [r, c] = app.unit;
  const [H, W] = app.model.inputSize ?? [224, 224];
  const ref = app.model.reference ?? 'the input';
  const cy = box.y + (box.height - 1) / 2;
  const cx = box.x + (box.width - 1) / 2;
  const outside = box.x < 0 || box.y < 0 || box.x + box.width > W || box.y + box.height > H;
  const overlap = box.width - n.stride![1];
  byId('rf-readout').replaceChildren(
    `Unit (${r}, ${c}) of `,
    h('b', null, n.name),
    ` sees rows ${formatNumber(box.y)} … ${formatNumber(box.y + box.height - 1)} and columns ${formatNumber(box.x)} … ${formatNumber(box.x + box.width - 1)} of ${ref}, centred on (${formatNumber(cy)}, ${formatNumber(cx)}).`,
    right ? ` Its neighbour's window (dashed) starts ${formatNumber(n.stride![1])} px further: ` : ' ',
    right ? (overlap > 0 ? `they overlap by ${formatNumber(overlap)} px.` : `they do not overlap.`) : '',
    outside
      ? ' The hatched part lies outside the image: there the net sees only padding (zeros, i.e. the mean colour after mean subtraction).'
      : '',
    zoomed ? ' (Zoomed in: the window is small next to the input.)' : '',
    app.model.inputSize ? '' : ' No input size was given: the grid is a nominal 224 × 224 input.',
    ' Click the drawing to pick the unit centred nearest.',
  );
}
