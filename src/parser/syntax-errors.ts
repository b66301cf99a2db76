/**
 * Syntax errors a newcomer can act on. Chevrotain's own messages ("Expecting token of type
 * --> RBrace <--") read like a parser's internals, so the message provider only records what
 * went wrong as JSON, and `syntaxDiagnostics` writes the message with the tokens around the
 * error in view: what was expected, what was found, and "did you mean" for a misspelt keyword.
 */
import type { IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Source } from '../diagnostics/source.js';
import type { Span } from '../diagnostics/span.js';
import { closest } from '../diagnostics/suggest.js';
import * as T from './tokens.js';

interface Problem {
  kind: 'mismatch' | 'noViableAlt' | 'notAllInput' | 'earlyExit';
  rule: string;
  expected?: string;
}

const encode = (p: Problem): string => JSON.stringify(p);

/** Records each error's kind, rule and expected token; the wording is done by `syntaxDiagnostics`. */
export const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    encode({ kind: 'mismatch', rule: ruleName, expected: expected.name }),
  buildNotAllInputParsedMessage: ({ ruleName }) => encode({ kind: 'notAllInput', rule: ruleName }),
  buildNoViableAltMessage: ({ ruleName }) => encode({ kind: 'noViableAlt', rule: ruleName }),
  buildEarlyExitMessage: ({ ruleName }) => encode({ kind: 'earlyExit', rule: ruleName }),
};

const ITEM_KEYWORDS = ['input', 'solver', 'repeat'];
const TOP_KEYWORDS = ['import', 'net', 'block'];
const EXPECTED_ITEM = "a layer (`name: type`), 'input', 'solver', 'repeat', a block instance or '}'";
const EXPECTED_ENTRY = "a property (`key: value`), a section (`key { … }`) or '}'";
const EXPECTED_VALUE = 'a value (a number, string, name, list or call)';

const STRAY_BRACE = "this looks like an item of a net or block: is there one '}' too many above it?";

/** Whether two tokens look like the start of an item (`name:`, `input`, `solver`, `repeat`, `block {`). */
function isItemStart(t: IToken | undefined, next: IToken | undefined): boolean {
  if (t?.tokenType === T.Input || t?.tokenType === T.Solver || t?.tokenType === T.Repeat) return true;
  return isName(t) && (next?.tokenType === T.Colon || next?.tokenType === T.LBrace);
}

const isName = (t: IToken | undefined) =>
  t !== undefined && (t.tokenType === T.Identifier || t.tokenType === T.TemplateName);
/** The end of the input, or a bracket `parse` supplied there (it has no place in the text). */
const isEof = (t: IToken | undefined) =>
  t === undefined || t.tokenType === chevrotain.EOF || !Number.isFinite(t.startOffset);

/** How a token is named in a message. */
export function describeToken(t: IToken | undefined): string {
  if (isEof(t)) return 'end of file';
  if (t!.tokenType === T.StringLiteral) return `string ${t!.image}`;
  return `'${t!.image}'`;
}

function label(name: string | undefined): string {
  const type = Object.values(T).find(
    (v): v is TokenType => typeof v === 'object' && v !== null && 'name' in v && v.name === name,
  );
  return type?.LABEL ?? name ?? 'something else';
}

/**
 * Turns the parser's recorded errors into diagnostics: at most one per line (and the end of
 * the file), because after the first mistake on a line recovery mostly stumbles over the
 * rest of that same line.
 */
export function syntaxDiagnostics(
  errors: readonly IRecognitionException[],
  tokens: readonly IToken[],
  source: Source,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = new Set<number>();
  const index = new Map(tokens.map((t, i) => [t, i]));
  for (const e of errors) {
    const at = index.get(e.token) ?? tokens.length;
    const d = describe(e, at, tokens, source);
    const line = source.location(d.span!.start).line;
    // The end of the file is a mistake of its own (a missing '}'), even on a line with another.
    if (lines.has(line) && d.code !== 'unexpected-end') continue;
    lines.add(line);
    out.push(d);
  }
  return out;
}

