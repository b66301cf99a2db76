/**
 * Bracketed lists of children ("regions") in the AST, and where a comment lies among them.
 * Comment placement (comments.ts) reasons about the innermost region around a comment: the
 * items of the file or of a block, a body's entries, a list's elements, a call's arguments or
 * a block's parameters.
 */
import type { AstNode } from '../parser/ast.js';
import { findBracket } from './source-text.js';
import { childNodes } from './visitor-keys.js';

/** A bracketed list of children. */
export interface Region {
  /** The node whose printer prints the region's dangling comments. */
  owner: AstNode;
  /** Offset of the opening bracket (-1 for the file). */
  open: number;
  /** Offset where the region ends (exclusive). */
  end: number;
  children: AstNode[];
  /** Whether a comment right after the opening bracket can stay there (not for parameters). */
  keepsOpenComment: boolean;
}

/** The regions a node opens itself (a layer's body opens its own, as a Body node). */
export function regionsOf(node: AstNode, text: string): Region[] {
  switch (node.kind) {
    case 'Document':
      return [{ owner: node, open: -1, end: Infinity, children: node.items, keepsOpenComment: false }];
    case 'Definition': {
      const headerEnd = node.params.at(-1)?.span.end ?? node.name.span.end;
      const items = findBracket(text, headerEnd, '{');
      const regions = [region(node, items, node.span.end, node.items)];
      if (node.params.length > 0) {
        const params = findBracket(text, node.name.span.end, '(');
        regions.unshift({ ...region(node, params, items, node.params), keepsOpenComment: false });
      }
      return regions;
    }
    case 'Repeat':
      return [region(node, findBracket(text, node.to.span.end, '{'), node.span.end, node.items)];
    case 'Body':
      return [region(node, node.span.start, node.span.end, node.entries)];
    case 'List':
      return [region(node, node.span.start, node.span.end, node.elements)];
    case 'Call':
      return [region(node, findBracket(text, node.callee.span.end, '('), node.span.end, node.args)];
    default:
      return [];
  }
}

function region(owner: AstNode, open: number, end: number, children: AstNode[]): Region {
  return { owner, open, end, children, keepsOpenComment: true };
}

/** The region a construct opens after its header (`{` of a block, repeat or body, `(` of a call), if any. */
export function headerRegion(node: AstNode, text: string): Region | undefined {
  const body = 'body' in node ? node.body : undefined;
  return regionsOf(body ?? node, text).find((r) => r.keepsOpenComment && r.open >= 0);
}

/**
 * The innermost region around an offset, and the child of that region the offset lies
 * inside (undefined when it lies between children).
 */
export function locate(document: AstNode, offset: number, text: string): { region: Region; inside?: AstNode } {
  let found: { region: Region; inside?: AstNode } | undefined;
  let node = document;
  for (;;) {
    const here = regionsOf(node, text).find((r) => r.open < offset && offset < r.end);
    if (here) found = { region: here };
    const child = childNodes(node).find((c) => c.span.start <= offset && offset < c.span.end);
    if (!child) return found!;
    if (here?.children.includes(child)) found = { region: here, inside: child };
    node = child;
  }
}
