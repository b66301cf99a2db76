/**
 * The .fcn lexer: text → tokens, comments and lexical diagnostics (stray characters,
 * unclosed strings, `=` for `:`). Offsets only; lines and columns are computed when printed.
 */
import type { IToken } from 'chevrotain';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Source } from '../diagnostics/source.js';
import { chevrotain } from './chevrotain.js';
import { allTokens, Equals, SingleQuotedString, StringLiteral } from './tokens.js';

/** One lexer for the process: building it analyses every token pattern. */
export const lexer = new chevrotain.Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

const CLOSED_STRING = /^"(?:[^"\\\n\r]|\\.)*"$/;

/** Splits a source into tokens, reporting what cannot be a token. */
export function tokenize(source: Source): LexResult {
  const result = lexer.tokenize(source.body);
  const diagnostics: Diagnostic[] = [];
  for (const e of result.errors) {
    const start = e.offset;
    const text = source.body.slice(start, start + e.length);
    const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
    const what = text.length === 1 ? `character '${shown}'` : `characters '${shown}'`;
    diagnostics.push(
      error(
        'unexpected-character',
        `unexpected ${what}`,
        { source, start, end: start + e.length },
        { help: characterHelp(text) },
      ),
    );
  }
  for (const t of result.tokens) {
    const span = { source, start: t.startOffset, end: t.startOffset + t.image.length };
    if (t.tokenType === StringLiteral && !CLOSED_STRING.test(t.image)) {
      diagnostics.push(
        error('unterminated-string', "unterminated string: a string must close with '\"' on the same line", span),
      );
    } else if (t.tokenType === SingleQuotedString) {
      diagnostics.push(
        error('single-quoted-string', 'strings use double quotes', span, {
          help: `write "${t.image.replace(/^'|'$/g, '')}"`,
        }),
      );
    } else if (t.tokenType === Equals) {
      diagnostics.push(
        error('expected-colon', "expected ':', found '='", span, { help: 'properties are written `key: value`' }),
      );
    }
  }
  return { tokens: result.tokens, comments: result.groups['comments'] ?? [], diagnostics };
}

function characterHelp(text: string): string | undefined {
  if (text.startsWith(';')) return 'entries need no separator: write them one after another';
  return undefined;
}
