/**
 * `fcn viz` without a browser: the model's derived values (compositions, shift shares, colours,
 * ladder), the DOT, SVG and JSON outputs (on the hand-built mini net and on the real
 * voc-fcn8s through the CLI), and the CLI's errors. Needs `npm run build` (as `npm test` does).
 */
import test, { type ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { vizFormat } from '../src/viz/render.js';
import { UserError } from '../src/diagnostics/index.js';
import { offsetFromPaths } from '../src/viz/affine.js';
import { renderDot } from '../src/viz/dot.js';
import { formatAffine, formatCountShort, formatAxes } from '../src/viz/format.js';
import type { VizModel } from '../src/viz/model.js';
import { searchNames } from '../src/viz/page/search.js';
import { rfBox } from '../src/viz/page/rf.js';
import { renderSvg } from '../src/viz/svg.js';
import { errorLines, escapeXml, isCompact } from '../src/viz/draw.js';
import { miniModel } from './helpers/viz-fixture.js';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'fcn-viz-'));

/** Runs `fcn viz` from the built CLI; resolves to the output file's text. */
async function viz(args: string[], out: string): Promise<string> {
  await run('node', ['bin/fcn.js', 'viz', ...args, '-o', out]);
  return readFileSync(out, 'utf8');
}

test('each crop path composes to the map of its blob in the ancestor, and the offset is the difference of the shifts', (t) => {
  const m = miniModel();
  const [skip, final] = m.crops;
  t.deepEqual(skip!.paths[1].composed, [
    { a: 1, b: 3 },
    { a: 1, b: 3 },
  ]);
  t.deepEqual(offsetFromPaths(skip!.paths[0], skip!.paths[1]), [3, 3]);
  t.deepEqual(final!.paths[0].composed[0], { a: 1, b: -4 });
  t.deepEqual(offsetFromPaths(final!.paths[0], final!.paths[1]), [4, 4]);
  // Running compositions, from the ancestor outwards: conv1 (x − 9), relu1, pool1 (2x − 8.5).
  t.deepEqual(
    final!.paths[0].steps.slice(0, 3).map((s) => s.toAncestor[0]),
    [
      { a: 1, b: -9 },
      { a: 1, b: -9 },
      { a: 2, b: -8.5 },
    ],
  );
  // Shares of the shift: pad −9, pool1 +0.5, pool2 +1 (at scale 2), fc +8 (scale 4), up2 −3, up4 −1.5.
  t.deepEqual(
    final!.paths[0].steps.filter((s) => s.shift[0] !== 0).map((s) => [s.layer, s.shift[0]]),
    [
      ['conv1', -9],
      ['pool1', 0.5],
      ['pool2', 1],
      ['fc', 8],
      ['up2', -3],
      ['up4', -1.5],
    ],
  );
});

test('nodes are coloured by stride from a legend of the strides present', (t) => {
  const m = miniModel();
  t.deepEqual(
    m.legend.map((e) => [e.label, e.fill, e.stroke]),
    [
      ['1', '#dbeafe', '#2563eb'],
      ['2', '#dcfce7', '#16a34a'],
      ['4', '#fef3c7', '#ca8a04'],
    ],
  );
  const level = (name: string) => m.nodes.find((n) => n.name === name)!.level;
  t.deepEqual(['data', 'pool1', 'fc', 'up2', 'up4', 'label', 'loss'].map(level), [0, 1, 2, 1, 0, null, null]);
});

test('the ladder has one column per stride and the trunk is the first blob downsampled to each', (t) => {
  const { ladder } = miniModel();
  t.deepEqual(ladder.levels, [1, 2, 4]);
  t.deepEqual(ladder.trunk, [
    { stride: 1, name: 'data' },
    { stride: 2, name: 'pool1' },
    { stride: 4, name: 'pool2' },
  ]);
  t.deepEqual(
    ladder.rungs.map((r) => r.name),
    ['fuse', 'out'],
  );
});

test('maps, pairs and counts print for people', (t) => {
  t.is(formatAffine({ a: 2, b: 0.5 }), '2·x + 0.5');
  t.is(formatAffine({ a: 1, b: -99 }), 'x − 99');
  t.is(formatAffine({ a: 0.125, b: -0.9375 }), 'x/8 − 0.9375');
  t.is(formatAffine({ a: 1, b: 0 }), 'x');
  t.is(formatAxes([5, 5]), '5');
  t.is(formatAxes([5, 7]), '5×7');
  t.is(formatCountShort(14_904), '14,904');
  t.is(formatCountShort(134_489_759), '134.5 M');
  t.is(formatCountShort(363_058_068_096), '363.1 G');
});

