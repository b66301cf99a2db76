export * from './ast.js';
export { tokenize, type LexResult } from './lexer.js';
export { parse, MAX_NESTING, type ParseResult } from './parse.js';
export { FcnParser, parser } from './parser.js';
export { KEYWORDS } from './tokens.js';
