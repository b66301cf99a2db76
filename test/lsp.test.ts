/**
 * `fcn lsp` driven through its protocol, as an editor drives it: a copy of nets/voc-fcn8s.fcn
 * with its import is opened, changed, hovered, and asked for definitions, completions,
 * formatting and inlay hints. Numbers are checked against `fcn inspect`'s table and
 * diagnostics against `fcn check --json`, run as separate processes.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { layerSchema } from '../src/compiler/layers/index.js';
import { startLsp, type LspClient } from './helpers/lsp-client.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fcn-lsp-'));
const voc = join(dir, 'voc-fcn8s.fcn');
const vgg = join(dir, 'vgg16.fcn');
copyFileSync('nets/voc-fcn8s.fcn', voc);
copyFileSync('nets/vgg16.fcn', vgg);
// The user's prettier configuration counts: the repo's print width, without its plugin path.
writeFileSync(join(dir, '.prettierrc.json'), '{ "printWidth": 120 }\n');
const vocText = readFileSync(voc, 'utf8');
const vggText = readFileSync(vgg, 'utf8');
const uri = (p: string) => pathToFileURL(p).href;

/** The position of the `nth` occurrence of `needle` in `text`, plus `shift` characters. */
function pos(text: string, needle: string, shift = 0, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`'${needle}' not in the text`);
  const before = text.slice(0, at + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

interface Hover {
  contents: { kind: string; value: string };
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface Location {
  uri: string;
  range: { start: { line: number; character: number } };
}
interface Completion {
  label: string;
  documentation?: string;
}

const hoverAt = (c: LspClient, path: string, position: { line: number; character: number }) =>
  c.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uri(path) }, position });
const definitionAt = (c: LspClient, path: string, position: { line: number; character: number }) =>
  c.connection.sendRequest<Location[]>('textDocument/definition', { textDocument: { uri: uri(path) }, position });
const completeAt = (c: LspClient, path: string, position: { line: number; character: number }) =>
  c.connection.sendRequest<Completion[]>('textDocument/completion', { textDocument: { uri: uri(path) }, position });
const where = (l: Location) => [l.uri, l.range.start.line, l.range.start.character];

/** The `| key | value |` rows of a hover's table. */
function facts(rows: string[]): Record<string, string> {
  return Object.fromEntries(
    rows.flatMap((r) => {
      const m = /^\| (.+) \| (.+) \|$/.exec(r);
      return m ? [[m[1]!, m[2]!]] : [];
    }),
  );
}

let client: LspClient;

test.before(async () => {
  client = await startLsp();
  await client.open(vgg, vggText);
});

test.after.always(async () => {
  await client?.close();
});

test.serial('opening the net publishes no diagnostics: it is fine', async (t) => {
  t.deepEqual(await client.open(voc, vocText), []);
});

test.serial('hover on the net name: totals, crops, and the input sizes it accepts and the exact ones', async (t) => {
  const h = await hoverAt(client, voc, pos(vocText, 'net voc_fcn8s', 5));
  t.truthy(h);
  t.deepEqual(h!.contents.value.split('\n\n'), [
    '**net voc_fcn8s** — 51 blobs, 134,489,759 params, 363,058,068,096 FLOPs; crops score_pool4c 5, score_pool3c 9, score 31',
    // As fcn inspect says (test/input-advice.test.ts checks these sides against n + 198 ≡ 0 mod 32).
    'accepted sides: every side from 1 · exact (no layer rounds): 26, 58, 90, … (every 32 from 26)',
    'net `voc_fcn8s` at 500×500 (no size declared: the `fcn.inputSize` setting)',
  ]);
});

