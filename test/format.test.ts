import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { Source } from '../src/diagnostics/index.js';
import plugin, { fcnPrinter } from '../src/format/index.js';
import { tokenize } from '../src/parser/index.js';

const FIXTURES = 'test/fixtures/format';

/** Formats as `prettier --check` would: the repo's config for that path, with the plugin from source. */
async function fcnFormat(text: string, filepath: string): Promise<string> {
  const config = (await resolveConfig(filepath)) ?? {};
  return format(text, { ...config, filepath, parser: 'fcn', plugins: [plugin] });
}

/** The text with every line's leading whitespace removed. */
function stripIndentation(text: string): string {
  return text.replace(/^[ \t]+/gm, '');
}

for (const name of readdirSync(FIXTURES).sort()) {
  const dir = join(FIXTURES, name);
  const input = readFileSync(join(dir, 'input.fcn'), 'utf8');
  const expected = readFileSync(join(dir, 'output.fcn'), 'utf8');
  const file = join(dir, 'output.fcn');

  test(`format ${name}: input.fcn formats to output.fcn`, async (t) => {
    t.is(await fcnFormat(input, file), expected);
  });

  test(`format ${name}: formatting output.fcn again changes nothing`, async (t) => {
    t.is(await fcnFormat(expected, file), expected);
  });

  test(`format ${name}: input.fcn without indentation formats to output.fcn`, async (t) => {
    t.is(await fcnFormat(stripIndentation(input), file), expected);
  });
}

const nets = readdirSync('nets')
  .filter((f) => f.endsWith('.fcn'))
  .sort();

test('nets/ holds .fcn files', (t) => {
  t.true(nets.length >= 2);
});

for (const net of nets) {
  test(`nets/${net} is canonical, also with its indentation stripped`, async (t) => {
    const file = join('nets', net);
    const text = readFileSync(file, 'utf8');
    t.is(await fcnFormat(text, file), text);
    t.is(await fcnFormat(stripIndentation(text), file), text);
  });
}

// A comment may follow any token (the lexer says where tokens end); wherever it goes, it must
// be printed exactly once, and the result must be stable and independent of indentation.
const EVERY_CONSTRUCT = `import "vgg16.fcn"
block stage(i, n: 2, out: 64) {
  input x
  repeat j in 1..n + 1 {
    conv{i}_{j}: conv { out: out * 2 kernel: [3, 5] pad: (1 + i) / 2 weight { init: gaussian(0.01) lr: 1 } }
    relu{i}_{j}: relu
  }
}
net demo {
  input data { channels: 3 mean: [104.0, 116.7] }
  solver { lr: 1e-14 }
  vgg: vgg16 { bottom: data conv1_1.pad: 100 }
  stage { i: 1 out: -8 }
  s: sum { bottom: [vgg.pool4, crop(x)] coeff: [] }
}
`;

for (const [placement, before] of [
  ['at the end of the line', ' '],
  ['on its own line', '\n'],
  ['after a blank line', '\n\n'],
] as const) {
  test(`a comment ${placement} after any token is printed once, stably, whatever the indentation`, async (t) => {
    const { tokens } = tokenize(new Source(EVERY_CONSTRUCT));
    const gaps = tokens.map((token) => token.startOffset + token.image.length);
    t.is(gaps.length, 138);
    for (const [n, at] of gaps.entries()) {
      const text = `${EVERY_CONSTRUCT.slice(0, at)}${before}# c${n}\n${EVERY_CONSTRUCT.slice(at)}`;
      const out = await fcnFormat(text, 'probe.fcn');
      t.is(out.split(`# c${n}\n`).length, 2, `comment c${n} printed once:\n${out}`);
      t.is(await fcnFormat(out, 'probe.fcn'), out, `stable with comment c${n}`);
      t.is(await fcnFormat(stripIndentation(text), 'probe.fcn'), out, `indentation-free with comment c${n}`);
    }
  });
}

test('a file with a syntax error is refused with the location prettier draws its code frame from', async (t) => {
  const error = await t.throwsAsync(fcnFormat('net x {\n  a: conv { out: @ }\n}\n', 'broken.fcn'));
  t.true(error instanceof SyntaxError);
  t.deepEqual((error as SyntaxError & { loc: unknown }).loc, { start: { line: 2, column: 18 } });
  t.regex(error!.message, /\(2:18\)/);
});

test('the printer throws on a node kind it does not know', (t) => {
  const path = { node: { kind: 'Bogus', span: { start: 0, end: 0 } } };
  const error = t.throws(() => fcnPrinter.print(path as never, {} as never, () => ''));
  t.is(error.message, "fcn formatter: unknown node kind 'Bogus'");
});

test('the plugin claims .fcn files', (t) => {
  t.deepEqual(plugin.languages?.[0]?.extensions, ['.fcn']);
  t.is(plugin.parsers?.fcn?.astFormat, 'fcn');
});
