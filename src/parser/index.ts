export * from './ast.js';
export { tokenize, type LexResult } from './lexer.js';
export { isComplete, parse, MAX_NESTING, MAX_OPERATORS, type ParseResult } from './parse.js';
export { FcnParser, parser } from './parser.js';
export { KEYWORDS } from './tokens.js';
