/**
 * Expression evaluation and name templates. Variables are block parameters and loop
 * variables; any other name stays a word, which the context reads as a blob or an enum value.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { ExpressionNode, NameNode } from '../../parser/ast.js';
import type { Reporter } from './report.js';
import { describeValue, formatNumber, type Value } from './values.js';

/** Variables in scope: block parameters and loop variables. */
export type Env = ReadonlyMap<string, Value>;

/** Evaluates an expression; undefined after reporting why it has no value. */
export function evaluate(node: ExpressionNode, env: Env, r: Reporter): Value | undefined {
  switch (node.kind) {
    case 'Number':
      return { kind: 'number', value: node.value, span: node.span };
    case 'String':
      return { kind: 'string', value: node.value, span: node.span };
    case 'Boolean':
      return { kind: 'bool', value: node.value, span: node.span };
    case 'Paren': {
      const v = evaluate(node.expression, env, r);
      return v && { ...v, span: node.span };
    }
    case 'Reference': {
      const first = node.path[0];
      if (!first) return undefined;
      const plain =
        node.path.length === 1 && first.parts.length === 1 && 'text' in first.parts[0]!
          ? first.parts[0].text
          : undefined;
      if (plain !== undefined && env.has(plain)) return { ...env.get(plain)!, span: node.span };
      const path: string[] = [];
      for (const segment of node.path) {
        const text = expandName(segment, env, r);
        if (text === undefined) return undefined;
        path.push(text);
      }
      return { kind: 'word', path, span: node.span };
    }
    case 'List': {
      const items = node.elements.map((e) => evaluate(e, env, r));
      return items.every((i) => i !== undefined)
        ? { kind: 'list', items: items as Value[], span: node.span }
        : undefined;
    }
    case 'Call': {
      const args = node.args.map((e) => evaluate(e, env, r));
      if (!args.every((a) => a !== undefined)) return undefined;
      return { kind: 'call', callee: node.callee.name, args: args as Value[], span: node.span };
    }
    case 'Unary': {
      const v = evaluate(node.operand, env, r);
      if (!v) return undefined;
      if (v.kind === 'unknown') return { ...v, span: node.span };
      if (v.kind !== 'number') {
        r.error('type-mismatch', `'-' needs a number, found ${describeValue(v)}`, v.span);
        return undefined;
      }
      return { kind: 'number', value: -v.value, span: node.span };
    }
    case 'Binary': {
      const a = evaluate(node.left, env, r);
      const b = evaluate(node.right, env, r);
      if (!a || !b) return undefined;
      if (a.kind === 'unknown' || b.kind === 'unknown') return { kind: 'unknown', span: node.span };
      for (const v of [a, b]) {
        if (v.kind !== 'number') {
          r.error('type-mismatch', `'${node.operator}' needs numbers, found ${describeValue(v)}`, v.span);
          return undefined;
        }
      }
      const x = (a as { value: number }).value;
      const y = (b as { value: number }).value;
      if (node.operator === '/' && y === 0) {
        r.error('division-by-zero', 'division by zero', node.span);
        return undefined;
      }
      const value =
        node.operator === '+' ? x + y : node.operator === '-' ? x - y : node.operator === '*' ? x * y : x / y;
      return { kind: 'number', value, span: node.span };
    }
  }
}

/** The text of a name with its `{variable}` parts filled in; undefined after reporting a bad part. */
export function expandName(name: NameNode, env: Env, r: Reporter): string | undefined {
  let out = '';
  for (const part of name.parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const v = env.get(part.variable);
    if (!v) {
      const help = didYouMean(part.variable, env.keys());
      r.error(
        'unknown-variable',
        `unknown variable '${part.variable}' in the name template`,
        name.span,
        help ? { help } : {},
      );
      return undefined;
    }
    if (v.kind === 'unknown') out += `{${part.variable}}`;
    else if (v.kind === 'number' && Number.isInteger(v.value) && v.value >= 0) out += formatNumber(v.value);
    else if (v.kind === 'string' && /^[A-Za-z0-9_]*$/.test(v.value)) out += v.value;
    else if (v.kind === 'word' && v.path.length === 1) out += v.path[0];
    else {
      r.error(
        'invalid-template-value',
        `'{${part.variable}}' in a name must be a non-negative integer or a name, found ${describeValue(v)}`,
        name.span,
      );
      return undefined;
    }
  }
  return out;
}
