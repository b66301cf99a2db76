/**
 * The prototxt parser's entry point: text → tree + diagnostics. Never throws on bad input:
 * lexical and syntax errors come back as located diagnostics (at most one per line, since
 * recovery mostly stumbles over the rest of a line after its first mistake), and the tree
 * covers whatever could be recognised.
 */
import type { IToken, TokenType } from 'chevrotain';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { Source } from '../../diagnostics/source.js';
import type { Span } from '../../diagnostics/span.js';
import { chevrotain } from '../../parser/chevrotain.js';
import type { TextMessage } from './ast.js';
import { tokenizePrototxt } from './lexer.js';
import { prototxtParser } from './parser.js';
import * as T from './tokens.js';
import { TreeBuilder } from './visitor.js';

export interface PrototxtParse {
  message: TextMessage;
  source: Source;
  diagnostics: Diagnostic[];
}

const CLOSERS = new Map<TokenType, TokenType>([
  [T.LBrace, T.RBrace],
  [T.LAngle, T.RAngle],
  [T.LBracket, T.RBracket],
]);

/** Parses prototxt text (protobuf text format) into a schema-less tree. */
export function parsePrototxt(text: string, fileName = '<input>'): PrototxtParse {
  const source = new Source(text, fileName);
  const lexed = tokenizePrototxt(source);
  prototxtParser.input = lexed.tokens;
  const cst = prototxtParser.message();
  const diagnostics = [...lexed.diagnostics];
  const lines = new Set<number>();
  const open = unclosed(lexed.tokens);
  for (const e of prototxtParser.errors) {
    const atEnd = !Number.isFinite(e.token.startOffset) || e.token.tokenType === chevrotain.EOF;
    const span = atEnd ? endSpan(source, lexed.tokens) : tokenSpan(source, e.token);
    const line = source.location(span.start).line;
    if (lines.has(line)) continue;
    lines.add(line);
    if (atEnd) diagnostics.push(unexpectedEnd(source, lexed.tokens, open));
    else diagnostics.push(error('unexpected-token', e.message, span));
  }
  if (open.length && !diagnostics.some((d) => d.code === 'unexpected-end'))
    diagnostics.push(unexpectedEnd(source, lexed.tokens, open));
  diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  const message = new TreeBuilder(source).message(cst, { source, start: 0, end: text.length });
  return { message, source, diagnostics };
}

function tokenSpan(source: Source, t: IToken): Span {
  return { source, start: t.startOffset, end: t.startOffset + t.image.length };
}

function endSpan(source: Source, tokens: readonly IToken[]): Span {
  const last = tokens.at(-1);
  const end = last ? last.startOffset + last.image.length : 0;
  return { source, start: end, end };
}

/** The brackets left open at the end, outermost first. */
function unclosed(tokens: readonly IToken[]): IToken[] {
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (CLOSERS.has(t.tokenType)) stack.push(t);
    else if (stack.length && CLOSERS.get(stack.at(-1)!.tokenType) === t.tokenType) stack.pop();
  }
  return stack;
}

function unexpectedEnd(source: Source, tokens: readonly IToken[], open: readonly IToken[]): Diagnostic {
  const innermost = open.at(-1);
  const expected = innermost ? `: expected ${CLOSERS.get(innermost.tokenType)!.LABEL}` : '';
  return error('unexpected-end', `unexpected end of file${expected}`, endSpan(source, tokens), {
    ...(innermost
      ? {
          notes: [
            { message: `the '${innermost.image}' opened here is never closed`, span: tokenSpan(source, innermost) },
          ],
        }
      : {}),
  });
}