test.serial(
  'hover on score_pool4: its shape at 500×500, stride 16, receptive field, padding, params, FLOPs',
  async (t) => {
    const h = await hoverAt(client, voc, pos(vocText, 'score_pool4: conv', 3));
    t.truthy(h);
    const rows = h!.contents.value.split('\n');
    // fcn inspect --input 500x500: score_pool4 conv 21x44x44, stride 16, RF 100, padding 141, 10,773 params, 41.63 M FLOPs.
    t.is(rows[0], '**score_pool4** · conv 1×1 → 21');
    t.deepEqual(facts(rows), {
      shape: '21×44×44',
      'effective stride (to data)': '16',
      'receptive field': '100',
      'effective padding': '141',
      params: '10,773',
      FLOPs: '41,631,744',
    });
    t.is(rows.at(-1), 'net `voc_fcn8s` at 500×500 (no size declared: the `fcn.inputSize` setting)');
    t.deepEqual(h!.range, { start: pos(vocText, 'score_pool4: conv'), end: pos(vocText, 'score_pool4: conv', 11) });
  },
);

test.serial('the numbers in the hover are those of fcn inspect --json', async (t) => {
  const { stdout } = await run(process.execPath, ['bin/fcn.js', 'inspect', voc, '--input', '500x500', '--json']);
  const blob = (JSON.parse(stdout) as { blobs: Array<Record<string, unknown>> }).blobs.find(
    (b) => b.name === 'score_pool4',
  )!;
  const h = await hoverAt(client, voc, pos(vocText, 'crop(score_pool4)', 6));
  t.true(h!.contents.value.includes(`| shape | ${(blob.shape as number[]).join('×')} |`));
  t.true(h!.contents.value.includes(`| FLOPs | ${(blob.flops as number).toLocaleString('en-US')} |`));
});

test.serial(
  'hover on vgg.pool5 (a reference into the instance): 512×22×22, stride 32, RF 212, padding 189',
  async (t) => {
    const text = vocText.replace(
      '  score_fr: conv { out: 21  kernel: 1 }',
      '  score_fr: conv { bottom: vgg.pool5  out: 21  kernel: 7 }',
    );
    await client.change(voc, text);
    const h = await hoverAt(client, voc, pos(text, 'vgg.pool5', 5));
    const rows = h!.contents.value.split('\n');
    t.is(rows[0], '**vgg.pool5** · pool max 2×2 /2');
    t.deepEqual(facts(rows), {
      shape: '512×22×22',
      'effective stride (to data)': '32',
      'receptive field': '212',
      'effective padding': '189',
      params: '0',
      FLOPs: '0',
    });
    // On `vgg`, the instance: its layers and its last blob.
    const inst = await hoverAt(client, voc, pos(text, 'vgg.pool5', 1));
    t.is(inst!.contents.value.split('\n')[0], '**vgg** · an instance: 37 layers, 134,260,544 params; its last blob:');
    await client.change(voc, vocText);
  },
);

test.serial('hover on a crop: the offset 5 and why', async (t) => {
  const h = await hoverAt(client, voc, pos(vocText, 'crop(score_pool4)', 1));
  t.is(h, null, 'the call name crop is no blob');
  // The crop's own blob score_pool4c is shown on hover of the fused layer's... the crop is inline: hover its input instead.
  const text = vocText.replace(
    'fuse_pool4: sum { bottom: [upscore2, crop(score_pool4)] }',
    'c4: crop { bottom: score_pool4  like: upscore2 }\n  fuse_pool4: sum { bottom: [upscore2, c4] }',
  );
  await client.change(voc, text);
  const c = await hoverAt(client, voc, pos(text, 'c4: crop', 0));
  t.true(
    c!.contents.value.includes(
      '**crop offset 5** — inferred: `score_pool4` and `upscore2` both map back to `vgg.pool4`, where pixel *i* of `upscore2` lies over pixel *i* + 5 of `score_pool4`',
    ),
  );
  await client.change(voc, vocText);
});

