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
import { chevrotain } from './chevrotain.js';
import {
  CLOSER,
  isTopLevelStop,
  syntaxDiagnostics,
  tokenSpan,
  unclosedBrackets,
  unexpectedEnd,
} from './syntax-errors.js';
import * as T from './tokens.js';
import { AstBuilder } from './visitor.js';

/** Deeper nesting than this is certainly a mistake, and would exhaust the stack of a recursive descent. */
export const MAX_NESTING = 64;
/** More operators than this in one expression are certainly a mistake, and would as well. */
export const MAX_OPERATORS = 256;

export interface ParseResult {
  document: DocumentNode;
  diagnostics: Diagnostic[];
}

/** Documents whose syntax errors were not all repaired in place (see `isComplete`). */
const incomplete = new WeakSet<DocumentNode>();

/**
 * Whether a parsed document says all its text meant despite its errors, so that later stages
 * can still check it: its only mistakes are lexical slips (`;`, `=`, single quotes) or the
 * last definition's missing `}`. False after any other syntax error.
 */
export function isComplete(document: DocumentNode): boolean {
  return !incomplete.has(document);
}

/** Diagnostics after which the tokens no longer say what the text meant. */
const GARBLING = new Set(['unterminated-string', 'too-deeply-nested', 'expression-too-long']);

/** Parses .fcn text into a DocumentNode (with every comment), plus lexical and syntax diagnostics. */
export function parse(text: string, fileName = '<input>'): ParseResult {
  const source = new Source(text, fileName);
  const lexed = tokenize(source);
  const builder = new AstBuilder(source, lexed.comments);
  const deep = tooDeep(lexed.tokens);
  if (deep) {
    const d = error(deep.code, deep.message, tokenSpan(deep.token, lexed.tokens, source));
    return complete(builder.document({ name: 'document', children: {} }), [...lexed.diagnostics, d], false);
  }
  // Brackets left open at the end are closed there, so the parse of what precedes them is
  // whole; the missing brackets are reported once, as the end of the file.
  const open = unclosedBrackets(lexed.tokens);
  const closers = [...open]
    .reverse()
    .map((t) => chevrotain.createTokenInstance(CLOSER.get(t.tokenType)!, '', NaN, NaN, NaN, NaN, NaN, NaN));
  const tokens = [...lexed.tokens, ...closers];
  const { cst, errors } = parseAll(tokens, text);
  const syntax = syntaxDiagnostics(errors, tokens, source);
  if (closers.length && !syntax.some((d) => d.code === 'unexpected-end'))
    syntax.push(unexpectedEnd(undefined, lexed.tokens, source));
  const diagnostics = [...lexed.diagnostics, ...syntax];
  diagnostics.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  const document = builder.document(cst);
  const skipped = errors.some((e) => e.resyncedTokens?.length || isTopLevelStop(e));
  // After a syntax error the tree may be whole yet mean something else (a body left open
  // swallows the items after it), so later stages only see a file whose one syntax error is
  // its last definition's missing '}'. Lexical slips (`;`, `=`, quotes) leave the tokens whole.
  const whole =
    open.length === 0
      ? syntax.length === 0
      : open.length === 1 &&
        opensDefinition(open[0]!, lexed.tokens) &&
        syntax.every((d) => d.code === 'unexpected-end');
  return complete(document, diagnostics, whole && !builder.incomplete && !skipped);
}

/** Whether a `{` is the one that opens a definition's body (`net a {`, `block b(x) {`). */
function opensDefinition(brace: IToken, tokens: readonly IToken[]): boolean {
  let i = tokens.indexOf(brace) - 1;
  if (tokens[i]?.tokenType === T.RParen) while (i > 0 && tokens[i]!.tokenType !== T.LParen) i--;
  if (tokens[i]?.tokenType === T.LParen) i--;
  const keyword = tokens[i - 1]?.tokenType;
  return tokens[i]?.tokenType === T.Identifier && (keyword === T.Net || keyword === T.Block);
}

function complete(document: DocumentNode, diagnostics: Diagnostic[], ok: boolean): ParseResult {
  if (!ok || diagnostics.some((d) => GARBLING.has(d.code))) incomplete.add(document);
  return { document, diagnostics };
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

const OPERATORS = new Set([T.Plus, T.Minus, T.Star, T.Slash]);
const OPERANDS = new Set([T.NumberLiteral, T.Identifier, T.TemplateName, T.StringLiteral, T.True, T.False, T.Dot]);

/**
 * The first token past a limit that would exhaust the stack of the recursive passes (parser,
 * evaluator, printer): nesting of brackets and unary minus, or operators chained in one
 * expression (each adds a level to the tree).
 */
function tooDeep(tokens: readonly IToken[]): { token: IToken; code: string; message: string } | undefined {
  let depth = 0;
  let minuses = 0;
  let chain = 0;
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === T.LBrace || type === T.LBracket || type === T.LParen) depth++;
    else if (type === T.RBrace || type === T.RBracket || type === T.RParen) depth = Math.max(0, depth - 1);
    minuses = type === T.Minus ? minuses + 1 : 0;
    if (depth + minuses > MAX_NESTING)
      return { token: t, code: 'too-deeply-nested', message: `nesting deeper than ${MAX_NESTING} levels` };
    if (OPERATORS.has(type)) chain++;
    else if (!OPERANDS.has(type) && type !== T.LParen && type !== T.RParen) chain = 0;
    if (chain > MAX_OPERATORS) {
      return {
        token: t,
        code: 'expression-too-long',
        message: `an expression with more than ${MAX_OPERATORS} operators`,
      };
    }
  }
  return undefined;
}
