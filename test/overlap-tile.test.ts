/**
 * U-Net's overlap-tile strategy (src/runtime/overlap-tile.ts): the plan of tiles and input
 * windows, mirroring against numpy.pad(mode='reflect'), and the assembled prediction against
 * one run of the net over the whole mirror-padded image (numpy's padding, tfjs's forward pass);
 * then `fcn predict --tile` through the CLI.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encodeImagePng, readLabel } from '../src/data/index.js';
import {
  emitNet,
  mirrorWindow,
  NetSizes,
  planOverlapAxis,
  planOverlapTiles,
  predict,
  reflectIndex,
  scoreOffset,
  scoreOutput,
  segment,
  type NetArray,
  type OverlapTilePlan,
} from '../src/runtime/index.js';
import { readNpy } from '../src/runtime/npy.js';
import { useWasm } from './helpers/tf.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(repo, 'test', 'fixtures', 'overlap-tile', 'valid-tiny.fcn');

test.before(async () => {
  await useWasm();
});

test('planOverlapAxis: o = 92, T = 572, S = 388 — the tiles partition the side, each reading [p − 92, p + 480)', (t) => {
  const plan = (length: number) => planOverlapAxis(length, 572, 388, 92);
  const common = { input: 572, scores: 388, offset: 92 };
  t.deepEqual(plan(100), { ...common, starts: [0], windows: [[-92, 480]] });
  t.deepEqual(plan(388), { ...common, starts: [0], windows: [[-92, 480]] });
  t.deepEqual(plan(389), {
    ...common,
    starts: [0, 388],
    windows: [
      [-92, 480],
      [296, 868],
    ],
  });
  t.deepEqual(plan(1000), {
    ...common,
    starts: [0, 388, 776],
    windows: [
      [-92, 480],
      [296, 868],
      [684, 1256],
    ],
  });
  t.throws(() => planOverlapAxis(100, 572, 481, 92), {
    message: 'scores 481 at offset 92 do not fit in a tile of 572',
  });
});

test('nets/unet.fcn: tiles of exact sides (188 + 16k) from the compiler, 388 scores at 572, shrunk to the fewest tiles', (t) => {
  const { model, info } = emitNet(join(repo, 'nets', 'unet.fcn'), { init: false });
  model.dispose();
  t.deepEqual(scoreOffset(info), [92, 92]);
  const g = NetSizes.fromModel(info)!.overlapGeometry(scoreOutput(info), scoreOffset(info)!);
  t.deepEqual([g.scoreSide(0, 572), g.scoreSide(1, 188), g.align, g.exact], [388, 4, 16, true]);
  t.deepEqual(g.smallest(), [188, 188]);
  // 500 and 573 are sides the net takes, but its poolings round there.
  t.deepEqual([g.largestAtMost(0, 500), g.largestAtMost(1, 573), g.largestAtMost(0, 187)], [492, 572, null]);
  const axes = (plan: OverlapTilePlan | null) =>
    plan && [plan.rows, plan.cols].map((a) => [a.input, a.scores, a.starts, a.windows]);
  // A 100x130 image, smaller than the smallest tile: one tile per axis, the smallest whose scores cover it.
  const small = planOverlapTiles(g, [100, 130], 500)!;
  t.deepEqual(axes(small), [
    [284, 100, [0], [[-92, 192]]],
    [316, 132, [0], [[-92, 224]]],
  ]);
  t.true(small.onGrid);
  // 1164 = 3 x 388: 572 tiles, on 388 pixel steps, which are off the 16-pixel grid (388 = 24·16 + 4).
  const big = planOverlapTiles(g, [1164, 389], 572)!;
  t.deepEqual(axes(big), [
    [
      572,
      388,
      [0, 388, 776],
      [
        [-92, 480],
        [296, 868],
        [684, 1256],
      ],
    ],
    [
      380,
      196,
      [0, 196],
      [
        [-92, 288],
        [104, 484],
      ],
    ],
  ]);
  t.false(big.onGrid);
  // 1000 needs 3 tiles of 572 (scores 388) and 3 of 524 (340) do too.
  t.deepEqual(axes(planOverlapTiles(g, [1000, 1000], 572))![0]!.slice(0, 3), [524, 340, [0, 340, 680]]);
  t.is(planOverlapTiles(g, [1000, 1000], 187), null);
});

/** A [h, w, c] array of small integers, a[y, x, k] = (7y + 3x + 5k) mod 11 − 5: exact in float32 and in numpy. */
function ramp(h: number, w: number, c: number): NetArray {
  const data = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = ((7 * y + 3 * x + 5 * k) % 11) - 5;
  return { data, height: h, width: w, channels: c };
}

