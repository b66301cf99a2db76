/** The .fcn CST node types, generated from the parser by scripts/diagrams.ts; do not edit. */
import type { CstNode, ICstVisitor, IToken } from 'chevrotain';

export interface DocumentCstNode extends CstNode {
  name: 'document';
  children: DocumentCstChildren;
}

export type DocumentCstChildren = {
  importDecl?: ImportDeclCstNode[];
  definition?: DefinitionCstNode[];
};

export interface ImportDeclCstNode extends CstNode {
  name: 'importDecl';
  children: ImportDeclCstChildren;
}

export type ImportDeclCstChildren = {
  Import: IToken[];
  StringLiteral: IToken[];
};

export interface DefinitionCstNode extends CstNode {
  name: 'definition';
  children: DefinitionCstChildren;
}

export type DefinitionCstChildren = {
  Net?: IToken[];
  Block?: IToken[];
  Identifier: IToken[];
  params?: ParamsCstNode[];
  LBrace: IToken[];
  item?: ItemCstNode[];
  RBrace: IToken[];
};

export interface ParamsCstNode extends CstNode {
  name: 'params';
  children: ParamsCstChildren;
}

export type ParamsCstChildren = {
  LParen: IToken[];
  paramDecl?: ParamDeclCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ParamDeclCstNode extends CstNode {
  name: 'paramDecl';
  children: ParamDeclCstChildren;
}

export type ParamDeclCstChildren = {
  Identifier: IToken[];
  Colon?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface ItemCstNode extends CstNode {
  name: 'item';
  children: ItemCstChildren;
}

export type ItemCstChildren = {
  inputDecl?: InputDeclCstNode[];
  solverDecl?: SolverDeclCstNode[];
  repeatDecl?: RepeatDeclCstNode[];
  layer?: LayerCstNode[];
};

export interface InputDeclCstNode extends CstNode {
  name: 'inputDecl';
  children: InputDeclCstChildren;
}

export type InputDeclCstChildren = {
  Input: IToken[];
  name: NameCstNode[];
  body?: BodyCstNode[];
};

export interface SolverDeclCstNode extends CstNode {
  name: 'solverDecl';
  children: SolverDeclCstChildren;
}

export type SolverDeclCstChildren = {
  Solver: IToken[];
  body: BodyCstNode[];
};

export interface RepeatDeclCstNode extends CstNode {
  name: 'repeatDecl';
  children: RepeatDeclCstChildren;
}

export type RepeatDeclCstChildren = {
  Repeat: IToken[];
  Identifier: IToken[];
  In: IToken[];
  from: ExpressionCstNode[];
  Range: IToken[];
  to: ExpressionCstNode[];
  LBrace: IToken[];
  item?: ItemCstNode[];
  RBrace: IToken[];
};

export interface LayerCstNode extends CstNode {
  name: 'layer';
  children: LayerCstChildren;
}

export type LayerCstChildren = {
  name: NameCstNode[];
  Colon?: IToken[];
  Identifier?: IToken[];
  body?: BodyCstNode[];
};

export interface NameCstNode extends CstNode {
  name: 'name';
  children: NameCstChildren;
}

export type NameCstChildren = {
  Identifier?: IToken[];
  TemplateName?: IToken[];
};

export interface BodyCstNode extends CstNode {
  name: 'body';
  children: BodyCstChildren;
}

export type BodyCstChildren = {
  LBrace: IToken[];
  entry?: EntryCstNode[];
  RBrace: IToken[];
};

export interface EntryCstNode extends CstNode {
  name: 'entry';
  children: EntryCstChildren;
}

export type EntryCstChildren = {
  Identifier: IToken[];
  Dot?: IToken[];
  Colon?: IToken[];
  expression?: ExpressionCstNode[];
  body?: BodyCstNode[];
};

export interface ExpressionCstNode extends CstNode {
  name: 'expression';
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  term: TermCstNode[];
  AdditiveOperator?: IToken[];
};

export interface TermCstNode extends CstNode {
  name: 'term';
  children: TermCstChildren;
}

export type TermCstChildren = {
  unary: UnaryCstNode[];
  MultiplicativeOperator?: IToken[];
};

export interface UnaryCstNode extends CstNode {
  name: 'unary';
  children: UnaryCstChildren;
}

export type UnaryCstChildren = {
  Minus?: IToken[];
  unary?: UnaryCstNode[];
  primary?: PrimaryCstNode[];
};

export interface PrimaryCstNode extends CstNode {
  name: 'primary';
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  NumberLiteral?: IToken[];
  StringLiteral?: IToken[];
  True?: IToken[];
  False?: IToken[];
  list?: ListCstNode[];
  paren?: ParenCstNode[];
  call?: CallCstNode[];
  reference?: ReferenceCstNode[];
};

export interface ListCstNode extends CstNode {
  name: 'list';
  children: ListCstChildren;
}

export type ListCstChildren = {
  LBracket: IToken[];
  expression?: ExpressionCstNode[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface ParenCstNode extends CstNode {
  name: 'paren';
  children: ParenCstChildren;
}

export type ParenCstChildren = {
  LParen: IToken[];
  expression: ExpressionCstNode[];
  RParen: IToken[];
};

export interface CallCstNode extends CstNode {
  name: 'call';
  children: CallCstChildren;
}

export type CallCstChildren = {
  Identifier: IToken[];
  LParen: IToken[];
  expression?: ExpressionCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ReferenceCstNode extends CstNode {
  name: 'reference';
  children: ReferenceCstChildren;
}

export type ReferenceCstChildren = {
  name: NameCstNode[];
  Dot?: IToken[];
};

export interface FcnCstVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  document(children: DocumentCstChildren, param?: IN): OUT;
  importDecl(children: ImportDeclCstChildren, param?: IN): OUT;
  definition(children: DefinitionCstChildren, param?: IN): OUT;
  params(children: ParamsCstChildren, param?: IN): OUT;
  paramDecl(children: ParamDeclCstChildren, param?: IN): OUT;
  item(children: ItemCstChildren, param?: IN): OUT;
  inputDecl(children: InputDeclCstChildren, param?: IN): OUT;
  solverDecl(children: SolverDeclCstChildren, param?: IN): OUT;
  repeatDecl(children: RepeatDeclCstChildren, param?: IN): OUT;
  layer(children: LayerCstChildren, param?: IN): OUT;
  name(children: NameCstChildren, param?: IN): OUT;
  body(children: BodyCstChildren, param?: IN): OUT;
  entry(children: EntryCstChildren, param?: IN): OUT;
  expression(children: ExpressionCstChildren, param?: IN): OUT;
  term(children: TermCstChildren, param?: IN): OUT;
  unary(children: UnaryCstChildren, param?: IN): OUT;
  primary(children: PrimaryCstChildren, param?: IN): OUT;
  list(children: ListCstChildren, param?: IN): OUT;
  paren(children: ParenCstChildren, param?: IN): OUT;
  call(children: CallCstChildren, param?: IN): OUT;
  reference(children: ReferenceCstChildren, param?: IN): OUT;
}