/** True for the error the parser records when it stops at the top level with input left over. */
export function isTopLevelStop(e: IRecognitionException): boolean {
  const p = readProblem(e);
  return p.kind === 'notAllInput' || p.expected === 'EOF';
}

function readProblem(e: IRecognitionException): Problem {
  try {
    return JSON.parse(e.message) as Problem;
  } catch {
    return { kind: 'noViableAlt', rule: '' };
  }
}

function describe(e: IRecognitionException, at: number, tokens: readonly IToken[], source: Source): Diagnostic {
  const problem = readProblem(e);
  const found = tokens[at];
  const next = tokens[at + 1];
  const prev = at > 0 ? tokens[at - 1] : undefined;
  const span = tokenSpan(found, tokens, source);
  const found$ = describeToken(found);

  if (isEof(found)) {
    const expected = problem.expected
      ? label(problem.expected)
      : ['primary', 'unary', 'expression'].includes(problem.rule)
        ? 'a value'
        : problem.rule === 'name'
          ? 'a name'
          : undefined;
    return unexpectedEnd(expected, tokens, source);
  }

  if (problem.kind === 'noViableAlt' && problem.rule === 'layer' && prev) {
    // After an item's name: neither `:` (a layer) nor `{` (an anonymous instance).
    const keyword = closest(prev.image, ITEM_KEYWORDS);
    if (keyword)
      return unexpected(
        `expected ':' or '{' after '${prev.image}', found ${found$}`,
        span,
        `did you mean '${keyword}'?`,
      );
    if (isName(found))
      return unexpected(`expected ':' between the layer name '${prev.image}' and its type '${found!.image}'`, span);
    return unexpected(`expected ':' or '{' after '${prev.image}', found ${found$}`, span);
  }
  if (
    (problem.expected === 'RBrace' || problem.kind === 'noViableAlt') &&
    ['definition', 'repeatDecl', 'item'].includes(problem.rule)
  ) {
    const help = [T.Net, T.Block, T.Import].includes(found!.tokenType)
      ? "is the '}' that closes the definition above missing?"
      : undefined;
    return unexpected(`expected ${EXPECTED_ITEM}, found ${found$}`, span, help);
  }
  if (problem.kind === 'noViableAlt' && problem.rule === 'entry' && prev) {
    return unexpected(`expected ':' after '${prev.image}', found ${found$}`, span);
  }
  if (problem.expected === 'RBrace' && problem.rule === 'body') {
    return unexpected(`expected ${EXPECTED_ENTRY}, found ${found$}`, span);
  }
  if (
    problem.kind === 'notAllInput' ||
    problem.expected === 'EOF' ||
    (problem.kind === 'noViableAlt' && problem.rule === 'document')
  ) {
    const help =
      keywordHelp(found, TOP_KEYWORDS) ??
      (prev?.tokenType === T.RBrace && isItemStart(found, next) ? STRAY_BRACE : undefined);
    return unexpected(`expected 'import', 'net' or 'block', found ${found$}`, span, help);
  }
  if (
    problem.kind === 'noViableAlt' &&
    (problem.rule === 'primary' || problem.rule === 'unary' || problem.rule === 'expression')
  ) {
    return unexpected(
      `expected ${EXPECTED_VALUE}, found ${found$}`,
      span,
      found?.tokenType === T.StringLiteral ? undefined : valueHelp(found),
    );
  }
  if (problem.kind === 'noViableAlt' && problem.rule === 'name') {
    return unexpected(`expected a name${prev ? ` after '${prev.image}'` : ''}, found ${found$}`, span);
  }
  if (problem.kind === 'mismatch') return mismatch(problem, found$, span, prev);
  return unexpected(`unexpected ${found$}`, span);
}

