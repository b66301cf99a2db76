/**
 * The prototxt lexer: text → tokens, with a located diagnostic for every character that
 * starts no token and every string left open.
 */
import type { IToken } from 'chevrotain';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Source } from '../../diagnostics/source.js';
import { chevrotain } from '../../parser/chevrotain.js';
import { prototxtTokens, StringLiteral } from './tokens.js';

const CLOSED = /^(?:"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')$/;

/** One lexer for the process: building it analyses every token pattern. */
const lexer = new chevrotain.Lexer(prototxtTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });

/** Splits a prototxt source into tokens, reporting what cannot be a token. */
export function tokenizePrototxt(source: Source): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  const result = lexer.tokenize(source.body);
  const diagnostics: Diagnostic[] = result.errors.map((e) => {
    const text = source.body.slice(e.offset, e.offset + e.length);
    const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
    return error('unexpected-character', `unexpected character${text.length > 1 ? 's' : ''} '${shown}'`, {
      source,
      start: e.offset,
      end: e.offset + e.length,
    });
  });
  for (const t of result.tokens) {
    if (t.tokenType !== StringLiteral) continue;
    if (!CLOSED.test(t.image)) {
      const quote = t.image[0]!;
      diagnostics.push(
        error('unterminated-string', `unterminated string: it must close with ${quote} on the same line`, {
          source,
          start: t.startOffset,
          end: t.startOffset + t.image.length,
        }),
      );
    }
  }
  return { tokens: result.tokens, diagnostics };
}
