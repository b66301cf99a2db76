/**
 * The compiler's places and diagnostics as the protocol's. A span's line and column come from
 * its own Source (JavaScript string offsets, which are UTF-16 units, as LSP positions are).
 */
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Location, type Range } from 'vscode-languageserver';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Span } from '../diagnostics/span.js';

/** The range of a span. */
export function spanRange(span: Span): Range {
  const start = span.source.location(span.start);
  const end = span.source.location(span.end);
  return {
    start: { line: start.line - 1, character: start.column - 1 },
    end: { line: end.line - 1, character: end.column - 1 },
  };
}

/** A span as a location (its source's name is an absolute path: the server compiles absolute paths). */
export function spanLocation(span: Span): Location {
  return { uri: pathToFileURL(span.source.name).href, range: spanRange(span) };
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
} as const;

/**
 * A diagnostic for the editor: `fcn check`'s code and message (with its help), at `range`
 * (the diagnostic's own span unless the caller places it elsewhere), its notes as related places.
 */
export function toLspDiagnostic(d: Diagnostic, range: Range, prefix = ''): LspDiagnostic {
  return {
    range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'fcn',
    message: `${prefix}${d.message}${d.help ? `\nhelp: ${d.help}` : ''}`,
    ...(d.notes?.some((n) => n.span)
      ? {
          relatedInformation: d.notes
            .filter((n) => n.span)
            .map((n) => ({ location: spanLocation(n.span!), message: n.message })),
        }
      : {}),
  };
}