/** numpy.pad(ramp(h, w, c), ((top, bottom), (left, right), (0, 0)), mode='reflect'), flattened, from /usr/bin/python3. */
function numpyReflect(h: number, w: number, c: number, [top, bottom, left, right]: number[]): number[] {
  const script = [
    'import json, sys, numpy as np',
    'h, w, c, t, b, l, r = map(int, sys.argv[1:])',
    'y, x, k = np.meshgrid(np.arange(h), np.arange(w), np.arange(c), indexing="ij")',
    'a = ((7 * y + 3 * x + 5 * k) % 11 - 5).astype(np.float32)',
    'print(json.dumps(np.pad(a, ((t, b), (l, r), (0, 0)), mode="reflect").ravel().tolist()))',
  ].join('\n');
  const args = [h, w, c, top, bottom, left, right].map(String);
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8' })) as number[];
}

/** The window of `input` that numpy's padding gives: rows [-top, h + bottom), columns [-left, w + right). */
const padded = (input: NetArray, [top, bottom, left, right]: number[]) =>
  mirrorWindow(input, [-top!, -left!], [input.height + top! + bottom!, input.width + left! + right!]);

test('mirroring equals numpy.pad(mode="reflect"), also for pads wider than the image and a side of 1', (t) => {
  t.deepEqual(
    [-4, -3, -2, -1, 0, 2, 3, 4, 5, 6, 7].map((i) => reflectIndex(i, 3)),
    [0, 1, 2, 1, 0, 2, 1, 0, 1, 2, 1],
  );
  for (const [h, w, c, pads] of [
    [5, 3, 2, [7, 9, 4, 6]],
    [4, 6, 1, [3, 1, 0, 5]],
    [1, 4, 3, [3, 2, 5, 5]],
  ] as const) {
    const window = padded(ramp(h, w, c), [...pads]);
    t.deepEqual([...window.data], numpyReflect(h, w, c, [...pads]), `${h}x${w}x${c} padded ${pads}`);
  }
});

/** The tiny valid-convolution net with seeded random weights. */
const tinyNet = () => emitNet(fixture, { seed: 5 });

/** One run of the model over `input` mirror-padded by numpy, its scores cropped to the image: the oracle. */
function wholePadded(
  model: tf.LayersModel,
  info: ReturnType<typeof tinyNet>['info'],
  input: NetArray,
  pads: number[],
): Float32Array {
  const { height: H, width: W, channels: C } = input;
  const array = Float32Array.from(numpyReflect(H, W, C, pads));
  const tensor = tf.tensor4d(array, [1, H + pads[0]! + pads[1]!, W + pads[2]! + pads[3]!, C]);
  const whole = predict(model, info, tensor);
  tensor.dispose();
  const [c, h, w] = whole.shape;
  const out = new Float32Array(c * H * W);
  for (let k = 0; k < c; k++)
    for (let y = 0; y < H; y++) out.set(whole.scores.subarray((k * h + y) * w, (k * h + y) * w + W), (k * H + y) * W);
  return out;
}

/** The largest absolute difference of two score maps. */
const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test('a 23x37 image in tiles (on the net’s grid) equals one run over the mirror-padded image, every pixel labelled', async (t) => {
  const { model, info } = tinyNet();
  const input = ramp(23, 37, 3);
  const plans: OverlapTilePlan[] = [];
  const ticks: number[][] = [];
  const tiled = await segment(model, info, input, {
    tile: 20,
    onPlan: (p) => plans.push(p as OverlapTilePlan),
    onTile: (done, total) => ticks.push([done, total]),
  });
  // Rows: 20 needs 2 tiles (scores 14), so does 18 (12), 16 (10) would need 3. Columns: 20, 3 tiles.
  const p = plans[0]!;
  t.deepEqual(
    [p.kind, p.rows.input, p.rows.scores, p.rows.starts, p.cols.input, p.cols.scores, p.cols.starts, p.onGrid],
    ['overlap', 18, 12, [0, 12], 20, 14, [0, 14, 28], true],
  );
  t.deepEqual(
    ticks,
    [1, 2, 3, 4, 5, 6].map((d) => [d, 6]),
  );
  t.deepEqual(tiled.shape, [3, 23, 37]);
  t.deepEqual([tiled.labels.height, tiled.labels.width, tiled.offset], [23, 37, undefined]);
  t.false(tiled.labels.data.includes(255));
  // The padded image: 3 on the near sides (the offset), 24 − 23 + 3 and 42 − 37 + 3 on the far sides.
  const oracle = wholePadded(model, info, input, [3, 4, 3, 8]);
  const diff = maxAbs(tiled.scores, oracle);
  t.log(`max |tiled − whole| ${diff}, scores up to ${Math.max(...oracle.map(Math.abs))}`);
  t.true(diff <= 1e-5, `${diff}`);
  t.true(new Set(tiled.labels.data).size > 1, 'the scores are not all alike');
  model.dispose();
});

