/**
 * The prettier parser for .fcn: the project's own parser, whose syntax errors become the
 * `SyntaxError` with `loc` from which prettier draws its code frame.
 */
import type { Parser } from 'prettier';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Source } from '../diagnostics/source.js';
import type { AstNode } from '../parser/ast.js';
import { parse } from '../parser/parse.js';

/** A prettier-style syntax error: message with `(line:column)`, and `loc` (1-based) for the code frame. */
export function syntaxError(diagnostic: Diagnostic, text: string, fileName: string, more: number): SyntaxError {
  const source = diagnostic.span?.source ?? new Source(text, fileName);
  const start = source.location(diagnostic.span?.start ?? 0);
  const suffix = more > 0 ? ` (and ${more} more error${more === 1 ? '' : 's'})` : '';
  const error = new SyntaxError(`${diagnostic.message} (${start.line}:${start.column})${suffix}`);
  return Object.assign(error, { loc: { start } });
}

/** The `fcn` prettier parser: refuses to format a file with syntax errors. */
export const fcnParser: Parser<AstNode> = {
  astFormat: 'fcn',
  parse(text, options) {
    const fileName = options.filepath ?? '<input>';
    const { document, diagnostics } = parse(text, fileName);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw syntaxError(errors[0]!, text, fileName, errors.length - 1);
    return document;
  },
  locStart: (node) => node.span.start,
  locEnd: (node) => node.span.end,
};
