/**
 * The prototxt concrete-syntax parser (chevrotain CstParser), one instance for the process.
 * Error recovery is on, so one run reports several syntax errors; the messages are worded by
 * `messages` below and located by parse.ts.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { chevrotain } from '../../parser/chevrotain.js';
import * as T from './tokens.js';

/** How a token is named in a message. */
export function describeToken(t: IToken | undefined): string {
  if (!t || t.tokenType === chevrotain.EOF || !Number.isFinite(t.startOffset)) return 'end of file';
  return `'${t.image}'`;
}

const label = (t: TokenType): string => t.LABEL ?? t.name;

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, previous }) =>
    `expected ${label(expected)}${previous?.image ? ` after '${previous.image}'` : ''}, found ${describeToken(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    `expected a field name, found ${describeToken(firstRedundant)}` +
    (firstRedundant.tokenType === T.RBrace ? " (is there one '}' too many?)" : ''),
  buildNoViableAltMessage: ({ actual, previous, ruleName }) => {
    const found = describeToken(actual[0]);
    if (ruleName === 'field') return `expected ':' or '{' after '${previous.image}', found ${found}`;
    if (ruleName === 'value' || ruleName === 'scalar' || ruleName === 'listItem')
      return `expected a value (a number, string, name, list or '{'), found ${found}`;
    return `unexpected ${found}`;
  },
  buildEarlyExitMessage: ({ actual }) => `unexpected ${describeToken(actual[0])}`,
};

export class PrototxtParser extends chevrotain.CstParser {
  constructor() {
    super(T.prototxtTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: messages,
    });
    this.performSelfAnalysis();
  }

  /** Message : Field* */
  public message = this.RULE('message', () => {
    this.MANY(() => this.SUBRULE(this.field));
  });

  /** Field : Name (`:` Value | `:`? Block) Separator? */
  public field = this.RULE('field', () => {
    this.CONSUME(T.Name);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.SUBRULE(this.value);
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
    ]);
    this.OPTION(() => this.CONSUME(T.Separator));
  });

  /** Value : Scalar | List | Block */
  public value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.scalar) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.block) },
    ]);
  });

  /** Block : `{` Field* `}` | `<` Field* `>` */
  public block = this.RULE('block', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.MANY(() => this.SUBRULE(this.field));
          this.CONSUME(T.RBrace);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LAngle);
          this.MANY2(() => this.SUBRULE2(this.field));
          this.CONSUME(T.RAngle);
        },
      },
    ]);
  });

  /** List : `[` (ListItem (`,` ListItem)*)? `]` */
  public list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Separator, DEF: () => this.SUBRULE(this.listItem) });
    this.CONSUME(T.RBracket);
  });

  /** ListItem : Scalar | Block */
  public listItem = this.RULE('listItem', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.scalar) }, { ALT: () => this.SUBRULE(this.block) }]);
  });

  /** Scalar : String+ | Number | `-`? Name   (adjacent strings concatenate; `-inf`) */
  public scalar = this.RULE('scalar', () => {
    this.OR([
      { ALT: () => this.AT_LEAST_ONE(() => this.CONSUME(T.StringLiteral)) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Minus));
          this.CONSUME(T.Name);
        },
      },
    ]);
  });
}

/** The one parser instance (building it analyses the grammar). */
export const prototxtParser = new PrototxtParser();
