/**
 * A compact, readable picture of an AST for tests: `(layer conv1 conv (out 64) (kernel 3))`.
 * Spans are left out; tests that care about them assert them directly.
 */
import { nameText, type AstNode } from '../../src/parser/ast.js';

/** The node as an s-expression. */
export function sexpr(node: AstNode): string {
  switch (node.kind) {
    case 'Document':
      return node.items.map(sexpr).join('\n');
    case 'Comment':
      return node.text;
    case 'Import':
      return `(import ${node.path.raw})`;
    case 'Definition': {
      const params = node.params.length ? ` (${node.params.map(sexpr).join(' ')})` : '';
      return `(${node.keyword} ${node.name.name}${params}${node.items.map((i) => ` ${sexpr(i)}`).join('')})`;
    }
    case 'ParamDecl':
      return node.default ? `${node.name.name}=${sexpr(node.default)}` : node.name.name;
    case 'Input':
      return `(input ${nameText(node.name)}${node.body ? ` ${sexpr(node.body)}` : ''})`;
    case 'Layer':
      return `(layer ${nameText(node.name)} ${node.type.name}${node.body ? ` ${sexpr(node.body)}` : ''})`;
    case 'Use':
      return `(use ${node.block.name}${node.body ? ` ${sexpr(node.body)}` : ''})`;
    case 'Repeat':
      return `(repeat ${node.variable.name} ${sexpr(node.from)} ${sexpr(node.to)}${node.items.map((i) => ` ${sexpr(i)}`).join('')})`;
    case 'Solver':
      return `(solver ${sexpr(node.body)})`;
    case 'Body':
      return `{${node.entries.map(sexpr).join(' ')}}`;
    case 'Property':
      return `(${node.key.map((k) => k.name).join('.')} ${sexpr(node.value)})`;
    case 'Section':
      return `(${node.key.name} ${sexpr(node.body)})`;
    case 'Number':
      return node.raw;
    case 'String':
      return node.raw;
    case 'Boolean':
      return String(node.value);
    case 'Reference':
      return node.path.map(nameText).join('.') || '<missing>';
    case 'List':
      return `[${node.elements.map(sexpr).join(' ')}]`;
    case 'Call':
      return `${node.callee.name}(${node.args.map(sexpr).join(' ')})`;
    case 'Binary':
      return `(${node.operator} ${sexpr(node.left)} ${sexpr(node.right)})`;
    case 'Unary':
      return `(neg ${sexpr(node.operand)})`;
    case 'Paren':
      return `(paren ${sexpr(node.expression)})`;
    case 'Name':
      return nameText(node);
    case 'Identifier':
      return node.name;
  }
}
