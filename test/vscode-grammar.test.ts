/**
 * The VS Code extension's TextMate grammar against the parser: the keywords it colours are
 * exactly the lexer's keywords, and the layer types exactly the compiler's. When a keyword or
 * a layer type is added, this fails until editors/vscode/syntaxes/fcn.tmLanguage.json has it.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { LAYER_TYPES } from '../src/compiler/layers/index.js';
import { KEYWORDS } from '../src/parser/index.js';
import * as tokens from '../src/parser/tokens.js';

interface Rule {
  match?: string;
  patterns?: Rule[];
}
const grammar = JSON.parse(readFileSync('editors/vscode/syntaxes/fcn.tmLanguage.json', 'utf8')) as {
  repository: Record<string, Rule>;
};

/** The words of every `\b(a|b|c)\b` alternative in a rule and its sub-rules. */
function words(rule: Rule): string[] {
  const own = [...(rule.match ?? '').matchAll(/\\b\(([a-z_|]+)\)\\b/g)].flatMap((m) => m[1]!.split('|'));
  return [...own, ...(rule.patterns ?? []).flatMap(words)];
}

test('the grammar’s keywords are the lexer’s keyword tokens', (t) => {
  // The lexer's own keyword tokens, by their patterns, not only the KEYWORDS list.
  const lexed = Object.values(tokens)
    .filter((v): v is import('chevrotain').TokenType => typeof v === 'object' && v !== null && 'LONGER_ALT' in v)
    .map((tok) => String((tok as { PATTERN: RegExp }).PATTERN.source))
    .filter((p) => /^[a-z]+$/.test(p));
  t.deepEqual([...lexed].sort(), [...KEYWORDS].sort());
  t.deepEqual(words(grammar.repository.keyword!).sort(), [...KEYWORDS].sort());
});

test('the grammar’s layer types are the compiler’s', (t) => {
  t.deepEqual(words(grammar.repository['layer-type']!).sort(), [...LAYER_TYPES].sort());
});

test('the extension’s package names the grammar and the language the server’s prettier plugin formats', (t) => {
  const pkg = JSON.parse(readFileSync('editors/vscode/package.json', 'utf8')) as {
    contributes: {
      languages: Array<{ id: string; extensions: string[] }>;
      grammars: Array<{ path: string; scopeName: string }>;
    };
  };
  t.deepEqual(
    pkg.contributes.languages.map((l) => [l.id, l.extensions]),
    [['fcn', ['.fcn']]],
  );
  t.deepEqual(
    pkg.contributes.grammars.map((g) => [g.path, g.scopeName]),
    [['./syntaxes/fcn.tmLanguage.json', 'source.fcn']],
  );
});