function mismatch(problem: Problem, found$: string, span: Span, prev: IToken | undefined): Diagnostic {
  const after = prev ? ` after '${prev.image}'` : '';
  switch (`${problem.rule}/${problem.expected}`) {
    case 'importDecl/StringLiteral':
      return unexpected(
        `expected a file name in double quotes after 'import', found ${found$}`,
        span,
        'write e.g. import "vgg16.fcn"',
      );
    case 'definition/Identifier':
      return unexpected(`expected a name${after}, found ${found$}`, span);
    case 'definition/LBrace':
      return unexpected(
        `expected '{'${after}, found ${found$}`,
        span,
        found$ === "'-'" ? "names contain only letters, digits and '_'" : undefined,
      );
    case 'layer/Identifier':
      return unexpected(`expected a layer type${after}, found ${found$}`, span);
    case 'entry/Colon':
      return unexpected(`expected ':'${after}, found ${found$}`, span);
    case 'list/RBracket':
      return unexpected(`expected ',' or ']' in the list, found ${found$}`, span);
    case 'repeatDecl/In':
      return unexpected(
        `expected 'in' after the loop variable, found ${found$}`,
        span,
        'write e.g. repeat j in 1..n { … }',
      );
    case 'repeatDecl/Range':
      return unexpected(
        `expected '..' between the bounds of the range, found ${found$}`,
        span,
        'write e.g. repeat j in 1..n { … }',
      );
    default:
      return unexpected(`expected ${label(problem.expected)}${after}, found ${found$}`, span);
  }
}

function unexpected(message: string, span: Span, help?: string): Diagnostic {
  return error('unexpected-token', message, span, help ? { help } : {});
}

function keywordHelp(t: IToken | undefined, keywords: string[]): string | undefined {
  if (!isName(t)) return undefined;
  const k = closest(t!.image, keywords);
  return k ? `did you mean '${k}'?` : undefined;
}

function valueHelp(t: IToken | undefined): string | undefined {
  if (t?.tokenType === T.RBrace || t?.tokenType === T.RBracket) return 'a value is missing here';
  return undefined;
}

/** The span of a token; at the end of the file, a one-character place just after the last token. */
export function tokenSpan(t: IToken | undefined, tokens: readonly IToken[], source: Source): Span {
  if (t && !isEof(t) && Number.isFinite(t.startOffset)) {
    return { source, start: t.startOffset, end: t.startOffset + t.image.length };
  }
  const last = [...tokens].reverse().find((x) => Number.isFinite(x.startOffset) && !isEof(x));
  const end = last ? last.startOffset + last.image.length : 0;
  return { source, start: end, end };
}

/** The closing bracket of each opening one. */
export const CLOSER = new Map<TokenType, TokenType>([
  [T.LBrace, T.RBrace],
  [T.LBracket, T.RBracket],
  [T.LParen, T.RParen],
]);

/**
 * The `{`, `[` and `(` left open at the end of the tokens, outermost first. Definitions do
 * not nest, so `net`, `block` and `import` close whatever is open, as recovery does.
 */
export function unclosedBrackets(tokens: readonly IToken[]): IToken[] {
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === T.Net || t.tokenType === T.Block || t.tokenType === T.Import) stack.length = 0;
    else if (CLOSER.has(t.tokenType)) stack.push(t);
    else if (stack.length && CLOSER.get(stack.at(-1)!.tokenType) === t.tokenType) stack.pop();
  }
  return stack;
}

/** `unexpected end of file`, with what was expected and a note on the innermost bracket left open. */
export function unexpectedEnd(expected: string | undefined, tokens: readonly IToken[], source: Source): Diagnostic {
  const open = unclosedBrackets(tokens).at(-1);
  const what = expected ?? (open ? label(CLOSER.get(open.tokenType)!.name) : undefined);
  return error(
    'unexpected-end',
    `unexpected end of file${what ? `: expected ${what}` : ''}`,
    tokenSpan(undefined, tokens, source),
    {
      ...(open
        ? {
            notes: [
              { message: `the '${open.image}' opened here is never closed`, span: tokenSpan(open, tokens, source) },
            ],
          }
        : {}),
    },
  );
}
