/**
 * The canonical layout of .fcn files (prettier printer). The style, which nets/*.fcn follow:
 * - Two-space indent. `net`/`block` and `repeat` blocks always break, one item per line.
 * - One blank line between top-level definitions (and between an import and a definition);
 *   elsewhere a blank line between items is kept where written, and runs of them collapse to
 *   one. Blank lines at the start or end of a block go.
 * - A body — of a layer, input, instance, solver or section — stays on one line when it fits
 *   printWidth, with two spaces between entries: `conv1: conv { out: 64  kernel: 3 }`;
 *   otherwise it breaks to one entry per line. `weight { … }` sections do the same inside.
 * - Lists `[a, b]` and calls `f(a, b)` break to one element per line when they do not fit
 *   (a broken list ends with a comma); so do parameter lists `block stage(i, n, out: 64)`.
 * - Numbers and strings print as written (`1e-4` stays `1e-4`); `a * b` has spaces round
 *   the operator; unary minus and ranges `1..n` have none; dotted keys and names are joined
 *   without spaces.
 * - Original spaces and indentation never matter; comments: see comments.ts.
 */
import { doc, type AstPath, type Doc, type ParserOptions, type Printer } from 'prettier';
import { nameText, type AstNode, type DocumentNode, type TopLevelNode } from '../parser/ast.js';
import {
  canAttachComment,
  danglingComments,
  handleComments,
  isBlockComment,
  printComment,
  startWithComments,
  type Commented,
  type Dangling,
} from './comments.js';
import { hasBlankLine } from './source-text.js';
import { getVisitorKeys } from './visitor-keys.js';

const { group, hardline, ifBreak, indent, join, line, softline } = doc.builders;

type Print = (selector?: string | number | Array<string | number> | AstPath) => Doc;
type Options = ParserOptions<AstNode>;

/** A kind of bracket pair, and the line break just inside it when its group breaks. */
interface Brackets {
  open: string;
  close: string;
  edge: Doc;
}

const BLOCK: Brackets = { open: '{', close: '}', edge: hardline };
const BODY: Brackets = { open: '{', close: '}', edge: line };
const LIST: Brackets = { open: '[', close: ']', edge: softline };
const PARENS: Brackets = { open: '(', close: ')', edge: softline };
const COMMA: Doc = [',', line];
/** Two spaces between entries on one line, a line break when the body breaks. */
const ENTRY_SEPARATOR: Doc = [ifBreak('', ' '), line];

/** Prints one node; throws on a kind it does not know, so a new AST node cannot be silently dropped. */
function print(path: AstPath<AstNode>, options: Options, print: Print): Doc {
  const node = path.node;
  const text = options.originalText;
  const body = 'body' in node && node.body ? [' ', print('body')] : '';
  switch (node.kind) {
    case 'Document':
      return printDocument(node, text, print);
    case 'Import':
      return ['import ', print('path')];
    case 'Definition': {
      const params = node.params.length > 0 ? printBracketed(PARENS, printEach(node, 'params', print), COMMA) : '';
      return [node.keyword, ' ', print('name'), params, ' ', printItems(node, text, print)];
    }
    case 'ParamDecl':
      return node.default ? [print('name'), ': ', print('default')] : print('name');
    case 'Input':
      return ['input ', print('name'), body];
    case 'Layer':
      return [print('name'), ': ', print('type'), body];
    case 'Use':
      return [print('block'), body];
    case 'Repeat': {
      const range = [print('from'), '..', print('to')];
      return ['repeat ', print('variable'), ' in ', range, ' ', printItems(node, text, print)];
    }
    case 'Solver':
    case 'Section':
      return [node.kind === 'Solver' ? 'solver' : print('key'), body];
    case 'Body':
      return printBracketed(BODY, printEach(node, 'entries', print), ENTRY_SEPARATOR, danglingComments(node, text));
    case 'Property':
      return [join('.', printEach(node, 'key', print)), ': ', print('value')];
    case 'Number':
    case 'String':
      return node.raw;
    case 'Boolean':
      return node.value ? 'true' : 'false';
    case 'Reference':
      return join('.', printEach(node, 'path', print));
    case 'List':
      return printBracketed(
        LIST,
        printEach(node, 'elements', print),
        COMMA,
        danglingComments(node, text),
        ifBreak(','),
      );
    case 'Call':
      return [
        print('callee'),
        printBracketed(PARENS, printEach(node, 'args', print), COMMA, danglingComments(node, text)),
      ];
    case 'Binary':
      return [print('left'), ' ', node.operator, ' ', print('right')];
    case 'Unary':
      return [node.operator, print('operand')];
    case 'Paren':
      return ['(', print('expression'), ')'];
    case 'Name':
      return nameText(node);
    case 'Identifier':
      return node.name;
    case 'Comment':
      return printComment(path);
    default:
      throw new Error(`fcn formatter: unknown node kind '${(node as { kind?: unknown }).kind}'`);
  }
}

/** Prints every node of an array property, through `print` so their comments come along. */
function printEach<N extends AstNode, K extends keyof N & string>(node: N, key: K, print: Print): Doc[] {
  return (node[key] as unknown[]).map((_, i) => print([key, i]));
}

/** Items of the file: definitions set apart by a blank line; imports keep the blank lines they had. */
function printDocument(node: Commented<DocumentNode>, text: string, print: Print): Doc {
  const { inner } = danglingComments(node, text);
  const separate = (prev: TopLevelNode, next: TopLevelNode) => prev.kind === 'Definition' || next.kind === 'Definition';
  const items = printSequence(node, text, print, separate);
  if (items.length === 0) return inner ? [inner, hardline] : '';
  return [items, inner ? [hardline, inner] : '', hardline];
}

/** `{`, one item per line, `}`: the always-broken block of a definition or a repeat. */
function printItems(node: Commented<AstNode & { items: AstNode[] }>, text: string, print: Print): Doc {
  return printBracketed(BLOCK, printSequence(node, text, print), '', danglingComments(node, text));
}

/**
 * Items one per line, with one blank line where the source had at least one (counted from
 * the end of the previous item to the first comment above the next) or where `separate` asks.
 */
function printSequence<T extends AstNode>(
  node: { items: Commented<T>[] },
  text: string,
  print: Print,
  separate: (prev: T, next: T) => boolean = () => false,
): Doc[] {
  return node.items.map((next, i) => {
    const prev = node.items[i - 1];
    if (!prev) return print(['items', i]);
    const blank = separate(prev, next) || hasBlankLine(text, prev.span.end, startWithComments(next));
    return [hardline, blank ? hardline : '', print(['items', i])];
  });
}

/**
 * Children between brackets: on one line when they fit (and no comment forces a break),
 * else one per line; a comment right after the opening bracket stays there, and comments
 * in empty brackets go on their own lines inside.
 */
function printBracketed(brackets: Brackets, children: Doc[], separator: Doc, comments?: Dangling, last: Doc = ''): Doc {
  const { open, close, edge } = brackets;
  const afterOpen = comments?.open ?? '';
  if (children.length === 0) {
    if (afterOpen === '' && !comments?.inner) return open + close;
    return [open, afterOpen, comments?.inner ? indent([hardline, comments.inner]) : '', hardline, close];
  }
  return group([open, afterOpen, indent([edge, join(separator, children), last]), edge, close]);
}

/** The prettier printer for the `fcn` AST format. */
export const fcnPrinter: Printer<AstNode> = {
  print,
  printComment,
  canAttachComment,
  isBlockComment,
  handleComments,
  getVisitorKeys,
};
