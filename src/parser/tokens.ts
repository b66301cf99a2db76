/**
 * The .fcn tokens. Order matters: chevrotain tries them first to last, so keywords come
 * before `Identifier` (with `longer_alt`, so `netx` is a name), `..` before `.`, and numbers
 * before names (with `longer_alt`, so `3x3_reduce` and `1x1` are names but `1e-4` is a number).
 */
import type { TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';

const { createToken, Lexer } = chevrotain;

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** Comments are kept in their own group so the formatter can put them back. */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments', label: 'a comment' });

/**
 * A templated name: word characters with `{variable}` parts and no spaces (`conv{i}_{j}`).
 * It must start with a word character, so a body's `{` after a name is never mistaken for one.
 */
export const TemplateName = createToken({
  name: 'TemplateName',
  pattern: /[A-Za-z0-9_]+(?:\{[A-Za-z_][A-Za-z0-9_]*\}[A-Za-z0-9_]*)+/,
  label: 'a name',
});

/** Plain names; digits may lead (`1x1`) because `Number` hands over to it through `longer_alt`. */
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z0-9_]+/, label: 'a name' });

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({ name, pattern: new RegExp(word), longer_alt: [TemplateName, Identifier], label: `'${word}'` });
}

export const Import = keyword('import');
export const Net = keyword('net');
export const Block = keyword('block');
export const Input = keyword('input');
export const Solver = keyword('solver');
export const Repeat = keyword('repeat');
export const In = keyword('in');
export const True = keyword('true');
export const False = keyword('false');

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  longer_alt: [TemplateName, Identifier],
  label: 'a number',
});

/**
 * Strings end at the line's end: an unclosed quote is still one token (the lexer reports it),
 * so the parser does not trip over the rest of the line.
 */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n\r]|\\.)*"?/,
  label: 'a string',
});

/** `'…'` is read as a string so the parse goes on; the lexer reports the quotes. */
export const SingleQuotedString = createToken({
  name: 'SingleQuotedString',
  pattern: /'[^'\n\r]*'?/,
  categories: [StringLiteral],
  label: 'a string',
});

export const LBrace = createToken({ name: 'LBrace', pattern: '{', label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: '}', label: "'}'" });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: "']'" });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: "')'" });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: "':'" });
/** `key = value` is accepted as `key: value` by the parser; the lexer reports the `=` as a mistake. */
export const Equals = createToken({ name: 'Equals', pattern: '=', categories: [Colon], label: "'='" });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: "','" });
export const Range = createToken({ name: 'Range', pattern: '..', label: "'..'" });
export const Dot = createToken({ name: 'Dot', pattern: '.', label: "'.'" });
/** Operator categories keep `+`/`-` (and `*`/`/`) in one CST list, in source order. */
export const AdditiveOperator = createToken({ name: 'AdditiveOperator', pattern: Lexer.NA, label: "'+' or '-'" });
export const MultiplicativeOperator = createToken({
  name: 'MultiplicativeOperator',
  pattern: Lexer.NA,
  label: "'*' or '/'",
});
export const Plus = createToken({ name: 'Plus', pattern: '+', categories: [AdditiveOperator], label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: '-', categories: [AdditiveOperator], label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: '*', categories: [MultiplicativeOperator], label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: '/', categories: [MultiplicativeOperator], label: "'/'" });

/** The keywords, for "did you mean" on a misspelt one. */
export const KEYWORDS = ['import', 'net', 'block', 'input', 'solver', 'repeat', 'in', 'true', 'false'] as const;

/** Every token type, in lexing order. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Import,
  Net,
  Block,
  Input,
  Solver,
  Repeat,
  In,
  True,
  False,
  TemplateName,
  NumberLiteral,
  Identifier,
  StringLiteral,
  SingleQuotedString,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Colon,
  Equals,
  Comma,
  Range,
  Dot,
  AdditiveOperator,
  MultiplicativeOperator,
  Plus,
  Minus,
  Star,
  Slash,
];
