/**
 * The graph pane (client side): layout with the inlined dagre, drawing with the same markup as
 * the static SVG, pan and zoom, focus, and the highlighting of the selection and crop paths.
 */
import { cssFont, graphMarkup, layoutGraph, type DagreLib, type Measure } from '../draw.js';
import type { App } from './app.js';
import { selectBlob } from './app.js';
import { byId } from './dom.js';

/** The dagre bundle inlined into the page defines this global. */
declare const dagre: DagreLib;

/** Measures text with a canvas, in the fonts the SVG uses. */
export function canvasMeasure(): Measure {
  const ctx = document.createElement('canvas').getContext('2d')!;
  return (text, role) => {
    ctx.font = cssFont(role);
    return ctx.measureText(text).width;
  };
}

/** Lays out and draws the graph, with a tooltip per node, and wires clicks to the selection. */
export function renderGraph(app: App): void {
  const layout = layoutGraph(dagre, app.model, canvasMeasure());
  app.layout = layout;
  const viewport = byId('viewport') as unknown as SVGGElement;
  viewport.innerHTML = graphMarkup(app.model, layout);
  for (const g of Array.from(viewport.querySelectorAll<SVGGElement>('g.node'))) {
    const n = app.byName.get(g.dataset.name!)!;
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    const shape = n.shape ? n.shape.map((v) => (v === null ? '?' : v)).join('×') : '–';
    title.textContent =
      `${n.name} (${n.type})\nshape ${shape}` +
      (n.stride ? `\nstride ${n.stride.join('×')} · RF ${n.rf!.join('×')}` : '') +
      (n.errors ?? []).map((e) => `\nerror: ${e}`).join('');
    g.prepend(title);
  }
}

