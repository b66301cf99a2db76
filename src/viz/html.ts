/**
 * `fcn viz` as one self-contained HTML file: the model as JSON, the dagre bundle from
 * node_modules and the client script inlined, every style inline, and a Content-Security-Policy
 * that forbids any request, so the page works offline and never phones home.
 * The graph is laid out in the browser, because there the node sizes come from measuring the
 * labels in the fonts the browser actually has.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { arrowMarker, escapeXml } from './draw.js';
import { formatCountShort } from './format.js';
import type { VizModel } from './model.js';
import { clientScript, pageCss } from './page/index.js';

/** dagre's browser build (an IIFE defining the global `dagre`, graphlib included), with its licence. */
export function dagreBundle(): string {
  const pkgFile = createRequire(import.meta.url).resolve('@dagrejs/dagre/package.json');
  const dist = join(dirname(pkgFile), 'dist');
  const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  const code = readFileSync(join(dist, 'dagre.min.js'), 'utf8').replace(/\/\/# sourceMappingURL=\S*\s*$/, '');
  const licence = readFileSync(join(dist, 'dagre.min.js.LEGAL.txt'), 'utf8').replace(/\*\//g, '* /');
  return `/* @dagrejs/dagre ${version}\n${licence}\n*/\n${code}`;
}

/** Makes text safe inside a <script> element. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** The legend overlay: one swatch per stride in the net, the crop chip, and the dashed size edge. */
function legendHtml(model: VizModel): string {
  const swatches = model.legend
    .map(
      (e) =>
        `<span class="sw" style="background:${e.fill};border-color:${e.stroke};color:${e.stroke}">${escapeXml(e.label)}</span>`,
    )
    .join('');
  return (
    `<div class="overlay legend" id="legend"><div class="row"><b>Effective stride</b>${swatches}</div>` +
    `<div class="row"><span class="chip">offset</span> inferred crop offset (click it) · <span class="dash"></span> a crop's reference: only its size is used</div></div>`
  );
}

/** The short guide for newcomers: what the colours, strides, fields, offsets and the pad 100 mean. */
function guideHtml(): string {
  return `<section class="card guide" id="guide"><h2>How to read this page</h2>
<p>Each box is a layer; it produces one blob of the same name. Arrows carry blobs, labelled <code>channels×height×width</code> when an input size is given. Click any box.</p>
<dl>
<dt>Effective stride (the colours)</dt>
<dd>How many input pixels apart two neighbouring units of a blob are. Each 2×2 pooling doubles it; an upsampling (deconvolution) by f divides it by f. FCN-8s goes down to 32 and back up to 1.</dd>
<dt>Receptive field and effective padding</dt>
<dd>The window of input pixels that one unit sees, and how far before the image's first pixel the window of unit 0 starts. The receptive-field view draws them on the input.</dd>
<dt>Crop offsets (the amber chips)</dt>
<dd>A skip adds two score maps of the same stride that cover the image with different margins. The crop cuts the larger one so that pixel <i>i</i> of both looks at the same place. Nobody writes these numbers: the compiler composes each layer's coordinate map <code>input = a·x + b</code> along both paths back to a common ancestor, and the offset is the difference of the two shifts. Click a chip to see the sum.</dd>
<dt>Why pad conv1 by 100?</dt>
<dd>In the VGG16 FCNs, fc6 is a 7×7 convolution on a stride-32 map. Without extra padding, an image smaller than 193 pixels would leave nothing for it. Padding conv1_1 by 100 pixels makes every input size work; the price is a larger output, shifted against the image. The final crop undoes that shift: click its chip to see the 100 at work, next to the kernel centres of the pools, of fc6 and of the upsamplings.</dd>
</dl></section>`;
}

/** The page's two scripts: dagre and the client. Node reads them from node_modules and the client modules; the playground's browser bundle is handed them by the page that carries it. */
export interface PageScripts {
  dagre: string;
  client: string;
}

/** The scripts for a page rendered in Node. */
export function pageScripts(): PageScripts {
  return { dagre: dagreBundle(), client: clientScript() };
}

/** The whole page for a model. */
export function renderHtml(model: VizModel, scripts: PageScripts = pageScripts()): string {
  const input = model.inputs.find((i) => i.name === model.reference) ?? model.inputs[0];
  const stats = [
    input ? `<li><b>${input.shape.map((v) => v ?? '?').join('×')}</b> input</li>` : '',
    `<li><b>${formatCountShort(model.totals.params)}</b> params</li>`,
    model.totals.flops === null ? '' : `<li><b>${formatCountShort(model.totals.flops)}</b> FLOPs</li>`,
    `<li><b>${model.nodes.filter((n) => n.type !== 'input' && n.type !== 'missing').length}</b> layers</li>`,
    `<li><b>${model.crops.length}</b> crop${model.crops.length === 1 ? '' : 's'}</li>`,
  ].join('');
  const warnings = model.warnings.length
    ? `<section class="card warnings"><h2>Compiler warnings</h2><pre>${escapeXml(model.warnings.join('\n\n'))}</pre></section>`
    : '';
  const errors = model.errors.length
    ? `<section class="card errors"><h2>Compiler errors</h2><p class="hint">The net is drawn as far as the compiler got; the layers in red carry these errors.</p><pre>${escapeXml(model.errors.join('\n\n'))}</pre></section>`
    : '';
  const json = JSON.stringify(model).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="generator" content="fcn viz">
<title>${escapeXml(model.net)} · fcn viz</title>
<style>${pageCss()}</style>
</head>
<body>
<header class="top">
<div class="title"><span class="brand">fcn viz</span><h1>${escapeXml(model.net)}</h1><span class="file">${escapeXml(model.file)}</span></div>
<ul class="stats">${stats}</ul>
<div class="search-box"><input id="search" type="search" placeholder="Find a layer   ( / )" autocomplete="off" spellcheck="false" aria-label="Find a layer"><ul id="search-results" role="listbox" hidden></ul></div>
</header>
<main>
<section id="graph-pane">
<svg id="graph" xmlns="http://www.w3.org/2000/svg"><defs>${arrowMarker()}</defs><g id="viewport"></g></svg>
${legendHtml(model)}
<div class="overlay zoom"><button id="zoom-out" title="zoom out (−)">−</button><span id="zoom-level"></span><button id="zoom-in" title="zoom in (+)">+</button><button id="zoom-fit" title="show everything (0)">fit</button></div>
<p class="pane-hint">drag or scroll to pan · Ctrl+scroll or + − to zoom · click a layer</p>
</section>
<aside id="side">
${errors}
${warnings}
<section class="card" id="crop" hidden></section>
<section class="card" id="blob"></section>
<section class="card" id="rf"></section>
<section class="card" id="ladder"><h2>Stride ladder</h2><p class="hint">Columns are effective strides. The top row is the trunk, pooling to the right. Each row below fuses maps (⊕) or crops one (■): upsampled maps come in from the right, skips drop down from the trunk (dashed) through their crop.</p><div class="ladder-scroll"><svg id="ladder-svg" xmlns="http://www.w3.org/2000/svg"></svg></div></section>
${guideHtml()}
</aside>
</main>
<script type="application/json" id="fcn-model">${json}</script>
<script>${scriptSafe(scripts.dagre)}</script>
<script>${scriptSafe(scripts.client)}</script>
</body>
</html>
`;
}