test('an image smaller than the smallest tile (5x3, tiles of 8 or more) runs: mirrored more than once', async (t) => {
  const { model, info } = tinyNet();
  const input = ramp(5, 3, 3);
  const plans: OverlapTilePlan[] = [];
  const tiled = await segment(model, info, input, { tile: 20, onPlan: (p) => plans.push(p as OverlapTilePlan) });
  const p = plans[0]!;
  t.deepEqual([p.rows.input, p.rows.scores, p.cols.input, p.cols.scores], [12, 6, 10, 4]);
  t.deepEqual(tiled.shape, [3, 5, 3]);
  // Columns [−3, 7) of a 3-pixel side: a pad of 4 past an image of 3.
  const diff = maxAbs(tiled.scores, wholePadded(model, info, input, [3, 4, 3, 4]));
  t.true(diff <= 1e-5, `${diff}`);
  t.false(tiled.labels.data.includes(255));
  model.dispose();
});

test('fcn predict --tile on a net with a label crop: a label PNG of the image’s size, no void, scores in its frame', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fcn-overlap-'));
  try {
    const fcn = (...args: string[]) =>
      promisify(execFile)('node', [join(repo, 'bin', 'fcn.js'), ...args], { cwd: repo }).catch(
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const model = join(dir, 'model');
    await fcn('compile', fixture, '-o', model);
    const image = join(dir, 'img.png');
    const [h, w] = [23, 37];
    const pixels = Uint8Array.from({ length: h * w * 3 }, (_, i) => (i * 37) % 256);
    await writeFile(image, encodeImagePng({ height: h, width: w, data: pixels }));
    const out = join(dir, 'out.png');
    const npy = join(dir, 'out.npy');
    const r = await fcn('predict', model, image, '-o', out, '--scores', npy, '--tile', '20', '-v');
    t.is(r.stdout, `${image}: ${out}, ${npy}\n`, r.stderr);
    t.true(
      r.stderr.endsWith(
        `${image}: 2x3 tiles of 18x20 giving 12x14 scores at offset 3, 3 ` +
          "(overlap-tile: the image mirrored past its edges; every tile on the net's 2-pixel grid)\n",
      ),
      r.stderr,
    );
    const labels = await readLabel(out);
    t.deepEqual([labels.height, labels.width], [h, w]);
    t.false(labels.data.includes(255));
    const scores = await readNpy(npy);
    t.deepEqual(scores.shape, [3, h, w]);
    // Without --tile the net's own scores, placed in the image's frame with a void border; 23 and 37 are
    // sides where its pooling rounds up, so they are 18x32, not 17x31 (each side − 2·3).
    const plain = await fcn('predict', model, image, '-o', join(dir, 'plain.png'), '--scores', join(dir, 'plain.npy'));
    t.is((plain as { stderr: string }).stderr, '');
    t.deepEqual((await readNpy(join(dir, 'plain.npy'))).shape, [3, 18, 32]);
    t.true((await readLabel(join(dir, 'plain.png'))).data.includes(255));
    // An image smaller than the net takes (5x4; sides from 7): refused whole, with --tile as the way out, which runs it.
    const tiny = join(dir, 'tiny.png');
    await writeFile(tiny, encodeImagePng({ height: 5, width: 4, data: pixels.subarray(0, 5 * 4 * 3) }));
    const whole = await fcn('predict', model, tiny, '-o', join(dir, 'tiny.label.png'));
    t.is((whole as { code?: number }).code, 1);
    t.regex(whole.stderr, /fcn: net valid_tiny cannot take .*tiny\.png \(5x4\): .*\(resize it, or use --tile\)\n$/);
    const tinyTiled = await fcn('predict', model, tiny, '-o', join(dir, 'tiny.label.png'), '--tile');
    t.is(tinyTiled.stderr, '');
    const tinyLabels = await readLabel(join(dir, 'tiny.label.png'));
    t.deepEqual([tinyLabels.height, tinyLabels.width, tinyLabels.data.includes(255)], [5, 4, false]);
    const small = await fcn('predict', model, image, '-o', join(dir, 'x.png'), '--tile', '6');
    t.is((small as { code?: number }).code, 2);
    t.is(
      small.stderr,
      'fcn: --tile 6 is smaller than any tile net valid_tiny takes with no layer rounding (the smallest is 8x8)\n',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
