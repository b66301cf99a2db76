/**
 * CST → AST. One method per grammar rule, typed against the generated CST (cst.ts). Error
 * recovery can leave a node without some of its children, or with tokens the parser invented
 * (they have no offset); every method tolerates that, standing in an empty name or value at
 * the place the text broke off, so that a broken file still yields an AST with valid spans.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { Source } from '../diagnostics/source.js';
import type { Span } from '../diagnostics/span.js';
import * as A from './ast.js';
import type * as C from './cst.js';

const real = (t: IToken | undefined): t is IToken =>
  t !== undefined && Number.isFinite(t.startOffset) && t.image.length > 0;

/** Builds the AST of one source from its CST. */
export class AstBuilder {
  /** End of the last real token seen: where a missing part is placed. */
  private cursor = 0;
  /**
   * Set when recovery skipped tokens or left a part missing: the AST then misses something
   * the text meant, and name resolution on it would report errors that are not there.
   */
  incomplete = false;

  constructor(
    private readonly source: Source,
    private readonly comments: IToken[],
  ) {}

  /** Document : (Import | Definition)* */
  document(node: C.DocumentCstNode): A.DocumentNode {
    const c = node.children;
    const items: A.TopLevelNode[] = [
      ...(c.importDecl ?? []).map((n) => this.importDecl(n)),
      ...(c.definition ?? []).map((n) => this.definition(n)),
    ].sort((a, b) => a.span.start - b.span.start);
    const comments = this.comments.map((t): A.CommentNode => ({
      kind: 'Comment',
      text: t.image,
      span: this.tokenSpan(t),
    }));
    return { kind: 'Document', items, comments, span: { source: this.source, start: 0, end: this.source.body.length } };
  }

  /** Import : `import` String */
  importDecl(node: C.ImportDeclCstNode): A.ImportNode {
    return { kind: 'Import', path: this.string(node.children.StringLiteral?.[0]), span: this.span(node) };
  }

  /** Definition : (`net` | `block`) Identifier Params? `{` Item* `}` */
  definition(node: C.DefinitionCstNode): A.DefinitionNode {
    const c = node.children;
    const keyword = c.Block ? 'block' : 'net';
    const name = this.identifier(c.Identifier?.[0]);
    const params = (c.params?.[0]?.children.paramDecl ?? []).map((p) => this.paramDecl(p));
    const items = this.items(c.item);
    return { kind: 'Definition', keyword, name, params, items, span: this.span(node) };
  }

  /** ParamDecl : Identifier (`:` Expression)? */
  paramDecl(node: C.ParamDeclCstNode): A.ParamDeclNode {
    const c = node.children;
    const name = this.identifier(c.Identifier?.[0]);
    const value = c.expression?.[0];
    return { kind: 'ParamDecl', name, ...(value ? { default: this.expression(value) } : {}), span: this.span(node) };
  }

  private items(nodes: C.ItemCstNode[] | undefined): A.ItemNode[] {
    return (nodes ?? []).map((n) => this.item(n)).filter((n): n is A.ItemNode => n !== undefined);
  }

  /** Item : Input | Solver | Repeat | Layer */
  item(node: C.ItemCstNode): A.ItemNode | undefined {
    const c = node.children;
    if (c.inputDecl) return this.inputDecl(c.inputDecl[0]!);
    if (c.solverDecl) return this.solverDecl(c.solverDecl[0]!);
    if (c.repeatDecl) return this.repeatDecl(c.repeatDecl[0]!);
    if (c.layer) return this.layer(c.layer[0]!);
    return undefined;
  }

  /** Input : `input` Name Body? */
  inputDecl(node: C.InputDeclCstNode): A.InputNode {
    const c = node.children;
    const body = c.body?.[0];
    return {
      kind: 'Input',
      name: this.name(c.name?.[0]),
      ...(body ? { body: this.body(body) } : {}),
      span: this.span(node),
    };
  }

  /** Solver : `solver` Body */
  solverDecl(node: C.SolverDeclCstNode): A.SolverNode {
    return { kind: 'Solver', body: this.body(node.children.body?.[0]), span: this.span(node) };
  }

