/**
 * `fcn inspect`: the JSON report of the real nets/voc-fcn8s.fcn through the built CLI
 * (`npx tsc -p tsconfig.build.json` first; `npm test` does), and the human text views.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { analyze, buildReport, type InspectReport } from '../src/compiler/analysis/index.js';
import { formatLadder, formatReport } from '../src/compiler/report-text.js';
import { vocFcn } from './helpers/vgg.js';

const run = promisify(execFile);

type Json = InspectReport & { diagnostics: unknown[] };

test('inspect --json on voc-fcn8s at 500x500: offsets 5, 9, 31 and vgg.pool5 [512, 22, 22], stride 32, RF 212, padding 189', async (t) => {
  const { stdout } = await run('node', ['bin/fcn.js', 'inspect', 'nets/voc-fcn8s.fcn', '--input', '500x500', '--json']);
  const r = JSON.parse(stdout) as Json;
  t.is(r.net, 'voc_fcn8s');
  t.deepEqual(r.inputs[0], { name: 'data', kind: 'image', shape: [3, 500, 500] });
  t.deepEqual(
    r.crops.map((c) => [c.name, c.input, c.reference, c.offset, c.inferred]),
    [
      ['score_pool4c', 'score_pool4', 'upscore2', [5, 5], [5, 5]],
      ['score_pool3c', 'score_pool3', 'upscore_pool4', [9, 9], [9, 9]],
      ['score', 'upscore8', 'data', [31, 31], [31, 31]],
    ],
  );
  const pool5 = r.blobs.find((b) => b.name === 'vgg.pool5')!;
  t.like(pool5, {
    name: 'vgg.pool5',
    layer: 'vgg.pool5',
    type: 'pool',
    shape: [512, 22, 22],
    stride: [32, 32],
    rf: [212, 212],
    padding: [189, 189],
    params: 0,
    flops: 0,
  });
  t.deepEqual(r.blobs.find((b) => b.name === 'score')!.shape, [21, 500, 500]);
  t.is(r.params, 134_489_759);
  t.is(r.flops, 363_058_068_096);
  t.deepEqual(r.minInput, [1, 1]);
  t.deepEqual(r.diagnostics, []);
  // Topological order: every blob's inputs come before it.
  const seen = new Set<string>();
  for (const b of r.blobs) {
    for (const i of b.inputs) t.true(seen.has(i), `${b.name} reads ${i}`);
    seen.add(b.name);
  }
});

test('inspect without --input gives channels and null H, W, and no FLOPs', async (t) => {
  const { stdout } = await run('node', ['bin/fcn.js', 'inspect', 'nets/voc-fcn8s.fcn', '--json']);
  const r = JSON.parse(stdout) as Json;
  t.like(
    r.blobs.find((b) => b.name === 'vgg.pool5')!,
    { shape: [512, null, null], stride: [32, 32], flops: 0 },
  );
  t.like(
    r.blobs.find((b) => b.name === 'vgg.fc6')!,
    { shape: [4096, null, null], params: 102_764_544, flops: null, memory: null },
  );
  t.is(r.params, 134_489_759);
  t.is(r.flops, null);
});

test('inspect prints the table, the totals, the crops and the stride ladder', async (t) => {
  const { stdout } = await run('node', ['bin/fcn.js', 'inspect', 'nets/voc-fcn8s.fcn', '--input', '500x500']);
  t.regex(stdout, /│ vgg\.pool5 +│ pool +│ +512x22x22 │ +32 │ +212 │ +189 │/);
  t.regex(stdout, /total: 134,489,759 params, 363\.06 GFLOPs/);
  t.regex(stdout, /score +upscore8 to the size of data: offset 31/);
});

test('a bad --input is misuse (exit 2); a missing file is exit 1', async (t) => {
  const misuse = await t.throwsAsync(
    run('node', ['bin/fcn.js', 'inspect', 'nets/voc-fcn8s.fcn', '--input', '500by500']),
  );
  t.is((misuse as unknown as { code: number }).code, 2);
  const missing = await t.throwsAsync(run('node', ['bin/fcn.js', 'inspect', 'nets/no-such.fcn']));
  t.is((missing as unknown as { code: number }).code, 1);
  t.regex((missing as unknown as { stderr: string }).stderr, /cannot read 'nets\/no-such\.fcn': no such file/);
});

test('the stride ladder of FCN-8s, as text', (t) => {
  const report = buildReport(analyze(vocFcn('8s')));
  t.deepEqual(formatLadder(report.ladder), [
    '  16  fuse_pool4 = upscore2 (x2 from score_fr at stride 32) + score_pool4c (crop 5 of score_pool4, from vgg.pool4)',
    '   8  fuse_pool3 = upscore_pool4 (x2 from fuse_pool4 at stride 16) + score_pool3c (crop 9 of score_pool3, from vgg.pool3)',
    '   1  score = crop 31 of upscore8 (x8 from fuse_pool3 at stride 8), like data',
  ]);
});

test('the stride ladder of FCN-32s is its one final crop', (t) => {
  const report = buildReport(analyze(vocFcn('32s')));
  t.deepEqual(formatLadder(report.ladder), [
    '  1  score = crop 19 of upscore (x32 from score_fr at stride 32), like data',
  ]);
  t.regex(formatReport(report), /smallest input: 1x1/);
});
