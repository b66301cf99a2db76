/**
 * Questions the formatter asks of the original text. Every answer depends only on line breaks
 * and `#` comments, never on spaces or tabs, so a file with its indentation stripped formats
 * exactly like the original.
 */

const COMMENT = /#[^\n]*/g;

/** True when the text between two offsets holds an empty line (comments on a line do not count as empty). */
export function hasBlankLine(text: string, from: number, to: number): boolean {
  return /\n[ \t\r\f\v]*\n/.test(text.slice(from, to).replace(COMMENT, '#'));
}

/** The offset of the last non-blank character on the same line before `offset`, or -1. */
export function previousOnLine(text: string, offset: number): number {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === '\n') return -1;
    if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\f' && c !== '\v') return i;
  }
  return -1;
}

/** The offset of the first `bracket` at or after `from` that is not inside a comment, or -1. */
export function findBracket(text: string, from: number, bracket: '{' | '('): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === bracket) return i;
    if (c === '#') {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return -1;
      i = eol;
    }
  }
  return -1;
}
