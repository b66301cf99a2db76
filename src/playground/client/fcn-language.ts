/**
 * .fcn highlighting for CodeMirror 6: a stream tokenizer over the same words as the compiler
 * (its keywords and layer types), so the editor colours what the parser reads.
 */
import { StreamLanguage, type StringStream } from '@codemirror/language';
import { LAYER_TYPES } from '../../compiler/layers/types.js';
import { KEYWORDS } from '../../parser/tokens.js';

const keywords = new Set<string>(KEYWORDS);
const types = new Set<string>(LAYER_TYPES);

function token(stream: StringStream): string | null {
  if (stream.eatSpace()) return null;
  if (stream.match(/^#.*/)) return 'comment';
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
  if (stream.match(/^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z_])/)) return 'number';
  const word = stream.match(/^[A-Za-z0-9_]+(?:\{[A-Za-z_][A-Za-z0-9_]*\}[A-Za-z0-9_]*)*/) as RegExpMatchArray | null;
  if (word) {
    const w = word[0];
    if (keywords.has(w)) return 'keyword';
    if (types.has(w)) return 'typeName';
    if (/^\s*:/.test(stream.string.slice(stream.pos))) return 'propertyName';
    return 'variableName';
  }
  if (stream.match(/^[{}[\]()]/)) return 'bracket';
  stream.next();
  return 'punctuation';
}

/** The .fcn language for CodeMirror. */
export const fcnLanguage = StreamLanguage.define({
  name: 'fcn',
  token,
  languageData: { commentTokens: { line: '#' } },
});
