/**
 * The parser's entry point: text → AST + diagnostics. Never throws on bad input: lexical and
 * syntax errors come back as diagnostics, and the AST covers whatever could be recognised.
 */
import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { Source } from '../diagnostics/source.js';
import type { DocumentNode } from './ast.js';
import type { DocumentCstNode } from './cst.js';
import { tokenize } from './lexer.js';
import { parser, parseTokens } from './parser.js';
import { isTopLevelStop, syntaxDiagnostics, tokenSpan } from './syntax-errors.js';
import * as T from './tokens.js';
import { AstBuilder } from './visitor.js';

/** Deeper nesting than this is certainly a mistake, and would exhaust the stack of a recursive descent. */
export const MAX_NESTING = 64;

export interface ParseResult {
  document: DocumentNode;
  diagnostics: Diagnostic[];
}

/** Parses .fcn text into a DocumentNode (with every comment), plus lexical and syntax diagnostics. */
export function parse(text: string, fileName = '<input>'): ParseResult {
  const source = new Source(text, fileName);
  const lexed = tokenize(source);
  const builder = new AstBuilder(source, lexed.comments);
  const deep = tooDeep(lexed.tokens);
  if (deep) {
    const d = error(
      'too-deeply-nested',
      `nesting deeper than ${MAX_NESTING} levels`,
      tokenSpan(deep, lexed.tokens, source),
    );
    return { document: builder.document({ name: 'document', children: {} }), diagnostics: [...lexed.diagnostics, d] };
  }
  const { cst, errors } = parseAll(lexed.tokens, text);
  const diagnostics = [...lexed.diagnostics, ...syntaxDiagnostics(errors, lexed.tokens, source)];
  diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  return { document: builder.document(cst), diagnostics };
}

/**
 * Parses the whole token vector. Chevrotain's own recovery resumes at the next `net`, `block`
 * or `import` after junk between definitions; should it ever stop with input left over,
 * parsing resumes there, so the mistakes in later definitions are found too.
 */
function parseAll(tokens: IToken[], text: string): { cst: DocumentCstNode; errors: IRecognitionException[] } {
  const importDecl: CstNode[] = [];
  const definition: CstNode[] = [];
  const errors: IRecognitionException[] = [];
  let start = 0;
  while (start < tokens.length) {
    const cst = parseTokens(start === 0 ? tokens : tokens.slice(start), text) as DocumentCstNode;
    importDecl.push(...(cst.children.importDecl ?? []));
    definition.push(...(cst.children.definition ?? []));
    // Leftover input after a definition that already had an error is mostly that error's
    // echo (recovery took a body's '}' for the definition's): report the cause only.
    const echoes = parser.errors.length > 1 ? parser.errors.filter(isTopLevelStop) : [];
    errors.push(...parser.errors.filter((e) => !echoes.includes(e)));
    const stop = parser.errors.find((e) => e.name === 'NotAllInputParsedException');
    if (!stop) break;
    let next = tokens.indexOf(stop.token, start) + 1;
    while (next > 0 && next < tokens.length && !TOP_LEVEL.has(tokens[next]!.tokenType)) next++;
    if (next <= 0 || next >= tokens.length) break;
    start = next;
  }
  return { cst: { name: 'document', children: { importDecl, definition } } as DocumentCstNode, errors };
}

const TOP_LEVEL = new Set([T.Net, T.Block, T.Import]);

/** The first token past the nesting limit (brackets and chained unary minus), if any. */
function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  let minuses = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === T.LBrace || type === T.LBracket || type === T.LParen) depth++;
    else if (type === T.RBrace || type === T.RBracket || type === T.RParen) depth = Math.max(0, depth - 1);
    minuses = type === T.Minus ? minuses + 1 : 0;
    if (depth + minuses > MAX_NESTING) return t;
  }
  return undefined;
}
