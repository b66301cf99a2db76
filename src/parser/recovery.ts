/**
 * How the parser recovers from a syntax error, tuned to how .fcn files are written: one item
 * per line, bodies in braces. Chevrotain re-synchronises at the first token that may follow
 * any rule being parsed; here that token must also begin a line, or close a bracket opened
 * before the mistake, and brackets opened after it are skipped whole. So a mistake costs the
 * rest of its line or body, not the rest of the net, and later mistakes are still found.
 *
 * `findReSyncTokenType` and `reSyncTo` are chevrotain 11 internals (absent from its
 * typings); the package is pinned to 11.x.
 */
import type { IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';
import * as T from './tokens.js';

const OPENERS = new Set<TokenType>([T.LBrace, T.LBracket, T.LParen]);
const CLOSERS = new Set<TokenType>([T.RBrace, T.RBracket, T.RParen]);
const TOP_LEVEL = new Set<TokenType>([T.Net, T.Block, T.Import, chevrotain.EOF]);

interface Internals {
  flattenFollowSet(): TokenType[];
}

export class RecoveringParser extends chevrotain.CstParser {
  /** The text being parsed, to see where lines begin. */
  text = '';
  /** The token `findReSyncTokenType` chose; `reSyncTo` skips up to exactly this one. */
  private resyncAt: IToken | undefined;

  /**
   * Recovery may pretend a missing token was there, but a closing bracket only where a new
   * definition (or the end of the file) begins: elsewhere, inventing one ends a body early
   * and the rest of the file misparses, while deleting a stray token in front of the bracket
   * (chevrotain's other single-token repair) is almost always right.
   */
  protected override canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return !CLOSERS.has(tokType) || TOP_LEVEL.has(this.LA(1).tokenType);
  }

  /** The type of the token where parsing resumes (see the file comment for which one). */
  findReSyncTokenType(): TokenType {
    const follows = (this as unknown as Internals).flattenFollowSet();
    let depth = 0;
    for (let k = 1; ; k++) {
      const t = this.LA(k);
      if (t.tokenType === chevrotain.EOF) {
        this.resyncAt = t;
        return chevrotain.EOF;
      }
      if (OPENERS.has(t.tokenType)) {
        depth++;
        continue;
      }
      if (CLOSERS.has(t.tokenType)) {
        if (depth > 0) {
          depth--;
          continue;
        }
      } else if (depth > 0 || k === 1 || !this.beginsLine(k)) continue;
      const match = follows.find((f) => chevrotain.tokenMatcher(t, f));
      if (match) {
        this.resyncAt = t;
        return match;
      }
    }
  }

  /** Skips tokens up to the one `findReSyncTokenType` chose. */
  reSyncTo(tokType: TokenType): IToken[] {
    const skipped: IToken[] = [];
    const target = this.resyncAt;
    for (let t = this.LA(1); t.tokenType !== chevrotain.EOF; t = this.LA(1)) {
      if (target ? t === target : chevrotain.tokenMatcher(t, tokType)) break;
      skipped.push(t);
      this.SKIP_TOKEN();
    }
    return skipped;
  }

  /** Whether the k-th next token is the first on its line. */
  private beginsLine(k: number): boolean {
    const prev = this.LA(k - 1);
    const t = this.LA(k);
    if (!Number.isFinite(prev.startOffset) || !Number.isFinite(t.startOffset)) return false;
    return this.text.slice(prev.startOffset + prev.image.length, t.startOffset).includes('\n');
  }
}