test.serial('a misspelt layer type: fcn check’s diagnostic, at the range of the word', async (t) => {
  const text = vocText.replace('score_fr: conv', 'score_fr: cnov');
  const diagnostics = await client.change(voc, text);
  writeFileSync(join(dir, 'broken.fcn'), text);
  const cli = await run(process.execPath, ['bin/fcn.js', 'check', '--json', join(dir, 'broken.fcn')]).catch(
    (e: { stdout: string }) => e,
  );
  const expected = JSON.parse(cli.stdout) as Array<{
    code: string;
    message: string;
    line: number;
    column: number;
    endColumn: number;
    help?: string;
  }>;
  t.is(expected.length, 1);
  const [d] = diagnostics;
  t.is(diagnostics.length, 1);
  t.is(d!.code, 'unknown-layer-type');
  t.is(d!.code, expected[0]!.code);
  t.is(d!.message, `${expected[0]!.message}\nhelp: ${expected[0]!.help}`);
  t.is(d!.message, "unknown layer type 'cnov'\nhelp: did you mean 'conv'?");
  t.is(d!.severity, 1);
  const start = pos(text, 'cnov');
  t.deepEqual(d!.range, { start, end: { line: start.line, character: start.character + 4 } });
  t.deepEqual(
    [d!.range.start.line + 1, d!.range.start.character + 1, d!.range.end.character + 1],
    [expected[0]!.line, expected[0]!.column, expected[0]!.endColumn],
  );
  // While the text has an error, hovers answer from the last good analysis.
  const h = await hoverAt(client, voc, pos(text, 'score_pool4: conv', 3));
  t.true(h!.contents.value.includes('| shape | 21×44×44 |'));
  t.true(h!.contents.value.includes('*from the last version without errors*'));
  t.deepEqual(await client.change(voc, vocText), []);
});

test.serial('an error in the import is shown at the import line of the open net', async (t) => {
  const next = client.nextDiagnostics(uri(voc));
  const own = await client.change(vgg, vggText.replace('fc6: conv', 'fc6: cnov'));
  t.is(own.length, 1);
  const d = (await next)[0]!;
  t.is(d.code, 'unknown-layer-type');
  t.is(d.message, `in ${vgg}:20:8: unknown layer type 'cnov'\nhelp: did you mean 'conv'?`);
  t.deepEqual(d.range.start, pos(vocText, 'import'));
  const fixed = client.nextDiagnostics(uri(voc));
  await client.change(vgg, vggText);
  t.deepEqual(await fixed, []);
});

test.serial(
  'definition: vgg goes to the instance line and to net vgg16 in vgg16.fcn; vgg16 and pool4 across files',
  async (t) => {
    const onVgg = await definitionAt(client, voc, pos(vocText, 'vgg.pool4', 1));
    t.deepEqual(onVgg.map(where), [
      [uri(voc), ...Object.values(pos(vocText, 'vgg: vgg16'))],
      [uri(vgg), ...Object.values(pos(vggText, 'vgg16 {'))],
    ]);
    const onType = await definitionAt(client, voc, pos(vocText, 'vgg: vgg16', 6));
    t.deepEqual(onType.map(where), [[uri(vgg), ...Object.values(pos(vggText, 'vgg16 {'))]]);
    const onPool4 = await definitionAt(client, voc, pos(vocText, 'vgg.pool4', 5));
    t.deepEqual(onPool4.map(where), [[uri(vgg), ...Object.values(pos(vggText, 'pool{i}: pool'))]]);
    const onOverride = await definitionAt(client, voc, pos(vocText, 'conv1_1.pad', 2));
    t.deepEqual(onOverride.map(where), [[uri(vgg), ...Object.values(pos(vggText, 'conv{i}_{j}: conv'))]]);
    const onBlob = await definitionAt(client, voc, pos(vocText, 'crop(score_pool4)', 7));
    t.deepEqual(onBlob.map(where), [[uri(voc), ...Object.values(pos(vocText, 'score_pool4: conv'))]]);
    const onImport = await definitionAt(client, voc, pos(vocText, '"vgg16.fcn"', 2));
    t.deepEqual(onImport.map(where), [[uri(vgg), 0, 0]]);
  },
);

