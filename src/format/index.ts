/**
 * The prettier 3 plugin for .fcn files: `plugins: ["./dist/format/index.js"]` in a prettier
 * config formats them canonically (see printer.ts for the style).
 */
import type { Plugin, SupportLanguage } from 'prettier';
import type { AstNode } from '../parser/ast.js';
import { fcnParser } from './parser.js';
import { fcnPrinter } from './printer.js';

export { fcnParser, syntaxError } from './parser.js';
export { fcnPrinter } from './printer.js';

/** The language prettier picks for `*.fcn` files. */
export const languages: SupportLanguage[] = [
  { name: 'fcn', parsers: ['fcn'], extensions: ['.fcn'], vscodeLanguageIds: ['fcn'] },
];

/** The `fcn` parser (the project's parser behind prettier's interface). */
export const parsers: Plugin<AstNode>['parsers'] = { fcn: fcnParser };

/** The `fcn` printer (AST format `fcn`). */
export const printers: Plugin<AstNode>['printers'] = { fcn: fcnPrinter };

const plugin: Plugin<AstNode> = { languages, parsers, printers };
export default plugin;
