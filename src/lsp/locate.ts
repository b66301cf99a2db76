/**
 * What is under the cursor: a walk of the document's AST to the innermost name, with the
 * definition and item around it. Positions are offsets into the text; a name's end counts
 * as on it, as editors put the cursor after the word.
 */
import type {
  BodyNode,
  DefinitionNode,
  DocumentNode,
  ExpressionNode,
  IdentifierNode,
  ImportNode,
  InputNode,
  ItemNode,
  LayerNode,
  NameNode,
  PropertyNode,
  ReferenceNode,
  UseNode,
} from '../parser/ast.js';
import type { Span } from '../diagnostics/span.js';

/** Where the cursor is: the definition, and the innermost item (layer, input, instance, solver) around it. */
export interface Around {
  definition: DefinitionNode;
  item?: ItemNode;
}

export type Hit =
  | { kind: 'import'; node: ImportNode }
  | { kind: 'definition'; node: DefinitionNode }
  | { kind: 'declaration'; item: LayerNode | InputNode; around: Around }
  | { kind: 'type'; id: IdentifierNode; item: LayerNode | UseNode; around: Around }
  /** A name in a value (`bottom: vgg.pool4`, `crop(score_pool4)`), on path segment `segment`. */
  | { kind: 'reference'; ref: ReferenceNode; segment: number; around: Around }
  /** A key of a body (`kernel`, or `conv1_1` in `conv1_1.pad`), on key segment `segment`, inside `sections`. */
  | { kind: 'key'; property: PropertyNode; segment: number; sections: string[]; around: Around };

/** Whether an offset is on a span (its end included). */
export function isOn(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The name or key under `offset`, if any. */
export function locate(doc: DocumentNode, offset: number): Hit | undefined {
  for (const top of doc.items) {
    if (!isOn(top.span, offset)) continue;
    if (top.kind === 'Import') return { kind: 'import', node: top };
    if (isOn(top.name.span, offset)) return { kind: 'definition', node: top };
    const hit = inItems(top.items, offset, { definition: top });
    if (hit) return hit;
    for (const p of top.params) {
      const ref = p.default && inExpression(p.default, offset);
      if (ref) return { kind: 'reference', ...ref, around: { definition: top } };
    }
  }
  return undefined;
}

function inItems(items: readonly ItemNode[], offset: number, outer: Around): Hit | undefined {
  for (const item of items) {
    if (!isOn(item.span, offset)) continue;
    const around: Around = { definition: outer.definition, item };
    switch (item.kind) {
      case 'Repeat':
        return inItems(item.items, offset, outer);
      case 'Layer':
        if (isOn(item.name.span, offset)) return { kind: 'declaration', item, around };
        if (isOn(item.type.span, offset)) return { kind: 'type', id: item.type, item, around };
        return inBody(item.body, offset, around, []);
      case 'Input':
        if (isOn(item.name.span, offset)) return { kind: 'declaration', item, around };
        return inBody(item.body, offset, around, []);
      case 'Use':
        if (isOn(item.block.span, offset)) return { kind: 'type', id: item.block, item, around };
        return inBody(item.body, offset, around, []);
      case 'Solver':
        return inBody(item.body, offset, around, []);
    }
  }
  return undefined;
}

function inBody(body: BodyNode | undefined, offset: number, around: Around, sections: string[]): Hit | undefined {
  for (const entry of body?.entries ?? []) {
    if (!isOn(entry.span, offset)) continue;
    if (entry.kind === 'Section') {
      if (isOn(entry.key.span, offset)) return undefined;
      return inBody(entry.body, offset, around, [...sections, entry.key.name]);
    }
    const segment = entry.key.findIndex((k) => isOn(k.span, offset));
    if (segment >= 0) return { kind: 'key', property: entry, segment, sections, around };
    const ref = inExpression(entry.value, offset);
    if (ref) return { kind: 'reference', ...ref, around };
  }
  return undefined;
}

function inExpression(e: ExpressionNode, offset: number): { ref: ReferenceNode; segment: number } | undefined {
  if (!isOn(e.span, offset)) return undefined;
  switch (e.kind) {
    case 'Reference': {
      const segment = e.path.findIndex((n: NameNode) => isOn(n.span, offset));
      return segment >= 0 ? { ref: e, segment } : undefined;
    }
    case 'List':
      return first(e.elements, offset);
    case 'Call':
      return first(e.args, offset);
    case 'Binary':
      return first([e.left, e.right], offset);
    case 'Unary':
      return inExpression(e.operand, offset);
    case 'Paren':
      return inExpression(e.expression, offset);
    default:
      return undefined;
  }
}

function first(es: readonly ExpressionNode[], offset: number) {
  for (const e of es) {
    const hit = inExpression(e, offset);
    if (hit) return hit;
  }
  return undefined;
}
