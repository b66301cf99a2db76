/**
 * The .fcn abstract syntax tree: a faithful picture of the text (the formatter prints it),
 * every node with its source span. Meaning (imports, blocks, names) is given later by the
 * resolver in src/compiler/resolve/.
 */
import type { Span } from '../diagnostics/span.js';

interface BaseNode {
  span: Span;
}

/** Document : (Import | Definition)* */
export interface DocumentNode extends BaseNode {
  kind: 'Document';
  items: TopLevelNode[];
  /** Every `#` comment in the file, in source order (the formatter re-attaches them). */
  comments: CommentNode[];
}

export type TopLevelNode = ImportNode | DefinitionNode;

/** Comment : `#` anything to end of line */
export interface CommentNode extends BaseNode {
  kind: 'Comment';
  /** The text including the leading `#`. */
  text: string;
}

/** Import : `import` String */
export interface ImportNode extends BaseNode {
  kind: 'Import';
  path: StringNode;
}

/** Definition : (`net` | `block`) Identifier Params? `{` Item* `}` */
export interface DefinitionNode extends BaseNode {
  kind: 'Definition';
  keyword: 'net' | 'block';
  name: IdentifierNode;
  params: ParamDeclNode[];
  items: ItemNode[];
}

/** ParamDecl : Identifier (`:` Expression)?   (inside `( … )`, comma separated) */
export interface ParamDeclNode extends BaseNode {
  kind: 'ParamDecl';
  name: IdentifierNode;
  default?: ExpressionNode;
}

export type ItemNode = InputNode | LayerNode | UseNode | RepeatNode | SolverNode;

/** Input : `input` Name Body? */
export interface InputNode extends BaseNode {
  kind: 'Input';
  name: NameNode;
  body?: BodyNode;
}

/**
 * Layer : Name `:` Identifier Body?
 * `type` names a built-in layer type (`conv`, `pool`, …) or a block/net (an instance,
 * whose layers are prefixed by `name.`); the resolver decides which.
 */
export interface LayerNode extends BaseNode {
  kind: 'Layer';
  name: NameNode;
  type: IdentifierNode;
  body?: BodyNode;
}

/** Use : Identifier Body   (an anonymous block instance, inlined without a name prefix) */
export interface UseNode extends BaseNode {
  kind: 'Use';
  block: IdentifierNode;
  body?: BodyNode;
}

/** Repeat : `repeat` Identifier `in` Expression `..` Expression `{` Item* `}` */
export interface RepeatNode extends BaseNode {
  kind: 'Repeat';
  variable: IdentifierNode;
  from: ExpressionNode;
  to: ExpressionNode;
  items: ItemNode[];
}

/** Solver : `solver` Body */
export interface SolverNode extends BaseNode {
  kind: 'Solver';
  body: BodyNode;
}

/** Body : `{` Entry* `}` */
export interface BodyNode extends BaseNode {
  kind: 'Body';
  entries: EntryNode[];
}

export type EntryNode = PropertyNode | SectionNode;

/**
 * Property : Path `:` Expression
 * The key is usually one identifier (`kernel: 3`); a dotted key (`conv1_1.pad: 100`)
 * overrides a parameter of a layer inside a block instance.
 */
export interface PropertyNode extends BaseNode {
  kind: 'Property';
  key: IdentifierNode[];
  value: ExpressionNode;
}

/** Section : Identifier Body   (e.g. `weight { init: gaussian(0.01) lr: 1 }`) */
export interface SectionNode extends BaseNode {
  kind: 'Section';
  key: IdentifierNode;
  body: BodyNode;
}

export type ExpressionNode =
  NumberNode | StringNode | BooleanNode | ReferenceNode | ListNode | CallNode | BinaryNode | UnaryNode | ParenNode;

/** Number : decimal, with optional fraction and exponent (`3`, `0.5`, `1e-4`); sign is a UnaryNode */
export interface NumberNode extends BaseNode {
  kind: 'Number';
  value: number;
  /** The text as written, so the formatter keeps `1e-4` rather than `0.0001`. */
  raw: string;
}

/** String : `"…"` with `\"` and `\\` escapes */
export interface StringNode extends BaseNode {
  kind: 'String';
  value: string;
  raw: string;
}

/** Boolean : `true` | `false` */
export interface BooleanNode extends BaseNode {
  kind: 'Boolean';
  value: boolean;
}

/**
 * Reference : Name (`.` Name)*
 * A blob name (`vgg.pool4`), a parameter or loop variable (`out`), or an enumerated
 * word (`max`, `ceil`, `bilinear`); the resolver decides by context.
 */
export interface ReferenceNode extends BaseNode {
  kind: 'Reference';
  path: NameNode[];
}

/** List : `[` (Expression (`,` Expression)* `,`?)? `]` */
export interface ListNode extends BaseNode {
  kind: 'List';
  elements: ExpressionNode[];
}

/** Call : Identifier `(` (Expression (`,` Expression)*)? `)`   (`gaussian(0.01)`, `crop(score_pool4)`) */
export interface CallNode extends BaseNode {
  kind: 'Call';
  callee: IdentifierNode;
  args: ExpressionNode[];
}

/** Binary : Expression (`+` | `-` | `*` | `/`) Expression, usual precedence, left associative */
export interface BinaryNode extends BaseNode {
  kind: 'Binary';
  operator: '+' | '-' | '*' | '/';
  left: ExpressionNode;
  right: ExpressionNode;
}

/** Unary : `-` Expression */
export interface UnaryNode extends BaseNode {
  kind: 'Unary';
  operator: '-';
  operand: ExpressionNode;
}

/** Paren : `(` Expression `)` */
export interface ParenNode extends BaseNode {
  kind: 'Paren';
  expression: ExpressionNode;
}

/**
 * Name : an identifier, possibly templated with `{variable}` parts and no spaces:
 * `conv{i}_{j}` is [text `conv`, var `i`, text `_`, var `j`].
 * Identifiers may start with a digit when they are not numbers (`1x1`, `3x3_reduce`),
 * as GoogLeNet's layer names do.
 */
export interface NameNode extends BaseNode {
  kind: 'Name';
  parts: NamePart[];
}

export type NamePart = { text: string } | { variable: string };

/** Identifier : a plain name with no template parts */
export interface IdentifierNode extends BaseNode {
  kind: 'Identifier';
  name: string;
}

export type AstNode =
  | DocumentNode
  | CommentNode
  | ImportNode
  | DefinitionNode
  | ParamDeclNode
  | ItemNode
  | BodyNode
  | EntryNode
  | ExpressionNode
  | NameNode
  | IdentifierNode;

/** The plain text of a name without template parts, or undefined when it is templated. */
export function plainName(name: NameNode): string | undefined {
  return name.parts.every((p) => 'text' in p)
    ? name.parts.map((p) => (p as { text: string }).text).join('')
    : undefined;
}

/** The name as written, with `{var}` for template parts. */
export function nameText(name: NameNode): string {
  return name.parts.map((p) => ('text' in p ? p.text : `{${p.variable}}`)).join('');
}
