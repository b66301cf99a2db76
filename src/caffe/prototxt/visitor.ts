/**
 * CST → prototxt tree. Recovery can leave a node without some of its children, or with
 * tokens the parser invented (they have no offset); such fields are dropped here, since
 * their syntax error is already reported.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Source } from '../../diagnostics/source.js';
import type { Span } from '../../diagnostics/span.js';
import type { TextField, TextMessage, TextValue } from './ast.js';

const real = (t: IToken | undefined): t is IToken => t !== undefined && Number.isFinite(t.startOffset);

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** The value of a quoted string, with protobuf's C escapes (`\n`, `\'`, octal `\101`, hex `\x41`). */
export function unquote(image: string): string {
  const body = image.slice(1, image.length > 1 && image.endsWith(image[0]!) ? -1 : undefined);
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ESCAPES[e] ?? e;
  });
}

/** Builds the tree of one source from its CST. */
export class TreeBuilder {
  constructor(private readonly source: Source) {}

  /** Message : Field* */
  message(node: CstNode | undefined, span?: Span): TextMessage {
    return { fields: this.nodes(node, 'field').flatMap((f) => this.field(f)), span: span ?? this.span(node) };
  }

  /**
   * Field : Name (`:` Value | `:`? Block) Separator?
   * A list (`dim: [1, 3]`) gives one field per element, as protobuf reads it.
   */
  private field(node: CstNode): TextField[] {
    const name = this.tokens(node, 'Name')[0];
    if (!real(name)) return [];
    const valueNode = this.nodes(node, 'value')[0];
    const blockNode = this.nodes(node, 'block')[0];
    const values = valueNode ? this.value(valueNode) : blockNode ? [this.block(blockNode)] : [];
    const nameSpan = this.tokenSpan(name);
    return values.map((value) => ({
      name: name.image,
      nameSpan,
      value,
      span: { source: this.source, start: nameSpan.start, end: value.span.end },
    }));
  }

  /** Value : Scalar | List | Block */
  private value(node: CstNode): TextValue[] {
    const scalar = this.nodes(node, 'scalar')[0];
    if (scalar) return this.scalar(scalar);
    const block = this.nodes(node, 'block')[0];
    if (block) return [this.block(block)];
    const list = this.nodes(node, 'list')[0];
    return list ? this.nodes(list, 'listItem').flatMap((item) => this.value(item)) : [];
  }

  /** Block : `{` Field* `}` | `<` Field* `>` */
  private block(node: CstNode): TextValue {
    const span = this.span(node);
    return { kind: 'message', message: this.message(node, span), span };
  }

  /** Scalar : String+ | Number | `-`? Name */
  private scalar(node: CstNode): TextValue[] {
    const strings = this.tokens(node, 'StringLiteral').filter(real);
    if (strings.length) {
      const value = strings.map((s) => unquote(s.image)).join('');
      const last = strings.at(-1)!;
      const span = { source: this.source, start: strings[0]!.startOffset, end: last.startOffset + last.image.length };
      return [{ kind: 'string', value, span }];
    }
    const number = this.tokens(node, 'NumberLiteral')[0];
    if (real(number)) {
      const raw = number.image.replace(/[fF]$/, '');
      const value = /^-?0[xX]/.test(raw)
        ? (raw.startsWith('-') ? -1 : 1) * parseInt(raw.replace(/^-?0[xX]/, ''), 16)
        : Number(raw);
      return [{ kind: 'number', value, raw, span: this.tokenSpan(number) }];
    }
    const name = this.tokens(node, 'Name')[0];
    if (!real(name)) return [];
    const minus = this.tokens(node, 'Minus')[0];
    const span = this.tokenSpan(name);
    const word = name.image.toLowerCase();
    if (word === 'inf' || word === 'infinity' || word === 'nan') {
      const value = word === 'nan' ? NaN : minus ? -Infinity : Infinity;
      const start = real(minus) ? minus.startOffset : span.start;
      return [{ kind: 'number', value, raw: `${minus ? '-' : ''}${name.image}`, span: { ...span, start } }];
    }
    return [{ kind: 'identifier', value: name.image, span }];
  }

  private nodes(node: CstNode | undefined, key: string): CstNode[] {
    return ((node?.children[key] ?? []) as CstElement[]).filter((c): c is CstNode => 'children' in c);
  }

  private tokens(node: CstNode, key: string): IToken[] {
    return ((node.children[key] ?? []) as CstElement[]).filter((c): c is IToken => 'image' in c);
  }

  private tokenSpan(t: IToken): Span {
    return { source: this.source, start: t.startOffset, end: t.startOffset + t.image.length };
  }

  private span(node: CstNode | undefined): Span {
    const loc = node?.location;
    const start = loc && Number.isFinite(loc.startOffset) ? loc.startOffset : 0;
    const end = loc && Number.isFinite(loc.endOffset) ? (loc.endOffset ?? start) + 1 : start;
    return { source: this.source, start, end };
  }
}