test.serial(
  'completion: layer types and nets after a name, parameters with their docs, blob names in scope',
  async (t) => {
    const text = vocText.replace(
      '  score_fr: conv { out: 21  kernel: 1 }',
      '  score_fr: conv { out: 21  kernel: 1 }\n  x: ',
    );
    await client.change(voc, text);
    const types = (await completeAt(client, voc, pos(text, 'x: ', 3))).map((c) => c.label);
    t.true(
      types.includes('conv') && types.includes('deconv') && types.includes('softmax_loss') && types.includes('vgg16'),
    );
    const withBody = text.replace('  x: ', '  x: conv { ');
    await client.change(voc, withBody);
    const keys = await completeAt(client, voc, pos(withBody, 'x: conv { ', 10));
    const kernel = keys.find((c) => c.label === 'kernel');
    t.is(kernel?.documentation, layerSchema('conv')!.params.find((p) => p.name === 'kernel')!.doc);
    t.is(kernel?.documentation, 'kernel size, or [h, w]');
    t.true(keys.some((c) => c.label === 'out') && keys.some((c) => c.label === 'weight'));
    // Editors close the brace as it is typed.
    const withBottom = withBody.replace('  x: conv { ', '  x: conv { bottom:  }');
    await client.change(voc, withBottom);
    const blobs = (await completeAt(client, voc, pos(withBottom, 'x: conv { bottom: ', 18))).map((c) => c.label);
    t.true(blobs.includes('data') && blobs.includes('vgg.pool4') && blobs.includes('score_fr'));
    t.false(blobs.includes('upscore2'), `a layer below is not in scope yet: ${blobs.join(' ')}`);
    t.false(blobs.includes('x'), 'nor the layer itself');
    const inInit = withBody.replace('  x: conv { ', '  x: conv { init: ');
    await client.change(voc, inInit);
    const inits = (await completeAt(client, voc, pos(inInit, 'init: ', 6))).map((c) => c.label);
    t.deepEqual(inits, ['gaussian', 'xavier', 'msra', 'constant', 'bilinear']);
    await client.change(voc, vocText);
  },
);

test.serial('formatting goes through the prettier plugin: a messy net comes back as the canonical file', async (t) => {
  const messy = vocText.replace(
    'score_pool4: conv { bottom: vgg.pool4  out: 21  kernel: 1 }',
    'score_pool4:conv{bottom:vgg.pool4 out:21\n kernel:1}',
  );
  await client.change(voc, messy);
  const edits = await client.connection.sendRequest<Array<{ newText: string }>>('textDocument/formatting', {
    textDocument: { uri: uri(voc) },
    options: { tabSize: 2, insertSpaces: true },
  });
  t.is(edits.length, 1);
  t.is(edits[0]!.newText, vocText);
  await client.change(voc, vocText);
  const none = await client.connection.sendRequest<unknown[]>('textDocument/formatting', {
    textDocument: { uri: uri(voc) },
    options: { tabSize: 2, insertSpaces: true },
  });
  t.deepEqual(none, []);
});

test.serial('inlay hints are off by default', async (t) => {
  const hints = await client.connection.sendRequest<unknown[]>('textDocument/inlayHint', {
    textDocument: { uri: uri(voc) },
    range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
  });
  t.deepEqual(hints, []);
});

test.serial(
  'with inlay hints on and a 224×224 input size: shape and stride at the end of each layer line',
  async (t) => {
    const other = await startLsp({ inlayHints: true, inputSize: '224x224' });
    try {
      await other.open(vgg, vggText);
      await other.open(voc, vocText);
      const hints = await other.connection.sendRequest<
        Array<{ position: { line: number; character: number }; label: string }>
      >('textDocument/inlayHint', {
        textDocument: { uri: uri(voc) },
        range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
      });
      const line = (needle: string) => pos(vocText, needle).line;
      const at = (needle: string) => hints.find((h) => h.position.line === line(needle))?.label;
      // fcn inspect --input 224x224: score_pool4 21x27x27 at stride 16, score 21x224x224 at stride 1.
      t.is(at('score_pool4: conv'), '21×27×27 /16');
      t.is(at('score: crop'), '21×224×224 /1');
      t.is(at('input data'), '3×224×224 /1');
      t.is(at('vgg: vgg16'), undefined, 'an instance line has no single blob');
      const h = hints.find((x) => x.position.line === line('score_pool4: conv'))!;
      t.is(h.position.character, vocText.split('\n')[line('score_pool4: conv')]!.length);
    } finally {
      await other.close();
    }
  },
);
