/**
 * The child properties of each AST node kind, for prettier's comment attachment. Without this
 * prettier would walk every object property, `span` (and its whole `Source`) included.
 */
import type { AstNode } from '../parser/ast.js';

const VISITOR_KEYS: { [K in AstNode['kind']]: readonly string[] } = {
  Document: ['items'],
  Comment: [],
  Import: ['path'],
  Definition: ['name', 'params', 'items'],
  ParamDecl: ['name', 'default'],
  Input: ['name', 'body'],
  Layer: ['name', 'type', 'body'],
  Use: ['block', 'body'],
  Repeat: ['variable', 'from', 'to', 'items'],
  Solver: ['body'],
  Body: ['entries'],
  Property: ['key', 'value'],
  Section: ['key', 'body'],
  Number: [],
  String: [],
  Boolean: [],
  Reference: ['path'],
  List: ['elements'],
  Call: ['callee', 'args'],
  Binary: ['left', 'right'],
  Unary: ['operand'],
  Paren: ['expression'],
  Name: [],
  Identifier: [],
};

/** Prettier hook: the properties of a node that hold child nodes. */
export function getVisitorKeys(node: AstNode): string[] {
  const keys = VISITOR_KEYS[node.kind];
  if (!keys) throw new Error(`fcn formatter: unknown node kind '${(node as { kind?: unknown }).kind}'`);
  return [...keys];
}

/** The child nodes of a node, in source order. */
export function childNodes(node: AstNode): AstNode[] {
  const record = node as unknown as Record<string, AstNode | AstNode[] | undefined>;
  return VISITOR_KEYS[node.kind].flatMap((key) => record[key] ?? []);
}
