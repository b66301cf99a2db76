import test from 'ava';
import { join } from 'node:path';
import { UserError } from '../src/diagnostics/index.js';
import {
  Confusion,
  computeMetrics,
  evalResultToJson,
  nanmean,
  scoreFiles,
  scoreLabelPairs,
} from '../src/eval/index.js';
import { VOC_DEMO } from './helpers/voc-demo.js';

const demo = VOC_DEMO;

// Five classes: 0–2 in truth and prediction, 3 only predicted (IU 0, accuracy 0/0), 4 nowhere (0/0).
const HIST = [
  [50, 2, 3, 5, 0],
  [4, 30, 6, 0, 0],
  [1, 0, 9, 0, 0],
  [0, 0, 0, 0, 0],
  [0, 0, 0, 0, 0],
];

/** Label arrays whose pixels fill HIST, plus void (255) ground truth that must not count. */
function pixelsOf(hist: number[][]): { gt: number[]; pred: number[] } {
  const gt: number[] = [];
  const pred: number[] = [];
  hist.forEach((row, g) =>
    row.forEach((count, p) => {
      for (let i = 0; i < count; i++) {
        gt.push(g);
        pred.push(p);
      }
    }),
  );
  for (let p = 0; p < 5; p++) {
    gt.push(255);
    pred.push(p);
  }
  return { gt, pred };
}

test('a hand-made confusion matrix gives the reference metrics', (t) => {
  const { gt, pred } = pixelsOf(HIST);
  // Split over two images: scores accumulate over a dataset.
  const half = 37;
  const result = scoreLabelPairs(
    [
      { name: 'a', gt: gt.slice(0, half), pred: pred.slice(0, half) },
      { name: 'b', gt: gt.slice(half), pred: pred.slice(half) },
    ],
    5,
  );
  t.deepEqual(result.confusion.rows(), HIST);
  const m = result.metrics;
  t.is(m.pixels, 110);
  t.is(m.pixelAccuracy, 89 / 110);
  t.is(m.meanAccuracy, (50 / 60 + 30 / 40 + 9 / 10) / 3);
  t.is(m.meanIU, (50 / 65 + 30 / 42 + 9 / 19 + 0) / 4);
  t.is(m.fwIU, (60 / 110) * (50 / 65) + (40 / 110) * (30 / 42) + (10 / 110) * (9 / 19));
  t.deepEqual(m.perClassIU, [50 / 65, 30 / 42, 9 / 19, 0, NaN]);
  t.deepEqual(m.perClassAccuracy, [50 / 60, 30 / 40, 9 / 10, NaN, NaN]);
  t.deepEqual(m.gtPixels, [60, 40, 10, 0, 0]);
  t.deepEqual(m.predPixels, [55, 32, 18, 5, 0]);
  const json = evalResultToJson(result);
  t.deepEqual(json.per_class_iu, [50 / 65, 30 / 42, 9 / 19, 0, null]);
  t.deepEqual(json.confusion, HIST);
  t.deepEqual(computeMetrics(Confusion.fromRows(json.confusion)), m);
});

test('nanmean skips NaN and is NaN with nothing to average', (t) => {
  t.is(nanmean([NaN, 1, 2, NaN]), 1.5);
  t.true(Number.isNaN(nanmean([NaN])));
});

test('a prediction outside the classes is an error naming it', (t) => {
  const err = t.throws(() => new Confusion(3).add([0, 1, 2], [0, 3, 1], 'p.png'), { instanceOf: UserError });
  t.is(err.message, 'p.png: pixel 1 is predicted as 3, outside [0, 3)');
  // Void: the border a U-Net's prediction leaves unlabelled without --tile.
  const unlabelled = t.throws(() => new Confusion(3).add([0, 1, 2], [0, 255, 1], 'u.png'), { instanceOf: UserError });
  t.is(
    unlabelled.message,
    'u.png: pixel 1 is predicted as 255, outside [0, 3): void, a pixel the prediction leaves unlabelled ' +
      "(fcn predict without --tile leaves the border that a net's smaller scores do not reach, as U-Net's); " +
      'predict with --tile to label every pixel',
  );
  t.throws(() => new Confusion(3).add([0, 1], [0], 'q.png'), {
    message: 'q.png: prediction has 1 pixels but the ground truth has 2',
  });
});

test('the reference FCN-8s prediction scored against the VOC label: mean IU 0.7196, pixel accuracy 0.8425', async (t) => {
  const result = await scoreFiles(join(demo, 'output.png'), join(demo, 'label.png'), 21);
  const m = result.metrics;
  // The 4 decimals the reference gives.
  t.is(m.meanIU.toFixed(4), '0.7196');
  t.is(m.pixelAccuracy.toFixed(4), '0.8425');
  // Full precision, as numpy's score.py computes them from the same confusion matrix.
  t.is(m.meanIU, 0.7196156777147081);
  t.is(m.pixelAccuracy, 0.8425141101426042);
  t.is(m.meanAccuracy, 0.8454627806113827);
  t.is(m.fwIU, 0.7273739799737002);
  // The non-zero cells: background, bicycle (2) and person (15); the 17285 void pixels are not counted.
  const cells = [0, 2, 15].map((g) => [0, 2, 15].map((p) => result.confusion.at(g, p)));
  t.deepEqual(cells, [
    [52692, 1398, 299],
    [4618, 28404, 1161],
    [8782, 7320, 45041],
  ]);
  t.is(m.pixels, 149715);
  t.is(m.perClassIU.filter((v) => !Number.isNaN(v)).length, 3);
});
