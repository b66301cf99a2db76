/**
 * The page's script: the source of every client-side function, inlined. The client code is
 * ordinary, type-checked TypeScript under page/ (plus the shared map, drawing and formatting code);
 * at run time we take each exported function's source text. That works because those
 * functions use no imports and no module-level values, only each other, the DOM and `dagre`.
 */
import * as affine from '../affine.js';
import * as draw from '../draw.js';
import * as format from '../format.js';
import * as app from './app.js';
import * as crop from './crop.js';
import * as dom from './dom.js';
import * as graph from './graph.js';
import * as ladder from './ladder.js';
import * as panel from './panel.js';
import * as rf from './rf.js';
import * as search from './search.js';

/** The modules whose exported functions run in the page. */
export function clientModules(): Array<Record<string, unknown>> {
  return [affine, format, draw, dom, app, graph, panel, crop, rf, ladder, search];
}

/** The source of all client functions, then the call that starts the page on the model in `#fcn-model`. */
export function clientScript(): string {
  const seen = new Map<string, string>();
  for (const mod of clientModules()) {
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function') continue;
      const text = value.toString();
      if (!text.startsWith(`function ${name}(`))
        throw new Error(`viz page: ${name} must be a function declaration to be embedded`);
      if (seen.has(name) && seen.get(name) !== text)
        throw new Error(`viz page: two client functions are named ${name}`);
      seen.set(name, text);
    }
  }
  // One closure, so that none of these names leaks into (or collides with) the window's globals.
  return [
    '(function () {',
    '"use strict";',
    // Run from TypeScript sources (tsx/esbuild), function bodies may call esbuild's name helper.
    'var __name = function (fn) { return fn; };',
    ...seen.values(),
    'main(JSON.parse(document.getElementById("fcn-model").textContent));',
    '})();',
  ].join('\n');
}
