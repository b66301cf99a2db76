/**
 * The .fcn concrete-syntax parser (chevrotain CstParser). One instance serves the whole
 * process: `parseTokens` swaps its input. Error recovery is on, so one run reports several
 * syntax errors; the visitor (visitor.ts) turns the CST, recovered parts included, into the AST.
 */
import type { CstNode, IToken } from 'chevrotain';
import { RecoveringParser } from './recovery.js';
import { syntaxMessages } from './syntax-errors.js';
import * as T from './tokens.js';

export class FcnParser extends RecoveringParser {
  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: syntaxMessages,
    });
    this.performSelfAnalysis();
  }

  /** Document : (Import | Definition)* */
  public document = this.RULE('document', () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.importDecl) }, { ALT: () => this.SUBRULE(this.definition) }]);
    });
  });

  /** Import : `import` String */
  public importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral);
  });

  /** Definition : (`net` | `block`) Identifier Params? `{` Item* `}` */
  public definition = this.RULE('definition', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Net) }, { ALT: () => this.CONSUME(T.Block) }]);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.params));
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(T.RBrace);
  });

  /** Params : `(` (ParamDecl (`,` ParamDecl)*)? `)` */
  public params = this.RULE('params', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.paramDecl) });
    this.CONSUME(T.RParen);
  });

  /** ParamDecl : Identifier (`:` Expression)? */
  public paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.expression);
    });
  });

  /** Item : Input | Solver | Repeat | Layer */
  public item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputDecl) },
      { ALT: () => this.SUBRULE(this.solverDecl) },
      { ALT: () => this.SUBRULE(this.repeatDecl) },
      { ALT: () => this.SUBRULE(this.layer) },
    ]);
  });

  /** Input : `input` Name Body? */
  public inputDecl = this.RULE('inputDecl', () => {
    this.CONSUME(T.Input);
    this.SUBRULE(this.name);
    this.OPTION(() => this.SUBRULE(this.body));
  });

  /** Solver : `solver` Body */
  public solverDecl = this.RULE('solverDecl', () => {
    this.CONSUME(T.Solver);
    this.SUBRULE(this.body);
  });

  /** Repeat : `repeat` Identifier `in` Expression `..` Expression `{` Item* `}` */
  public repeatDecl = this.RULE('repeatDecl', () => {
    this.CONSUME(T.Repeat);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression, { LABEL: 'from' });
    this.CONSUME(T.Range);
    this.SUBRULE2(this.expression, { LABEL: 'to' });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(T.RBrace);
  });

  /**
   * Layer : Name `:` Identifier Body?   (a layer, or a named instance of a block or net)
   *       | Name Body                   (Use: an anonymous instance)
   * Both forms start with the name, so one token decides that an item is a layer: after a
   * mistake further on, recovery then skips the rest of the line instead of the net.
   */
  public layer = this.RULE('layer', () => {
    this.SUBRULE(this.name);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.CONSUME(T.Identifier);
          this.OPTION(() => this.SUBRULE(this.body));
        },
      },
      { ALT: () => this.SUBRULE2(this.body) },
    ]);
  });

  /** Name : Identifier | TemplateName */
  public name = this.RULE('name', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.TemplateName) }]);
  });

  /** Body : `{` Entry* `}` */
  public body = this.RULE('body', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.entry));
    this.CONSUME(T.RBrace);
  });

  /**
   * Entry : Identifier (`.` Identifier)* `:` Expression   (Property)
   *       | Identifier Body                             (Section)
   * Like items, entries are told apart after their first token, for the sake of recovery.
   */
  public entry = this.RULE('entry', () => {
    this.CONSUME(T.Identifier);
    this.OR([
      {
        ALT: () => {
          this.MANY(() => {
            this.CONSUME(T.Dot);
            this.CONSUME2(T.Identifier);
          });
          this.CONSUME(T.Colon);
          this.SUBRULE(this.expression);
        },
      },
      { ALT: () => this.SUBRULE(this.body) },
    ]);
  });

  /** Expression : Term ((`+` | `-`) Term)* */
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.term);
    this.MANY(() => {
      this.CONSUME(T.AdditiveOperator);
      this.SUBRULE2(this.term);
    });
  });

  /** Term : Unary ((`*` | `/`) Unary)* */
  public term = this.RULE('term', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(T.MultiplicativeOperator);
      this.SUBRULE2(this.unary);
    });
  });

  /** Unary : `-` Unary | Primary */
  public unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  /** Primary : Number | String | `true` | `false` | List | Paren | Call | Reference */
  public primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.paren) },
      { ALT: () => this.SUBRULE(this.call) },
      { ALT: () => this.SUBRULE(this.reference) },
    ]);
  });

  /** List : `[` (Expression (`,` Expression)* `,`?)? `]` */
  public list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  /** Paren : `(` Expression `)` */
  public paren = this.RULE('paren', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /** Call : Identifier `(` (Expression (`,` Expression)*)? `)` */
  public call = this.RULE('call', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RParen);
  });

  /** Reference : Name (`.` Name)* */
  public reference = this.RULE('reference', () => {
    this.SUBRULE(this.name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE2(this.name);
    });
  });
}

/** The one parser instance (building it analyses the grammar, which takes a while). */
export const parser = new FcnParser();

/** Parses a token vector of `text` into a CST; syntax errors are left in `parser.errors`. */
export function parseTokens(tokens: IToken[], text: string): CstNode {
  parser.text = text;
  parser.input = tokens;
  return parser.document();
}
