/**
 * `fcn viz` as a library call: a compiled net (with an optional image for the receptive-field
 * view) drawn as an offline HTML page, SVG, DOT or the JSON model. Each writer is loaded only
 * when chosen.
 */
import type { Compilation } from '../compiler/compile.js';
import { UserError } from '../diagnostics/index.js';
import { toVizModel } from './adapter.js';
import type { VizImage, VizModel } from './model.js';

/** The formats `drawNet` writes. */
export const VIZ_FORMATS = ['html', 'svg', 'dot', 'json'] as const;
export type VizFormat = (typeof VIZ_FORMATS)[number];

/** The format asked for, else the one the output's extension names (`.htm` and `.gv` too), else html. */
export function vizFormat(format: string | undefined, output: string): VizFormat {
  if (format !== undefined) {
    const f = format.toLowerCase();
    if (!(VIZ_FORMATS as readonly string[]).includes(f))
      throw new UserError(`--format expects one of ${VIZ_FORMATS.join(', ')}, got '${format}'`, 2);
    return f as VizFormat;
  }
  const ext = /\.([^./\\]*)$/.exec(output)?.[1]?.toLowerCase() ?? '';
  if (ext === 'htm') return 'html';
  if (ext === 'gv') return 'dot';
  return (VIZ_FORMATS as readonly string[]).includes(ext) ? (ext as VizFormat) : 'html';
}

/** Renders a visualisation model in a format, loading only that writer. */
export async function renderViz(model: VizModel, format: VizFormat): Promise<string> {
  switch (format) {
    case 'html':
      return (await import('./html.js')).renderHtml(model);
    case 'svg':
      return (await import('./svg.js')).renderSvg(model);
    case 'dot':
      return (await import('./dot.js')).renderDot(model);
    case 'json':
      return JSON.stringify(model, null, 2) + '\n';
  }
}

/** Draws a compiled net: its visualisation model and the text of the page (or SVG, DOT, JSON). */
export async function drawNet(
  compiled: Compilation,
  options: { format?: VizFormat; image?: VizImage } = {},
): Promise<{ model: VizModel; text: string }> {
  const model = toVizModel(compiled, options.image);
  return { model, text: await renderViz(model, options.format ?? 'html') };
}