test('a unit sees the window stride·i − padding, rf pixels long, per axis', (t) => {
  const pool5 = { stride: [32, 32], rf: [212, 212], padding: [189, 189] } as unknown as Parameters<typeof rfBox>[0];
  t.deepEqual(rfBox(pool5, [5, 7]), { y: -29, x: 35, height: 212, width: 212 });
});

test('search ranks exact names, then prefixes, then substrings', (t) => {
  const names = ['data', 'vgg.pool4', 'score_pool4', 'score_pool4c', 'vgg.pool40', 'fuse_pool4'];
  t.deepEqual(searchNames(names, 'pool4'), ['vgg.pool4', 'vgg.pool40', 'score_pool4', 'score_pool4c', 'fuse_pool4']);
  t.deepEqual(searchNames(names, 'SCORE'), ['score_pool4', 'score_pool4c']);
  t.deepEqual(searchNames(names, '  '), []);
});

test('the output format comes from --format, else the extension, else html', (t) => {
  t.is(vizFormat(undefined, 'a/page.html'), 'html');
  t.is(vizFormat(undefined, 'net.SVG'), 'svg');
  t.is(vizFormat(undefined, 'net.gv'), 'dot');
  t.is(vizFormat(undefined, 'model.json'), 'json');
  t.is(vizFormat(undefined, 'page'), 'html');
  t.is(vizFormat('dot', 'page.html'), 'dot');
  const e = t.throws(() => vizFormat('png', 'x.png'), { instanceOf: UserError });
  t.is(e.message, "--format expects one of html, svg, dot, json, got 'png'");
  t.is(e.exitCode, 2);
});

test('DOT: stride colours, crop offsets, shapes on edges, dashed reference edges, legend', (t) => {
  const dot = renderDot(miniModel());
  const lines = dot.split('\n');
  t.is(lines[0], 'digraph "mini" {');
  t.true(
    lines.includes(
      '  "score_pool1c" [label=<<b>score_pool1c</b> <font color="#16a34a" point-size="9">crop</font><br/><font point-size="10">to up2</font>' +
        '<br/><font color="#b45309"><b>offset 3</b></font>>, fillcolor="#dcfce7", color="#16a34a", penwidth=2];',
    ),
  );
  t.true(
    lines.includes(
      '  "relu1" [label=<<b>relu1</b> <font color="#2563eb" point-size="9">relu</font>>, fillcolor="#dbeafe", color="#2563eb"];',
    ),
  );
  t.true(lines.includes('  "up4" -> "out" [label="4×74×74"];'));
  t.true(lines.includes('  "data" -> "out" [label="3×64×64", style=dashed];'));
  t.is(lines.filter((l) => l.includes(' -> ')).length, 18);
  t.is(lines[lines.length - 2], '}');
});

