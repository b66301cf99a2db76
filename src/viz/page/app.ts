/**
 * The page's entry point and selection state (client side; embedded by page/embed.ts, so no
 * imports at run time and no module-level values).
 */
import type { GraphLayout } from '../draw.js';
import type { VizModel, VizNode } from '../model.js';
import { focusNode, initZoom, markSelection, renderGraph } from './graph.js';
import { renderBlobPanel } from './panel.js';
import { renderCropPanel } from './crop.js';
import { centreUnit, renderRf } from './rf.js';
import { markLadder, renderLadder } from './ladder.js';
import { initSearch } from './search.js';

/** Everything the page's functions share. */
export interface App {
  model: VizModel;
  byName: Map<string, VizNode>;
  /** For each blob, the layers that read it. */
  consumers: Map<string, string[]>;
  layout: GraphLayout | null;
  /** The graph's pan and zoom: screen = k·graph + (x, y). */
  view: { x: number; y: number; k: number };
  selected: string | null;
  /** The unit [row, col] of the selected blob shown in the receptive-field view. */
  unit: [number, number];
}

/** Starts the page on the embedded model. */
export function main(model: VizModel): void {
  const consumers = new Map<string, string[]>(model.nodes.map((n) => [n.name, []]));
  for (const n of model.nodes) for (const i of n.inputs) consumers.get(i)?.push(n.name);
  const app: App = {
    model,
    byName: new Map(model.nodes.map((n) => [n.name, n])),
    consumers,
    layout: null,
    view: { x: 0, y: 0, k: 1 },
    selected: null,
    unit: [0, 0],
  };
  renderGraph(app);
  renderLadder(app);
  initZoom(app);
  initSearch(app);
  window.addEventListener('hashchange', () => {
    const name = blobFromHash(app);
    if (name && name !== app.selected) selectBlob(app, name, true);
  });
  selectBlob(app, blobFromHash(app) ?? defaultBlob(model), true);
  document.body.classList.add('ready');
}

/** The blob named by the URL's fragment (`page.html#vgg.pool5`), if it exists. */
export function blobFromHash(app: App): string | null {
  const name = decodeURIComponent(location.hash.slice(1));
  return app.byName.has(name) ? name : null;
}

/** What the page shows first: the first layer with an error, else the last crop (the one that answers "why 31?"), else the last blob. */
export function defaultBlob(model: VizModel): string {
  const broken = model.nodes.find((n) => n.errors?.length);
  if (broken) return broken.name;
  const crop = model.crops[model.crops.length - 1];
  return crop ? crop.name : model.nodes[model.nodes.length - 1]!.name;
}

/** Selects a blob: highlights it and fills the panels; `focus` pans the graph to it. */
export function selectBlob(app: App, name: string, focus: boolean): void {
  app.selected = name;
  app.unit = centreUnit(app.byName.get(name)!);
  markSelection(app);
  markLadder(app);
  renderBlobPanel(app);
  renderCropPanel(app);
  renderRf(app);
  if (focus) focusNode(app, name);
  const hash = '#' + encodeURIComponent(name);
  if (location.hash !== hash) history.replaceState(null, '', hash);
}