/** Applies the current pan and zoom. */
export function applyView(app: App): void {
  const { x, y, k } = app.view;
  byId('viewport').setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)}) scale(${k.toFixed(4)})`);
  byId('zoom-level').textContent = `${Math.round(k * 100)}%`;
}

/** Zooms by `factor` around the pane point (px, py). */
export function zoomAt(app: App, factor: number, px: number, py: number): void {
  const v = app.view;
  const k = Math.min(3, Math.max(0.08, v.k * factor));
  v.x = px - ((px - v.x) * k) / v.k;
  v.y = py - ((py - v.y) * k) / v.k;
  v.k = k;
  applyView(app);
}

/** Shows the whole graph. */
export function fitGraph(app: App): void {
  const pane = byId('graph').getBoundingClientRect();
  const l = app.layout!;
  const k = Math.min(1.2, pane.width / l.width, pane.height / l.height);
  app.view = { k, x: (pane.width - l.width * k) / 2, y: (pane.height - l.height * k) / 2 };
  applyView(app);
}

/** Keeps a view from showing empty space beyond the graph's edges where the graph could fill the pane. */
export function clampView(app: App, v: { x: number; y: number; k: number }): { x: number; y: number; k: number } {
  const pane = byId('graph').getBoundingClientRect();
  const l = app.layout!;
  const axis = (pos: number, size: number, extent: number) => {
    const scaled = extent * v.k;
    if (scaled <= size) return Math.min(Math.max(pos, 0), size - scaled);
    // Room at the far end, so that the last nodes clear the legend.
    return Math.min(0, Math.max(pos, size - scaled - 90));
  };
  return { k: v.k, x: axis(v.x, pane.width, l.width), y: axis(v.y, pane.height, l.height) };
}

/** Pans (with a short animation) so that the node sits in the middle of the pane, at a readable zoom. */
export function focusNode(app: App, name: string): void {
  const box = app.layout!.nodes.find((b) => b.name === name);
  if (!box) return;
  const pane = byId('graph').getBoundingClientRect();
  const k = Math.max(app.view.k, 0.85);
  const target = clampView(app, {
    k,
    x: pane.width / 2 - (box.x + box.width / 2) * k,
    y: pane.height / 2 - (box.y + box.height / 2) * k,
  });
  const start = { ...app.view };
  const t0 = performance.now();
  const step = (t: number) => {
    const u = Math.min(1, (t - t0) / 250);
    const e = u * (2 - u);
    app.view = {
      x: start.x + (target.x - start.x) * e,
      y: start.y + (target.y - start.y) * e,
      k: start.k + (target.k - start.k) * e,
    };
    applyView(app);
    if (u < 1) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

/** Pan by dragging, Ctrl/⌘+wheel or pinch to zoom, wheel to scroll, buttons and keys; a click without drag selects. */
export function initZoom(app: App): void {
  const svg = byId('graph');
  let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | null = null;
  svg.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, vx: app.view.x, vy: app.view.y, moved: false };
  });
  window.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) svg.setPointerCapture?.(e.pointerId);
    drag.moved = true;
    svg.classList.add('dragging');
    app.view.x = drag.vx + dx;
    app.view.y = drag.vy + dy;
    applyView(app);
  });
  window.addEventListener('pointerup', (e) => {
    const d = drag;
    drag = null;
    svg.classList.remove('dragging');
    if (!d || d.moved) return;
    const target = e.target as Element;
    const chip = target.closest?.('g.chip');
    const node = target.closest?.('g.node') as SVGGElement | null;
    if (!node) return;
    selectBlob(app, node.dataset.name!, false);
    // The offset chip asks "why this offset?": bring its explanation into view.
    if (chip) byId('crop').scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
  svg.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      if (e.ctrlKey || e.metaKey) zoomAt(app, Math.exp(-e.deltaY * 0.01), e.clientX - r.left, e.clientY - r.top);
      else {
        app.view.x -= e.deltaX;
        app.view.y -= e.deltaY;
        applyView(app);
      }
    },
    { passive: false },
  );
  const centre = () => {
    const r = svg.getBoundingClientRect();
    return [r.width / 2, r.height / 2] as const;
  };
  byId('zoom-in').addEventListener('click', () => zoomAt(app, 1.25, ...centre()));
  byId('zoom-out').addEventListener('click', () => zoomAt(app, 0.8, ...centre()));
  byId('zoom-fit').addEventListener('click', () => fitGraph(app));
  window.addEventListener('keydown', (e) => {
    if ((e.target as Element).closest?.('input')) return;
    if (e.key === '+' || e.key === '=') zoomAt(app, 1.25, ...centre());
    else if (e.key === '-') zoomAt(app, 0.8, ...centre());
    else if (e.key === '0') fitGraph(app);
  });
  applyView(app);
}

/** Highlights the selected node, its edges, and for a crop both paths to the common ancestor. */
export function markSelection(app: App): void {
  const root = byId('viewport');
  for (const el of Array.from(root.querySelectorAll('.selected, .path-a, .path-b, .ancestor, .near'))) {
    el.classList.remove('selected', 'path-a', 'path-b', 'ancestor', 'near');
  }
  const name = app.selected;
  if (!name) return;
  const nodeEl = (n: string) => root.querySelector(`g.node[data-name="${CSS.escape(n)}"]`);
  const edgeEls = (from: string, to: string) =>
    Array.from(root.querySelectorAll(`g.edge[data-from="${CSS.escape(from)}"][data-to="${CSS.escape(to)}"]`));
  nodeEl(name)?.classList.add('selected');
  for (const e of Array.from(
    root.querySelectorAll(`g.edge[data-from="${CSS.escape(name)}"], g.edge[data-to="${CSS.escape(name)}"]`),
  )) {
    e.classList.add('near');
  }
  const n = app.byName.get(name)!;
  if (n.crop === undefined) return;
  const crop = app.model.crops[n.crop]!;
  const ancestor = crop.ancestor;
  if (ancestor === null) return;
  nodeEl(ancestor)?.classList.add('ancestor');
  crop.paths.forEach((path, i) => {
    const cls = i === 0 ? 'path-a' : 'path-b';
    let prev = ancestor;
    for (const s of path.steps) {
      nodeEl(s.layer)?.classList.add(cls);
      for (const e of edgeEls(prev, s.layer)) e.classList.add(cls);
      prev = s.layer;
    }
    for (const e of edgeEls(prev, crop.name)) e.classList.add(cls);
  });
}
