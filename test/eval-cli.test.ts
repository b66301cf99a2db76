// Runs the built CLI (bin/fcn.js → dist/): build first with `npx tsc -p tsconfig.build.json` (`npm test` does).
import test from 'ava';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLabelPng, encodePng, vocColor } from '../src/data/index.js';
import { Confusion, computeMetrics, scoreFiles, type EvalJson } from '../src/eval/index.js';
import { fcn } from './helpers/cli.js';
import { VOC_DEMO } from './helpers/voc-demo.js';

const demo = VOC_DEMO;
/** The reference prediction and the VOC label. */
const DEMO_PAIR = ['--pred', join(demo, 'output.png'), '--gt', join(demo, 'label.png')];

/** Checks the JSON's metrics against the ones our metric code computes from its own raw confusion matrix (to 1e-6). */
function checkAgainstConfusion(t: import('ava').ExecutionContext, json: EvalJson): void {
  const m = computeMetrics(Confusion.fromRows(json.confusion));
  const close = (a: number | null, b: number) => t.true(a !== null && Math.abs(a - b) <= 1e-6, `${a} vs ${b}`);
  close(json.pixel_accuracy, m.pixelAccuracy);
  close(json.mean_accuracy, m.meanAccuracy);
  close(json.mean_iu, m.meanIU);
  close(json.fw_iu, m.fwIU);
  t.is(json.per_class_iu.length, m.classes);
  json.per_class_iu.forEach((v, k) => (Number.isNaN(m.perClassIU[k]) ? t.is(v, null) : close(v, m.perClassIU[k]!)));
}

test('fcn eval --json scores the reference prediction against the VOC label', async (t) => {
  const { code, stdout, stderr } = await fcn('eval', ...DEMO_PAIR, '--classes', '21', '--json');
  t.is(code, 0, stderr);
  const json = JSON.parse(stdout) as EvalJson;
  checkAgainstConfusion(t, json);
  t.is(json.mean_iu!.toFixed(4), '0.7196');
  t.is(json.pixel_accuracy!.toFixed(4), '0.8425');
  const inProcess = await scoreFiles(join(demo, 'output.png'), join(demo, 'label.png'), 21);
  t.deepEqual(json.confusion, inProcess.confusion.rows());
  t.is(json.mean_iu, inProcess.metrics.meanIU);
  t.is(json.per_class_iu.filter((v) => v !== null).length, 3);
});

test('fcn eval pairs directories by file stem, in any label format, and prints a table without --json', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fcn-eval-'));
  await Promise.all(['pred', 'gt'].map((d) => mkdir(join(dir, d))));
  await copyFile(join(demo, 'output.png'), join(dir, 'pred', 'demo.png'));
  await copyFile(join(demo, 'label.png'), join(dir, 'gt', 'demo.png'));
  // A 2×2 second image: its prediction as a grayscale index PNG, its truth as an RGB colour-map PNG.
  await writeFile(
    join(dir, 'pred', 'tiny.png'),
    encodePng({ width: 2, height: 2, colorType: 0, data: Uint8Array.from([0, 2, 15, 15]) }),
  );
  const rgb = Uint8Array.from([0, 15, 15, 2].flatMap((c) => vocColor(c)));
  await writeFile(join(dir, 'gt', 'tiny.png'), encodePng({ width: 2, height: 2, colorType: 2, data: rgb }));
  await writeFile(join(dir, 'gt', 'unscored.png'), encodeLabelPng({ width: 1, height: 1, data: Uint8Array.from([1]) }));
  const { code, stdout } = await fcn(
    'eval',
    '--pred',
    join(dir, 'pred'),
    '--gt',
    join(dir, 'gt'),
    '--classes',
    '21',
    '--json',
  );
  t.is(code, 0);
  const json = JSON.parse(stdout) as EvalJson;
  checkAgainstConfusion(t, json);
  t.is(json.images, 2);
  const single = (await scoreFiles(join(demo, 'output.png'), join(demo, 'label.png'), 21)).confusion;
  single.add([0, 15, 15, 2], [0, 2, 15, 15]);
  t.deepEqual(json.confusion, single.rows());
  const table = await fcn('eval', '--pred', join(dir, 'pred'), '--gt', join(dir, 'gt'), '--classes', '21');
  t.is(table.code, 0);
  t.regex(table.stdout, /mean IU\s*│\s*\d+\.\d\d/);
  t.regex(table.stdout, /15 person/);
});

test('a missing file exits 1, names the file, and prints no stack', async (t) => {
  const missing = join(demo, 'no-such-prediction.png');
  const { code, stdout, stderr } = await fcn(
    'eval',
    '--pred',
    missing,
    '--gt',
    join(demo, 'label.png'),
    '--classes',
    '21',
    '--json',
  );
  t.is(code, 1);
  t.is(stdout, '');
  t.is(stderr, `fcn: ${missing}: no such prediction file or directory\n`);
});

test('a label out of range exits 1 naming the file', async (t) => {
  const { code, stderr } = await fcn('eval', ...DEMO_PAIR, '--classes', '10');
  t.is(code, 1);
  t.is(stderr, `fcn: ${join(demo, 'label.png')}: pixel (1, 0) has label 15, outside [0, 10) and not 255 (void)\n`);
});

test('model mode names a missing run directory (exit 1); no model and no --pred is misuse (exit 2)', async (t) => {
  const model = await fcn('eval', 'runs/x', '--data', 'data', '--split', 'val');
  t.is(model.code, 1);
  t.regex(model.stderr, /runs\/x: no such run or model directory/);
  t.notRegex(model.stderr, /\n\s+at /);
  const bare = await fcn('eval');
  t.is(bare.code, 2);
  t.regex(bare.stderr, /needs a model directory/);
  const noClasses = await fcn('eval', ...DEMO_PAIR);
  t.is(noClasses.code, 2);
  t.regex(noClasses.stderr, /--classes N is required/);
});

test('model mode on an image the net cannot take: exit 1 naming the image, the sizes that work and the nearest', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fcn-eval-size-'));
  const model = join(dir, 'tiny');
  t.is((await fcn('compile', 'nets/tiny-fcn8s-padded.fcn', '-o', model)).code, 0);
  await Promise.all(
    ['JPEGImages', 'SegmentationClass', 'ImageSets/Segmentation'].map((d) => mkdir(join(dir, d), { recursive: true })),
  );
  const [h, w] = [70, 70];
  await writeFile(
    join(dir, 'JPEGImages', 'a.png'),
    encodePng({ width: w, height: h, colorType: 2, data: new Uint8Array(h * w * 3).fill(90) }),
  );
  await writeFile(
    join(dir, 'SegmentationClass', 'a.png'),
    encodeLabelPng({ width: w, height: h, data: new Uint8Array(h * w) }),
  );
  await writeFile(join(dir, 'ImageSets', 'Segmentation', 'val.txt'), 'a\n');
  const { code, stdout, stderr } = await fcn('eval', model, '--data', dir, '--split', 'val', '--json');
  t.is(code, 1);
  t.is(stdout, '');
  t.notRegex(stderr, /\n\s+at |internal error/);
  t.regex(stderr, /^error\[crop-out-of-bounds\]: crop 'score_pool3c' does not fit at input 70x70/);
  t.true(
    stderr.endsWith(
      `fcn: net tiny_fcn8s_padded cannot take ${join(dir, 'JPEGImages', 'a.png')} (70x70): near that size it takes sides 51–66 or 83–98; ` +
        'the nearest size that works is 66x66\n',
    ),
    stderr,
  );
});
