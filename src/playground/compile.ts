/**
 * One round of the playground, as a pure function of the files: `fcn check`'s diagnostics for
 * the file being edited (those found in an import placed at its import line, as the language
 * server does), and, when there is no error, the `fcn viz` page of its last net. Runs in the
 * browser bundle and, for tests, in Node.
 */
import { checkFiles } from '../compiler/check.js';
import { compileFile } from '../compiler/compile.js';
import type { Pair } from '../compiler/layers/types.js';
import { hasErrors, renderDiagnostic, type Diagnostic } from '../diagnostics/index.js';
import { parse } from '../parser/index.js';
import { toVizModel } from '../viz/adapter.js';
import { renderHtml, type PageScripts } from '../viz/html.js';
import type { VizModel } from '../viz/model.js';

export interface PlaygroundDiagnostic {
  /** Offsets into the edited file's text. */
  from: number;
  to: number;
  severity: Diagnostic['severity'];
  code: string;
  /** The message with its help, as an editor shows it. */
  message: string;
  /** `fcn check`'s rendering (the code frame), for the problems list. */
  rendered: string;
}

export interface PlaygroundRound {
  diagnostics: PlaygroundDiagnostic[];
  /** The net drawn, and the page, when the file has no error. */
  model?: VizModel;
  html?: string;
  /** The input size analysed, and whether the net declares it. */
  size?: Pair;
  declared?: boolean;
}

/** Where an import's diagnostic shows in the importing file: its first import, else the start. */
function importRange(text: string, path: string): [number, number] {
  const imp = parse(text, path).document.items.find((i) => i.kind === 'Import');
  return imp ? [imp.span.start, imp.span.end] : [0, 0];
}

function toPlayground(d: Diagnostic, path: string, text: string): PlaygroundDiagnostic {
  const rendered = renderDiagnostic(d, { color: false });
  const message = `${d.message}${d.help ? `\nhelp: ${d.help}` : ''}`;
  if (d.span && d.span.source.name === path) {
    return {
      from: d.span.start,
      to: Math.max(d.span.end, d.span.start),
      severity: d.severity,
      code: d.code,
      message,
      rendered,
    };
  }
  const [from, to] = importRange(text, path);
  const where = d.span
    ? `in ${d.span.source.name.replace(/^\//, '')}:${d.span.source.location(d.span.start).line}: `
    : '';
  return { from, to, severity: d.severity, code: d.code, message: `${where}${message}`, rendered };
}

/**
 * The viz page made ready for the playground's frame: a `srcdoc` document's URL is
 * `about:srcdoc`, but relative URLs resolve against the playground's own, so the page's
 * `history.replaceState('#blob')` would name another document and throw. A `<base>` of
 * `about:srcdoc` keeps the fragment on the frame; `hash` (the frame's selection before the
 * redraw) is put back before the page starts, so a redraw keeps the selected blob.
 */
export function framePage(html: string, hash = ''): string {
  const keep = /^#[^<]*$/.test(hash) ? `<script>history.replaceState(null, '', ${JSON.stringify(hash)})</script>` : '';
  return html.replace('<head>', `<head>\n<base href="about:srcdoc">${keep}`);
}

/** Checks the file at `path` among `files` and, if it has no error, draws its last net at `size` (unless the net declares one). */
export function playgroundRound(
  files: Record<string, string>,
  path: string,
  size: Pair,
  scripts: PageScripts,
): PlaygroundRound {
  const text = files[path] ?? '';
  const found = checkFiles([path], { files }).diagnostics.map((d) => d.diagnostic);
  const diagnostics = found.map((d) => toPlayground(d, path, text));
  if (hasErrors(found)) return { diagnostics };
  const declared = compileFile(path, { files });
  if (!declared.analysis) return { diagnostics };
  const isDeclared = declared.analysis.shapes.input !== null;
  const compiled = isDeclared ? declared : compileFile(path, { files, input: size });
  if (!compiled.analysis || hasErrors(compiled.diagnostics)) return { diagnostics };
  const model = toVizModel(compiled);
  return {
    diagnostics,
    model,
    html: renderHtml(model, scripts),
    size: (compiled.analysis.shapes.input ?? size) as Pair,
    declared: isDeclared,
  };
}
