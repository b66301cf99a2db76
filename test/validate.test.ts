// Bad data is found before a run starts: every image and label of the train and val splits is
// checked, all problems are listed in one error (and no run directory is made), or with
// --skip-bad left out with a warning. The CLI tests run the built CLI (bin/fcn.js → dist/): build first.
import test from 'ava';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  encodeLabelPng,
  listBadFiles,
  readLabel,
  skipBadFiles,
  SYNTH_DEFAULTS,
  validateSplits,
  VocDataset,
  writeSynthDataset,
  type BadFile,
} from '../src/data/index.js';
import { UserError } from '../src/diagnostics/index.js';
import { prepareNewRun, prepareResume } from '../src/train/index.js';
import { fcn } from './helpers/cli.js';
import { useWasm } from './helpers/tf.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const NET = join(repo, 'nets/tiny-fcn8s.fcn');

let root: string;
/** 10 synthetic 64x64 images (train synth_0000–0007, val synth_0008–0009): train's synth_0003.png is cut in half, val's synth_0009 label is 32x32. */
let data: string;
let image3: string;
let label9: string;

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'fcn-validate-'));
  data = join(root, 'data');
  await writeSynthDataset(data, { ...SYNTH_DEFAULTS, count: 10, seed: 5 });
  image3 = join(data, 'JPEGImages', 'synth_0003.png');
  label9 = join(data, 'SegmentationClass', 'synth_0009.png');
  const bytes = await readFile(image3);
  await writeFile(image3, bytes.subarray(0, bytes.length >> 1));
  await writeFile(label9, encodeLabelPng({ width: 32, height: 32, data: new Uint8Array(32 * 32) }));
});

test.after.always(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The two problems, as each line of the listing says them. */
const TRUNCATED = () => `${image3}: cannot read image (corrupt PNG: truncated IDAT chunk)`;
const WRONG_SIZE = () =>
  `${label9}: label is 32x32 (WxH) but its image ${join(data, 'JPEGImages', 'synth_0009.png')} is 64x64`;
const LISTING = () =>
  '2 bad files in 2 of the 10 images of train and val; fix or remove them, or give --skip-bad to leave them out:\n' +
  `  ${TRUNCATED()}\n  ${WRONG_SIZE()}`;

test('validateSplits finds every bad file of both splits, in list order, and reports progress', async (t) => {
  const splits = [
    await VocDataset.open(data, { split: 'train', classes: 4 }),
    await VocDataset.open(data, { split: 'val', classes: 4 }),
  ];
  const seen: Array<[number, number]> = [];
  const bad = await validateSplits(splits, (done, total) => seen.push([done, total]));
  t.deepEqual(bad, [
    { split: 'train', id: 'synth_0003', file: image3, message: TRUNCATED() },
    { split: 'val', id: 'synth_0009', file: label9, message: WRONG_SIZE() },
  ]);
  t.deepEqual(
    seen,
    Array.from({ length: 10 }, (_, i) => [i + 1, 10]),
  );
});

test('a bad image and a bad label of one example are both listed; a label above the classes names its pixel', async (t) => {
  await writeFile(join(data, 'JPEGImages', 'junk.png'), 'not an image');
  await writeFile(join(data, 'SegmentationClass', 'junk.png'), 'not a label');
  await writeFile(join(data, 'ImageSets/Segmentation/checks.txt'), 'junk\nsynth_0000\n');
  const ds = await VocDataset.open(data, { split: 'checks', classes: 1 });
  const label0 = await readLabel(join(data, 'SegmentationClass', 'synth_0000.png'));
  const first = label0.data.findIndex((v) => v !== 0);
  const bad = await validateSplits([ds]);
  t.deepEqual(
    bad.map((b) => b.message),
    [
      `${join(data, 'JPEGImages', 'junk.png')}: cannot read image (Input buffer contains unsupported image format)`,
      `${join(data, 'SegmentationClass', 'junk.png')}: not a PNG file; labels must be PNG (palette indices, grayscale indices or RGB in the VOC colour map)`,
      `${label0.file}: pixel (${first % 64}, ${Math.floor(first / 64)}) has label ${label0.data[first]}, outside [0, 1) and not 255 (void)`,
    ],
  );
  t.deepEqual(
    bad.map((b) => b.id),
    ['junk', 'junk', 'synth_0000'],
  );
  t.is(
    t.throws(() => skipBadFiles(bad, [ds]), { instanceOf: UserError }).message,
    ['every image of checks has a bad file; none is left to use:', ...bad.map((b) => `  ${b.message}`)].join('\n'),
  );
});

test('the listing stops at 20 files and counts the rest', (t) => {
  const bad: BadFile[] = Array.from({ length: 23 }, (_, i) => ({
    split: 'train',
    id: `x${i}`,
    file: `x${i}.png`,
    message: `x${i}.png: corrupt`,
  }));
  const lines = listBadFiles(bad);
  t.is(lines.length, 21);
  t.is(lines[19], '  x19.png: corrupt');
  t.is(lines[20], '  and 3 more');
});

test('prepareNewRun refuses bad data before it makes the run directory', async (t) => {
  const out = join(root, 'refused');
  const err = await t.throwsAsync(prepareNewRun({ source: NET, data, out, flags: { iters: 2 } }), {
    instanceOf: UserError,
  });
  t.is(err.message, LISTING());
  t.is(err.exitCode, 1);
  t.false(existsSync(out));
});

test.serial('fcn train lists every bad file, exits 1 and leaves no run directory', async (t) => {
  const out = join(root, 'cli-refused');
  const r = await fcn('train', NET, '--data', data, '--out', out, '--iters', '2');
  t.is(r.code, 1);
  t.is(r.stderr, `fcn: ${LISTING()}\n`);
  t.is(r.stdout, '');
  t.false(existsSync(out));
});

test.serial('fcn train --skip-bad trains without them, says so, and a resumed run leaves them out again', async (t) => {
  await useWasm();
  const out = join(root, 'cli-skipped');
  const r = await fcn('train', NET, '--data', data, '--out', out, '--iters', '2', '--skip-bad', '--json');
  t.is(r.code, 0, r.stderr);
  const warning = `fcn train: warning: skipping 2 bad files (${image3}, ${label9}); 7 of 8 train, 1 of 2 val images remain`;
  t.is(r.stderr.split('\n')[0], warning);
  const summary = JSON.parse(r.stdout) as { iterations: number; settings: { skip_bad: boolean } };
  t.is(summary.iterations, 2);
  t.true(summary.settings.skip_bad);
  const start = JSON.parse((await readFile(join(out, 'log.jsonl'), 'utf8')).split('\n')[0]!) as { skipped: string[] };
  t.deepEqual(start.skipped, [image3, label9]);

  const resumed = await prepareResume(out, { iters: 3 });
  t.is(resumed.warning, warning.slice('fcn train: warning: '.length));
  t.deepEqual(resumed.train.ids, [
    'synth_0000',
    'synth_0001',
    'synth_0002',
    'synth_0004',
    'synth_0005',
    'synth_0006',
    'synth_0007',
  ]);
  t.deepEqual(resumed.val?.ids, ['synth_0008']);
  resumed.model.dispose();
});
