import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DefinitionNode, LayerNode, PropertyNode } from '../src/parser/ast.js';
import { parse } from '../src/parser/index.js';
import { sexpr } from './helpers/sexpr.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'parser');

/** Parses a text that must be free of errors and returns its s-expression. */
function ast(text: string): string {
  const { document, diagnostics } = parse(text, 'test.fcn');
  if (diagnostics.length) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return sexpr(document);
}

/** The text a span covers. */
const cover = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.fcn'))) {
  test(`fixture ${file} parses to its expected tree`, (t) => {
    const text = readFileSync(join(fixtures, file), 'utf8');
    const expected = readFileSync(join(fixtures, file.replace(/\.fcn$/, '.sexpr')), 'utf8').trimEnd();
    t.is(ast(text), expected);
  });
}

test('the repo nets parse without diagnostics', (t) => {
  for (const net of ['vgg16.fcn', 'voc-fcn8s.fcn']) {
    const text = readFileSync(join(import.meta.dirname, '..', 'nets', net), 'utf8');
    t.deepEqual(parse(text, net).diagnostics, [], net);
  }
});

test('names may start with digits; numbers stay numbers', (t) => {
  t.is(
    ast('net a { 1x1: conv { out: 1e5  kernel: 3  pad: 0.5 } 3x3_reduce: relu }'),
    '(net a (layer 1x1 conv {(out 1e5) (kernel 3) (pad 0.5)}) (layer 3x3_reduce relu))',
  );
});

test('keywords followed by name characters are names', (t) => {
  t.is(
    ast('net netx { input inputs  netted: relu  in2: relu  trueish: relu }'),
    '(net netx (input inputs) (layer netted relu) (layer in2 relu) (layer trueish relu))',
  );
});

test('a templated name is one token and keeps its parts', (t) => {
  const { document } = parse('block b(i, j) { conv{i}_{j}: relu }');
  const layer = (document.items[0] as DefinitionNode).items[0] as LayerNode;
  t.deepEqual(layer.name.parts, [{ text: 'conv' }, { variable: 'i' }, { text: '_' }, { variable: 'j' }]);
});

test('a space before { makes it a body, not a template', (t) => {
  t.is(ast('net a { stage {i: 1} }'), '(net a (use stage {(i 1)}))');
});

test('a range needs no spaces: 1..n', (t) => {
  t.is(ast('block b(n) { repeat j in 1..n {} }'), '(block b (n) (repeat j 1 n))');
});

test('lists accept a trailing comma', (t) => {
  t.is(ast('net a { x: y { k: [1, 2,] } }'), '(net a (layer x y {(k [1 2])}))');
});

test('string escapes are decoded and the raw text kept', (t) => {
  const { document } = parse('net a { x: y { s: "a\\"b\\\\c" } }');
  const value = ((document.items[0] as DefinitionNode).items[0] as LayerNode).body!.entries[0] as PropertyNode;
  t.deepEqual(
    { value: (value.value as { value: string }).value, raw: (value.value as { raw: string }).raw },
    { value: 'a"b\\c', raw: '"a\\"b\\\\c"' },
  );
});

test('numbers keep the text as written', (t) => {
  const { document } = parse('net a { x: y { lr: 1e-14 } }');
  const p = ((document.items[0] as DefinitionNode).items[0] as LayerNode).body!.entries[0] as PropertyNode;
  t.deepEqual(p.value, { kind: 'Number', value: 1e-14, raw: '1e-14', span: p.value.span });
});

test('the document keeps every comment with its span, in order', (t) => {
  const text = '# head\nnet a { # after brace\n  x: relu # trailing\n}\n# tail';
  const { document } = parse(text);
  t.deepEqual(
    document.comments.map((c) => [c.text, cover(text, c.span)]),
    [
      ['# head', '# head'],
      ['# after brace', '# after brace'],
      ['# trailing', '# trailing'],
      ['# tail', '# tail'],
    ],
  );
});

test('every node spans exactly its text', (t) => {
  const text = 'net a {\n  conv1: conv { out: 2 * k  kernel: [3, 5] }\n}\n';
  const { document } = parse(text, 'x.fcn');
  const def = document.items[0] as DefinitionNode;
  const layer = def.items[0] as LayerNode;
  const [out, kernel] = layer.body!.entries as PropertyNode[];
  t.deepEqual(
    [def, def.name, layer, layer.name, layer.type, layer.body!, out!, out!.value, kernel!.value].map((n) =>
      cover(text, n.span),
    ),
    [
      'net a {\n  conv1: conv { out: 2 * k  kernel: [3, 5] }\n}',
      'a',
      'conv1: conv { out: 2 * k  kernel: [3, 5] }',
      'conv1',
      'conv',
      '{ out: 2 * k  kernel: [3, 5] }',
      'out: 2 * k',
      '2 * k',
      '[3, 5]',
    ],
  );
  t.deepEqual([document.span.start, document.span.end], [0, text.length]);
  t.is(document.span.source.name, 'x.fcn');
});

test('top-level items keep their source order', (t) => {
  t.is(ast('block b {}\nimport "x.fcn"\nnet n {}'), '(block b)\n(import "x.fcn")\n(net n)');
});

test('recovery reports several syntax errors in one run', (t) => {
  const text = 'net a {\n  c: conv { out 3 }\n  d: relu { x: }\n  e: { out: 1 }\n}\n';
  const { diagnostics } = parse(text, 'x.fcn');
  t.deepEqual(
    diagnostics.map((d) => [d.code, d.span!.source.location(d.span!.start)]),
    [
      ['unexpected-token', { line: 2, column: 17 }],
      ['unexpected-token', { line: 3, column: 16 }],
      ['unexpected-token', { line: 4, column: 6 }],
    ],
  );
});

test('after a broken definition the next one is still parsed', (t) => {
  const { document, diagnostics } = parse('net a { c: conv { out: } }\nnet b { d: relu }');
  t.is(diagnostics.length, 1);
  t.deepEqual(
    document.items.map((i) => (i as DefinitionNode).name.name),
    ['a', 'b'],
  );
});

test('a broken file still yields an AST whose spans lie inside the text', (t) => {
  const text = 'net a { c: conv { out: [1, ( } d: : }';
  const { document } = parse(text);
  const spans: { start: number; end: number }[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'span') spans.push(v as { start: number; end: number });
      else if (k !== 'source') walk(v);
    }
  };
  walk(document);
  t.true(spans.length > 5);
  t.true(spans.every((s) => s.start >= 0 && s.start <= s.end && s.end <= text.length));
});

test('deep nesting is reported instead of overflowing the stack', (t) => {
  const { diagnostics } = parse(`net a { x: y { k: ${'['.repeat(5000)} } }`);
  t.deepEqual(
    diagnostics.map((d) => d.code),
    ['too-deeply-nested'],
  );
});
