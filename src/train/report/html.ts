/**
 * A run's report as one self-contained HTML page (inline CSS, SVG and PNG data URIs; no
 * script, no request): the four metrics, per-class IU, the training curve, and predictions
 * overlaid on val images next to their ground truth. `fcn demo` writes it.
 */
import type { LabelMap, RgbImage } from '../../data/index.js';
import type { EvalResult } from '../../eval/index.js';
import { escapeXml } from '../../viz/draw.js';
import type { LogEntry } from '../log.js';
import { formatDuration } from '../progress.js';
import { trainingCurveSvg } from './curve.js';
import { overlayLabels } from '../../data/overlay.js';
import { classColor, pngDataUri } from './overlay.js';

/** One val image with its truth and the model's prediction. */
export interface ReportExample {
  id: string;
  image: RgbImage;
  truth: LabelMap;
  prediction: LabelMap;
}

export interface RunReport {
  title: string;
  /** One line under the title: what was trained on what. */
  subtitle: string;
  /** Key facts, shown as a definition list (settings, backend, time …). */
  facts: Array<[string, string]>;
  split: string;
  result: EvalResult;
  classNames?: readonly string[];
  log: readonly LogEntry[];
  examples: readonly ReportExample[];
  /** Commands that reproduce the run, shown at the end. */
  commands: readonly string[];
}

const CSS = `
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; max-width: 980px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; } h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
.sub { color: #57606a; margin-top: 0; }
.metrics { display: flex; gap: 1em; flex-wrap: wrap; }
.metric { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5em 1em; min-width: 9em; }
.metric b { display: block; font-size: 1.6em; } .metric.main { border-color: #1f6feb; background: #f0f6ff; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; } dt { color: #57606a; } dd { margin: 0; }
table { border-collapse: collapse; } td, th { padding: 0.25em 0.7em; text-align: left; border-bottom: 1px solid #eaeef2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { height: 0.8em; background: #1f6feb; border-radius: 2px; display: inline-block; vertical-align: middle; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; vertical-align: -0.1em; margin-right: 0.4em; border: 1px solid #0002; }
.examples { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 1em; }
figure { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5em; }
figure .row { display: flex; gap: 4px; } figure .cell { text-align: center; font-size: 0.8em; color: #57606a; }
figure img { width: 88px; height: 88px; image-rendering: pixelated; display: block; }
figcaption { font-size: 0.85em; margin-top: 0.3em; } pre { background: #f6f8fa; padding: 0.7em 1em; border-radius: 6px; overflow-x: auto; }
`;

function pct(v: number): string {
  return Number.isNaN(v) ? '—' : `${(100 * v).toFixed(2)}%`;
}

function metricsHtml(r: EvalResult, split: string): string {
  const m = r.metrics;
  const card = (label: string, v: number, main = false) =>
    `<div class="metric${main ? ' main' : ''}">${label}<b>${pct(v)}</b></div>`;
  return (
    `<p>${r.images} ${escapeXml(split)} images, ${m.pixels.toLocaleString('en-US')} scored pixels (void ignored).</p>` +
    `<div class="metrics">${card('mean IU', m.meanIU, true)}${card('pixel accuracy', m.pixelAccuracy)}${card('mean accuracy', m.meanAccuracy)}${card('frequency-weighted IU', m.fwIU)}</div>`
  );
}

function perClassHtml(r: EvalResult, names: readonly string[] | undefined): string {
  const m = r.metrics;
  const rows = m.perClassIU.map((iu, c) => {
    const name = names?.[c] ?? `class ${c}`;
    const width = Number.isNaN(iu) ? 0 : Math.round(200 * iu);
    return (
      `<tr><td><span class="swatch" style="background:${classColor(c)}"></span>${c} ${escapeXml(name)}</td>` +
      `<td class="num">${pct(iu)}</td><td><span class="bar" style="width:${width}px"></span></td>` +
      `<td class="num">${pct(m.perClassAccuracy[c]!)}</td><td class="num">${m.gtPixels[c]!.toLocaleString('en-US')}</td></tr>`
    );
  });
  return `<table><thead><tr><th>class</th><th>IU</th><th></th><th>accuracy</th><th>truth pixels</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function exampleHtml(e: ReportExample): string {
  const cell = (label: string, img: RgbImage) =>
    `<div class="cell"><img alt="${label} ${escapeXml(e.id)}" src="${pngDataUri(img)}">${label}</div>`;
  return (
    `<figure><div class="row">${cell('image', e.image)}${cell('truth', overlayLabels(e.image, e.truth))}${cell('prediction', overlayLabels(e.image, e.prediction))}</div>` +
    `<figcaption>${escapeXml(e.id)}</figcaption></figure>`
  );
}

/** Renders the report page. */
export function renderRunReport(r: RunReport): string {
  const facts = r.facts.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('');
  const last = [...r.log].reverse().find((e) => e.type === 'iter');
  const time = last ? ` over ${formatDuration(last.time)}` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeXml(r.title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeXml(r.title)}</h1>
<p class="sub">${escapeXml(r.subtitle)}</p>
<h2>Scores on ${escapeXml(r.split)}</h2>
${metricsHtml(r.result, r.split)}
<h2>Per-class IU</h2>
${perClassHtml(r.result, r.classNames)}
<h2>Training curve</h2>
<p>Training loss (blue: each step faint, moving average solid) and ${escapeXml(r.split)} mean IU at each evaluation (red)${time}.</p>
${trainingCurveSvg(r.log)}
<h2>Predictions on ${escapeXml(r.split)} images</h2>
<div class="examples">${r.examples.map(exampleHtml).join('')}</div>
<h2>Run</h2>
<dl>${facts}</dl>
<p>Reproduce:</p>
<pre>${r.commands.map(escapeXml).join('\n')}</pre>
</body></html>
`;
}