  /** Repeat : `repeat` Identifier `in` Expression `..` Expression `{` Item* `}` */
  repeatDecl(node: C.RepeatDeclCstNode): A.RepeatNode {
    const c = node.children;
    const variable = this.identifier(c.Identifier?.[0]);
    const from = this.expression(c.from?.[0]);
    const to = this.expression(c.to?.[0]);
    return { kind: 'Repeat', variable, from, to, items: this.items(c.item), span: this.span(node) };
  }

  /** Layer : Name `:` Identifier Body?  |  Name Body (a Use: an anonymous instance) */
  layer(node: C.LayerCstNode): A.LayerNode | A.UseNode {
    const c = node.children;
    const name = this.name(c.name?.[0]);
    const body = c.body?.[0] ? this.body(c.body[0]) : undefined;
    if (c.Colon) {
      const type = this.identifier(c.Identifier?.[0]);
      return { kind: 'Layer', name, type, ...(body ? { body } : {}), span: this.span(node) };
    }
    const block: A.IdentifierNode = { kind: 'Identifier', name: A.nameText(name), span: name.span };
    return { kind: 'Use', block, ...(body ? { body } : {}), span: this.span(node) };
  }

  /** Name : Identifier | TemplateName */
  name(node: C.NameCstNode | undefined): A.NameNode {
    const token = node?.children.Identifier?.[0] ?? node?.children.TemplateName?.[0];
    if (!real(token)) return { kind: 'Name', parts: [], span: this.missing() };
    const parts: A.NamePart[] = [];
    for (const m of token.image.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}|[^{]+/g)) {
      parts.push(m[1] !== undefined ? { variable: m[1] } : { text: m[0] });
    }
    return { kind: 'Name', parts, span: this.tokenSpan(token) };
  }

  /** Body : `{` Entry* `}` */
  body(node: C.BodyCstNode | undefined): A.BodyNode {
    if (!node) return { kind: 'Body', entries: [], span: this.missing() };
    const entries = (node.children.entry ?? []).map((e) => this.entry(e));
    return { kind: 'Body', entries, span: this.span(node) };
  }

  /** Entry : Identifier (`.` Identifier)* `:` Expression  |  Identifier Body */
  entry(node: C.EntryCstNode): A.EntryNode {
    const c = node.children;
    const key = (c.Identifier ?? []).filter(real).map((t) => this.identifier(t));
    if (key.length === 0) key.push(this.identifier(undefined));
    if (c.body && !c.Colon) return { kind: 'Section', key: key[0]!, body: this.body(c.body[0]), span: this.span(node) };
    return { kind: 'Property', key, value: this.expression(c.expression?.[0]), span: this.span(node) };
  }

  /** Expression : Term ((`+` | `-`) Term)* */
  expression(node: C.ExpressionCstNode | undefined): A.ExpressionNode {
    if (!node) return this.missingValue();
    const terms = (node.children.term ?? []).map((t) => this.term(t));
    return this.fold(terms, node.children.AdditiveOperator ?? []);
  }

  /** Term : Unary ((`*` | `/`) Unary)* */
  term(node: C.TermCstNode): A.ExpressionNode {
    const factors = (node.children.unary ?? []).map((u) => this.unary(u));
    return this.fold(factors, node.children.MultiplicativeOperator ?? []);
  }

  /** Left-associative chain of binary operations. */
  private fold(operands: A.ExpressionNode[], operators: IToken[]): A.ExpressionNode {
    let left = operands[0] ?? this.missingValue();
    for (let i = 1; i < operands.length; i++) {
      const right = operands[i]!;
      const operator = (operators[i - 1]?.image || '+') as A.BinaryNode['operator'];
      left = { kind: 'Binary', operator, left, right, span: this.cover(left.span, right.span) };
    }
    return left;
  }

  /** Unary : `-` Unary | Primary */
  unary(node: C.UnaryCstNode): A.ExpressionNode {
    const c = node.children;
    if (c.Minus) {
      const operand = c.unary?.[0] ? this.unary(c.unary[0]) : this.missingValue();
      return { kind: 'Unary', operator: '-', operand, span: this.span(node) };
    }
    return this.primary(c.primary?.[0]);
  }

  /** Primary : Number | String | `true` | `false` | List | Paren | Call | Reference */
  primary(node: C.PrimaryCstNode | undefined): A.ExpressionNode {
    const c = node?.children;
    if (!c) return this.missingValue();
    const number = c.NumberLiteral?.[0];
    if (real(number))
      return { kind: 'Number', value: Number(number.image), raw: number.image, span: this.tokenSpan(number) };
    if (c.StringLiteral) return this.string(c.StringLiteral[0]);
    const bool = c.True?.[0] ?? c.False?.[0];
    if (real(bool)) return { kind: 'Boolean', value: c.True !== undefined, span: this.tokenSpan(bool) };
    if (c.list) return this.list(c.list[0]!);
    if (c.paren) return this.paren(c.paren[0]!);
    if (c.call) return this.call(c.call[0]!);
    if (c.reference) return this.reference(c.reference[0]!);
    return this.missingValue();
  }

  /** List : `[` (Expression (`,` Expression)* `,`?)? `]` */
  list(node: C.ListCstNode): A.ListNode {
    return {
      kind: 'List',
      elements: (node.children.expression ?? []).map((e) => this.expression(e)),
      span: this.span(node),
    };
  }

  /** Paren : `(` Expression `)` */
  paren(node: C.ParenCstNode): A.ParenNode {
    return { kind: 'Paren', expression: this.expression(node.children.expression?.[0]), span: this.span(node) };
  }

  /** Call : Identifier `(` (Expression (`,` Expression)*)? `)` */
  call(node: C.CallCstNode): A.CallNode {
    const c = node.children;
    const callee = this.identifier(c.Identifier?.[0]);
    return { kind: 'Call', callee, args: (c.expression ?? []).map((e) => this.expression(e)), span: this.span(node) };
  }

  /** Reference : Name (`.` Name)* */
  reference(node: C.ReferenceCstNode): A.ReferenceNode {
    const path = (node.children.name ?? []).map((n) => this.name(n)).filter((n) => n.parts.length > 0);
    return { kind: 'Reference', path, span: this.span(node) };
  }

  private identifier(token: IToken | undefined): A.IdentifierNode {
    if (!real(token)) return { kind: 'Identifier', name: '', span: this.missing() };
    return { kind: 'Identifier', name: token.image, span: this.tokenSpan(token) };
  }

  private string(token: IToken | undefined): A.StringNode {
    if (!real(token)) return { kind: 'String', value: '', raw: '""', span: this.missing() };
    const raw = token.image;
    const inner = raw.slice(1, raw.length > 1 && raw.endsWith(raw[0]!) ? -1 : undefined);
    const value = inner.replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t' })[ch] ?? ch);
    return { kind: 'String', value, raw, span: this.tokenSpan(token) };
  }

  private missingValue(): A.ReferenceNode {
    return { kind: 'Reference', path: [], span: this.missing() };
  }

  private tokenSpan(t: IToken): Span {
    this.cursor = Math.max(this.cursor, t.startOffset + t.image.length);
    return { source: this.source, start: t.startOffset, end: t.startOffset + t.image.length };
  }

  /** A zero-width span where something is missing: just after the last real token seen. */
  private missing(): Span {
    this.incomplete = true;
    const at = Math.min(this.cursor, this.source.body.length);
    return { source: this.source, start: at, end: at };
  }

  private cover(a: Span, b: Span): Span {
    return { source: this.source, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
  }

  /** A node's span from its real tokens (recovery may have invented some, or left none). */
  private span(node: CstNode): Span {
    if (node.recoveredNode) this.incomplete = true;
    const loc = node.location;
    if (
      loc &&
      Number.isFinite(loc.startOffset) &&
      Number.isFinite(loc.endOffset) &&
      loc.endOffset! >= loc.startOffset
    ) {
      return { source: this.source, start: loc.startOffset, end: loc.endOffset! + 1 };
    }
    let start = Infinity;
    let end = -Infinity;
    const walk = (n: CstNode): void => {
      for (const list of Object.values(n.children)) {
        for (const child of list) {
          if ('tokenType' in child) {
            if (real(child)) {
              start = Math.min(start, child.startOffset);
              end = Math.max(end, child.startOffset + child.image.length);
            }
          } else walk(child);
        }
      }
    };
    walk(node);
    return Number.isFinite(start) ? { source: this.source, start, end } : this.missing();
  }
}