test('SVG: every node in its stride colour, crops with their offset chips, edges labelled with shapes', (t) => {
  const m = miniModel();
  const svg = renderSvg(m);
  t.true(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  const nodes = [
    ...svg.matchAll(
      /<g class="node[^"]*" data-name="([^"]+)"[^>]*><rect class="box"[^>]*fill="([^"]+)" stroke="([^"]+)"/g,
    ),
  ];
  t.deepEqual(
    nodes.map((n) => n[1]),
    m.nodes.map((n) => n.name),
  );
  for (const [, name, fill, stroke] of nodes) {
    const n = m.nodes.find((x) => x.name === name)!;
    const colour = n.level === null ? { fill: '#ffffff', stroke: '#94a3b8' } : m.legend[n.level]!;
    t.deepEqual([name, fill, stroke], [name, colour.fill, colour.stroke]);
  }
  t.deepEqual(
    [...svg.matchAll(/<g class="chip" data-crop="(\d)"[^>]*>.*?>(offset [^<]*)<\/text>/g)].map((c) => [c[1], c[2]]),
    [
      ['0', 'offset 3'],
      ['1', 'offset 4'],
    ],
  );
  t.true(svg.includes('>4×74×74</text>'));
  t.is([...svg.matchAll(/stroke-dasharray="5 4"/g)].length, 2);
});

// The real net, through the built CLI.

const NET = 'nets/voc-fcn8s.fcn';

test('voc-fcn8s as JSON: offsets 5, 9, 31 with both paths to the common ancestor', async (t) => {
  const m = JSON.parse(await viz([NET, '--input', '500x500'], join(tmp, 'voc.json'))) as VizModel;
  t.is(m.net, 'voc_fcn8s');
  t.deepEqual(m.inputSize, [500, 500]);
  t.deepEqual(
    m.crops.map((c) => [c.name, c.input, c.reference, c.ancestor, c.offset]),
    [
      ['score_pool4c', 'score_pool4', 'upscore2', 'vgg.pool4', [5, 5]],
      ['score_pool3c', 'score_pool3', 'upscore_pool4', 'vgg.pool3', [9, 9]],
      ['score', 'upscore8', 'data', 'data', [31, 31]],
    ],
  );
  for (const c of m.crops) t.deepEqual(offsetFromPaths(c.paths[0], c.paths[1]), c.offset);
  const final = m.crops[2]!;
  t.deepEqual(final.paths[0].composed[0], { a: 1, b: -31 });
  t.deepEqual(final.paths[1].steps, []);
  // The explained path is the deep one: pad 100 (−99), pools (+15.5), fc6 (+96), the three upsamplings (−43.5).
  t.deepEqual(
    final.paths[0].steps.filter((s) => s.shift[0] !== 0).map((s) => [s.layer, s.shift[0]]),
    [
      ['vgg.conv1_1', -99],
      ['vgg.pool1', 0.5],
      ['vgg.pool2', 1],
      ['vgg.pool3', 2],
      ['vgg.pool4', 4],
      ['vgg.pool5', 8],
      ['vgg.fc6', 96],
      ['upscore2', -24],
      ['upscore_pool4', -12],
      ['upscore8', -7.5],
    ],
  );
  t.deepEqual(m.crops[0]!.paths[1].composed[0], { a: 1, b: 5 });
  const pool5 = m.nodes.find((n) => n.name === 'vgg.pool5')!;
  t.deepEqual(
    [pool5.shape, pool5.stride, pool5.rf, pool5.padding],
    [
      [512, 22, 22],
      [32, 32],
      [212, 212],
      [189, 189],
    ],
  );
  t.deepEqual(pool5.source && [pool5.source.file, pool5.source.text.trim()], [
    'nets/vgg16.fcn',
    'pool{i}: pool { kernel: 2  stride: 2 }',
  ]);
  t.deepEqual(
    pool5.via.map((v) => v.file),
    ['nets/vgg16.fcn', 'nets/voc-fcn8s.fcn'],
  );
  t.deepEqual(
    m.ladder.trunk.map((s) => `${s.stride}:${s.name}`),
    ['1:data', '2:vgg.pool1', '4:vgg.pool2', '8:vgg.pool3', '16:vgg.pool4', '32:vgg.pool5'],
  );
  t.deepEqual(
    m.ladder.rungs.map((r) => `${r.name}@${r.stride}`),
    ['fuse_pool4@16', 'fuse_pool3@8', 'score@1'],
  );
});

test('voc-fcn8s as DOT and SVG: every layer, and the offsets 5, 9 and 31', async (t) => {
  const { stdout } = await run('node', ['bin/fcn.js', 'inspect', NET, '--json']);
  const names = (JSON.parse(stdout) as { blobs: Array<{ name: string }> }).blobs.map((b) => b.name);
  t.is(names.length, 51);
  const dot = await viz([NET, '--input', '500x500'], join(tmp, 'voc.dot'));
  const svg = await viz([NET, '--format', 'svg'], join(tmp, 'voc-svg.out'));
  for (const name of names) {
    t.true(dot.includes(`  "${name}" [label=`), name);
    t.true(svg.includes(`data-name="${name}"`), name);
  }
  t.deepEqual(
    [...dot.matchAll(/<b>(offset \d+)<\/b>/g)].map((m) => m[1]),
    ['offset 5', 'offset 9', 'offset 31'],
  );
  t.deepEqual(
    [...svg.matchAll(/>(offset \d+)<\/text>/g)].map((m) => m[1]),
    ['offset 5', 'offset 9', 'offset 31'],
  );
  // Without --input the SVG has no shapes on its edges.
  t.false(svg.includes('class="edge-label"'));
});

test('viz reports a missing file, a bad flag and a file whose text is garbled without writing anything', async (t) => {
  const out = join(tmp, 'never.html');
  const missing = await t.throwsAsync(run('node', ['bin/fcn.js', 'viz', 'nets/no-such.fcn', '-o', out]));
  t.is((missing as unknown as { code: number }).code, 1);
  t.regex((missing as unknown as { stderr: string }).stderr, /cannot read 'nets\/no-such\.fcn': no such file/);
  const flag = await t.throwsAsync(run('node', ['bin/fcn.js', 'viz', NET, '--input', '5x', '-o', out]));
  t.is((flag as unknown as { code: number }).code, 2);
  const garbled = await t.throwsAsync(
    run('node', ['bin/fcn.js', 'viz', 'test/fixtures/viz/broken/syntax.fcn', '-o', out]),
  );
  t.is((garbled as unknown as { code: number }).code, 1);
  t.regex((garbled as unknown as { stderr: string }).stderr, /error\[unterminated-string\]: unterminated string/);
  t.false(existsSync(out));
});

type Failed = { code: number; stdout: string; stderr: string };

/** Runs `fcn viz` on a net with errors: it must fail with exit 1 and still write the drawing. */
async function vizWithErrors(t: ExecutionContext, args: string[], out: string): Promise<Failed & { text: string }> {
  const failed = (await t.throwsAsync(run('node', ['bin/fcn.js', 'viz', ...args, '-o', out]))) as unknown as Failed;
  t.is(failed.code, 1);
  return { ...failed, text: readFileSync(out, 'utf8') };
}

const SCALE =
  "crop 'out' cannot align 'up' to 'data': scale mismatch, one pixel of 'up' spans 1.5 pixels of 'data' (it must span exactly 1)";

test('a net with an analysis error is drawn anyway: the layer in red with its message, the diagnostics printed, exit 1', async (t) => {
  const broken = 'test/fixtures/viz/broken/scale-mismatch.fcn';
  const json = await vizWithErrors(t, [broken], join(tmp, 'broken.json'));
  t.regex(json.stderr, /error\[crop-scale-mismatch\]: crop 'out' cannot align 'up' to 'data': scale mismatch/);
  t.is(json.stdout, `wrote ${join(tmp, 'broken.json')} (json: broken, 5 blobs, 1 crops, 1 error drawn in red)\n`);
  const m = JSON.parse(json.text) as VizModel;
  t.deepEqual(
    m.nodes.filter((n) => n.errors).map((n) => [n.name, n.errors]),
    [['out', [SCALE]]],
  );
  t.is(m.errors.length, 1);
  t.true(
    m.errors[0]!.startsWith(
      `error[crop-scale-mismatch]: ${SCALE}\n --> test/fixtures/viz/broken/scale-mismatch.fcn:7:3`,
    ),
  );

  const svg = (await vizWithErrors(t, [broken], join(tmp, 'broken.svg'))).text;
  t.regex(
    svg,
    /<g class="node crop error" data-name="out"[^>]*><rect class="box"[^>]*fill="#fef2f2" stroke="#dc2626" stroke-width="2.5"\/>/,
  );
  const lines = [...svg.matchAll(/<text class="error-text"[^>]*>([^<]*)<\/text>/g)].map((x) => x[1]);
  t.deepEqual(lines, [
    "⚠ crop 'out' cannot align 'up' to 'data': scale mismatch, one",
    "  pixel of 'up' spans 1.5 pixels of 'data' (it must span exactly",
    '  1)',
  ]);
  t.regex(svg, / · 1 error \(in red\)<\/tspan>/);

  const html = (await vizWithErrors(t, [broken], join(tmp, 'broken.html'))).text;
  t.regex(html, /<section class="card errors"><h2>Compiler errors<\/h2>/);
  t.true(html.includes(escapeXml(SCALE)));

  const dot = (await vizWithErrors(t, [broken], join(tmp, 'broken.dot'))).text;
  t.regex(
    dot,
    /"out" \[label=<.*<br\/><font color="#b91c1c" point-size="10">⚠ crop 'out' cannot align 'up' to 'data': scale mismatch, one<\/font>/,
  );
  t.regex(dot, /"out" \[.*fillcolor="#fef2f2", color="#dc2626", penwidth=2.5\];/);
});

test('a name that does not resolve is drawn as a red missing node; what reads it has no numbers', async (t) => {
  const out = join(tmp, 'unknown-blob.json');
  const { stdout, stderr, text } = await vizWithErrors(t, ['test/fixtures/viz/broken/unknown-blob.fcn'], out);
  t.regex(stderr, /error\[unknown-blob\]: unknown blob 'conv9'/);
  t.is(stdout, `wrote ${out} (json: broken, 4 blobs, 0 crops, 1 error drawn in red)\n`);
  const m = JSON.parse(text) as VizModel;
  t.deepEqual(
    m.nodes.map((n) => [n.name, n.type, n.inputs, n.detail, n.shape, n.stride, n.params, n.errors ?? null]),
    [
      ['data', 'input', [], '3 channels, rgb', [3, null, null], [1, 1], 0, null],
      ['conv9?', 'missing', [], 'did not resolve', null, null, 0, ["unknown blob 'conv9'; did you mean 'conv1'?"]],
      ['conv1', 'conv', ['data'], '3×3 → 8', [8, null, null], [1, 1], 3 * 8 * 9 + 8, null],
      ['conv2', 'conv', ['conv9?'], '3×3 → 8', null, null, 0, null],
    ],
  );
  // The stand-in is not an input of the net, and the totals are those of what resolved.
  t.deepEqual(m.inputs, [{ name: 'data', kind: 'image', shape: [3, null, null] }]);
  t.deepEqual(m.totals, { params: 3 * 8 * 9 + 8, flops: null });
  t.deepEqual(
    m.edges.map((e) => `${e.from}->${e.to}`),
    ['data->conv1', 'conv9?->conv2'],
  );

  const svg = (await vizWithErrors(t, ['test/fixtures/viz/broken/unknown-blob.fcn'], join(tmp, 'unknown-blob.svg')))
    .text;
  t.regex(svg, /<g class="node error" data-name="conv9\?" data-type="missing"/);
});

test('several resolution errors: each on its layer or stand-in, the rest of the net analysed at its size', async (t) => {
  const { text } = await vizWithErrors(t, ['test/fixtures/viz/broken/many.fcn'], join(tmp, 'many.json'));
  const m = JSON.parse(text) as VizModel;
  t.deepEqual(
    m.nodes.map((n) => [n.name, n.type, n.inputs, n.shape, n.stride, n.errors ?? null]),
    [
      ['data', 'input', [], [3, 64, 64], [1, 1], null],
      ['conv2?', 'missing', [], null, null, ["unknown layer type 'convv'; did you mean 'conv'?"]],
      ['late?', 'missing', [], null, null, ["'late' is used before it is defined"]],
      // 'strid' is unknown, so conv1 keeps its default stride 1: 64 - 3 + 1 = 62.
      [
        'conv1',
        'conv',
        ['data'],
        [8, 62, 62],
        [1, 1],
        ["unknown parameter 'strid' for conv layer 'conv1'; did you mean 'stride'?"],
      ],
      ['pool1', 'pool', ['conv1'], [8, 31, 31], [2, 2], null],
      ['relu2', 'relu', ['conv2?'], null, null, null],
      ['fuse', 'eltwise', ['pool1', 'late?'], null, null, null],
      ['late', 'conv', ['pool1'], [8, 31, 31], [2, 2], null],
    ],
  );
  t.is(m.errors.length, 3);
  t.deepEqual(m.totals, { params: 3 * 8 * 9 + 8 + (8 * 8 + 8), flops: null });
  // The page's header counts the layers that resolved, not the stand-ins.
  const html = (await vizWithErrors(t, ['test/fixtures/viz/broken/many.fcn'], join(tmp, 'many.html'))).text;
  t.regex(html, /<li><b>5<\/b> layers<\/li>/);
});

test('a size error at --input is drawn on the crop that does not fit', async (t) => {
  const { text } = await vizWithErrors(
    t,
    ['nets/tiny-fcn8s-padded.fcn', '--input', '75x100'],
    join(tmp, 'tiny-75x100.json'),
  );
  const m = JSON.parse(text) as VizModel;
  t.deepEqual(
    m.nodes.filter((n) => n.errors).map((n) => [n.name, n.errors]),
    [
      [
        'score_pool3c',
        [
          "crop 'score_pool3c' does not fit at input 75x100: it takes 14x18 at offset 1 from 'score_pool3', which is only 14x17; the next larger input that works is 83x115",
        ],
      ],
    ],
  );
  // Drawn up to the error and past it: the shapes known at 75x100 are there.
  t.deepEqual(m.nodes.find((n) => n.name === 'score_pool3')!.shape, [4, 14, 17]);
});

test('errorLines wraps each message near 64 characters and keeps at most six lines', (t) => {
  const node = { ...miniModel().nodes[0]!, errors: ['a '.repeat(40).trim(), 'short'] };
  t.deepEqual(errorLines(node), ['⚠ ' + 'a '.repeat(31).trim(), '  ' + 'a '.repeat(9).trim(), '⚠ short']);
  const many = { ...node, errors: Array.from({ length: 8 }, (_, i) => `error ${i}`) };
  t.deepEqual(errorLines(many), ['⚠ error 0', '⚠ error 1', '⚠ error 2', '⚠ error 3', '⚠ error 4', '⚠ error 5 …']);
  t.false(isCompact({ ...node, pill: true }), 'a pill with errors is drawn as a box');
  t.true(isCompact({ ...node, pill: true, errors: [] }));
});
