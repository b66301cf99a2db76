/**
 * The playground as files: one self-contained index.html (the browser bundle built by
 * `npm run build`, the nets of nets/, dagre and the viz page's client, all inline), under a
 * Content-Security-Policy that forbids every request, so it works offline from a file:// URL or
 * any static server. `fcn playground -o DIR` writes it with a marker; `--serve` serves it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scriptSafe, pageScripts } from '../viz/html.js';
import type { PlaygroundAssets } from './assets.js';
import { playgroundCss } from './style.js';

/** The marker file of a playground directory (src/util/output.ts). */
export const PLAYGROUND_MARKER = 'fcn-playground.json';

/** The net the playground opens with. */
export const START_NET = 'voc-fcn8s.fcn';

const bundleUrl = new URL('./app.js', import.meta.url);
const netsUrl = new URL('../../nets/', import.meta.url);

/** The browser bundle, or undefined when `npm run build` has not made it. */
export function playgroundBundle(): string | undefined {
  const path = fileURLToPath(bundleUrl);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** The .fcn files of the package's nets/ folder, by their path in the page (`/nets/x.fcn`). */
export function packagedNets(): Record<string, string> {
  const dir = fileURLToPath(netsUrl);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.fcn'))
    .sort();
  return Object.fromEntries(names.map((f) => [`/nets/${f}`, readFileSync(`${dir}${f}`, 'utf8')]));
}

/** The page, given the bundle. */
export function renderPlayground(bundle: string, nets: Record<string, string> = packagedNets()): string {
  const start = `/nets/${START_NET}`;
  const assets: PlaygroundAssets = { nets, start: start in nets ? start : Object.keys(nets)[0]!, ...pageScripts() };
  const json = JSON.stringify(assets).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-src 'self' about:">
<meta name="generator" content="fcn playground">
<title>fcn playground</title>
<style>${playgroundCss()}</style>
</head>
<body>
<header class="bar">
<span class="brand">fcn playground</span>
<label>file <select id="file" aria-label="net file"></select></label>
<label title="input size for shapes and FLOPs when the net declares none">input <input id="size" value="500x500" size="9" spellcheck="false" aria-label="input size"></label>
<span id="status" role="status"></span>
</header>
<main>
<section id="left">
<div id="editor"></div>
<section id="problems" data-errors="0"><h2>Problems</h2><pre id="problem-list"></pre></section>
</section>
<section id="right">
<section id="offsets"><h2>Crop offsets <span class="stale-note">(last good version)</span></h2><ul id="offset-list"></ul></section>
<iframe id="viz" title="fcn viz of the net"></iframe>
</section>
</main>
<script type="application/json" id="fcn-assets">${json}</script>
<script>${scriptSafe(bundle)}</script>
</body>
</html>
`;
}
