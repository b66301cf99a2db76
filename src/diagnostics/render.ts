import pc from 'picocolors';
import type { Diagnostic } from './diagnostic.js';
import type { Span } from './span.js';

export interface RenderOptions {
  color?: boolean;
}

/** `file:line:col` of a span's start. */
export function formatLocation(span: Span): string {
  const { line, column } = span.source.location(span.start);
  return `${span.source.name}:${line}:${column}`;
}

/**
 * Renders a diagnostic rustc-style:
 *
 *     error[unknown-layer-type]: unknown layer type 'cnov'
 *      --> nets/x.fcn:3:10
 *       |
 *     3 |   conv1: cnov { out: 8 }
 *       |          ^^^^
 *       = help: did you mean 'conv'?
 */
export function renderDiagnostic(d: Diagnostic, options: RenderOptions = {}): string {
  const c = options.color ? pc : pc.createColors(false);
  const paint = d.severity === 'error' ? c.red : d.severity === 'warning' ? c.yellow : c.cyan;
  const out: string[] = [`${paint(c.bold(`${d.severity}[${d.code}]`))}${c.bold(`: ${d.message}`)}`];
  if (d.span) out.push(...frame(d.span, paint, c));
  if (d.help) out.push(`${c.blue('   = help:')} ${d.help}`);
  for (const note of d.notes ?? []) {
    out.push(`${c.cyan('note:')} ${note.message}`);
    if (note.span) out.push(...frame(note.span, c.cyan, c));
  }
  return out.join('\n');
}

function frame(span: Span, paint: (s: string) => string, c: ReturnType<typeof pc.createColors>): string[] {
  const start = span.source.location(span.start);
  const end = span.source.location(Math.max(span.start, span.end - 1));
  const text = span.source.lineText(start.line);
  const gutter = String(start.line).length;
  const pad = ' '.repeat(gutter);
  const width =
    end.line === start.line ? Math.max(1, end.column - start.column + 1) : Math.max(1, text.length - start.column + 1);
  const expanded = text.replace(/\t/g, '    ');
  const lead = text.slice(0, start.column - 1).replace(/\t/g, '    ').length;
  return [
    `${pad}${c.blue('-->')} ${formatLocation(span)}`,
    `${pad} ${c.blue('|')}`,
    `${c.blue(String(start.line))} ${c.blue('|')} ${expanded}`,
    `${pad} ${c.blue('|')} ${' '.repeat(lead)}${paint('^'.repeat(width))}`,
  ];
}

/** Renders several diagnostics with a closing summary line. */
export function renderDiagnostics(ds: readonly Diagnostic[], options: RenderOptions = {}, dropped = 0): string {
  const parts = ds.map((d) => renderDiagnostic(d, options));
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.filter((d) => d.severity === 'warning').length;
  const summary: string[] = [];
  if (errors) summary.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) summary.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  if (dropped) summary.push(`${dropped} more not shown`);
  if (summary.length) parts.push(summary.join(', '));
  return parts.join('\n\n');
}

/** The `--json` form of a diagnostic (what `diagnosticToJson` returns). */
export type DiagnosticJson = ReturnType<typeof diagnosticToJson>;

/** The `--json` form of a diagnostic: `{file, line, column, endLine, endColumn, severity, code, message}`. */
export function diagnosticToJson(d: Diagnostic) {
  const s = d.span;
  const start = s ? s.source.location(s.start) : undefined;
  const end = s ? s.source.location(s.end) : undefined;
  return {
    file: s?.source.name ?? null,
    line: start?.line ?? null,
    column: start?.column ?? null,
    endLine: end?.line ?? null,
    endColumn: end?.column ?? null,
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.help ? { help: d.help } : {}),
    ...(d.notes?.length
      ? {
          notes: d.notes.map((n) => ({
            message: n.message,
            ...(n.span ? { file: n.span.source.name, ...n.span.source.location(n.span.start) } : {}),
          })),
        }
      : {}),
  };
}
