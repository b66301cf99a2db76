/**
 * Tokens of protobuf's text format, as Caffe's prototxt files use it. Order matters:
 * chevrotain tries them first to last, so numbers come before names (`1e-4` is a number) and
 * a leading `-` is part of a number (`-1`), with a lone `-` kept for `-inf`.
 */
import type { TokenType } from 'chevrotain';
import { chevrotain } from '../../parser/chevrotain.js';

const { createToken, Lexer } = chevrotain;

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: Lexer.SKIPPED });

/** Field names, enum values (`MAX`, `TRAIN`), `true`, `false`, `inf`, `nan`. */
export const Name = createToken({ name: 'Name', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

/** Decimal, float or hex, with an optional sign and a C-style `f` suffix, as protobuf's tokenizer reads them. */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fF]?)/,
  label: 'a number',
});

/** `"…"` or `'…'` on one line; an unclosed quote is still one token, so the lexer can report it. */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n\r]|\\.)*"?|'(?:[^'\\\n\r]|\\.)*'?/,
  label: 'a string',
});

export const Minus = createToken({ name: 'Minus', pattern: '-', label: "'-'" });
export const LBrace = createToken({ name: 'LBrace', pattern: '{', label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: '}', label: "'}'" });
export const LAngle = createToken({ name: 'LAngle', pattern: '<', label: "'<'" });
export const RAngle = createToken({ name: 'RAngle', pattern: '>', label: "'>'" });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: "']'" });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: "':'" });
/** Fields may be separated by `,` or `;`; both are optional. */
export const Separator = createToken({ name: 'Separator', pattern: /[,;]/, label: "','" });

/** Every token type, in lexing order. */
export const prototxtTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  NumberLiteral,
  Name,
  StringLiteral,
  Minus,
  LBrace,
  RBrace,
  LAngle,
  RAngle,
  LBracket,
  RBracket,
  Colon,
  Separator,
];
