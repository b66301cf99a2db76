/**
 * Tiled inference (src/runtime/tile.ts): tile plans from the compiler's geometry, the
 * blending weights, and the result against whole-image inference where both fit — the
 * border effect measured and pinned.
 */
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/data/random.js';
import {
  axisWeights,
  emitNet,
  imageToArray,
  NetSizes,
  planAxis,
  planTiles,
  predict,
  predictTiled,
  toTensor,
  type NetArray,
  type TileGeometry,
} from '../src/runtime/index.js';
import { useWasm } from './helpers/tf.js';

const net = (name: string) => fileURLToPath(new URL(`../nets/${name}`, import.meta.url));

test.before(async () => {
  await useWasm();
});

/** The geometry the compiler gives a net's score output. */
function geometryOf(file: string): TileGeometry {
  const { model, info } = emitNet(net(file), { init: false });
  model.dispose();
  return NetSizes.fromModel(info)!.tileGeometry('score');
}

test('the geometry is the compiler’s: the grid is the largest stride, the margin half the score’s receptive field', (t) => {
  const tiny = geometryOf('tiny-fcn8s-padded.fcn');
  t.is(tiny.align, 32);
  t.is(tiny.margin, 150, 'receptive field 301, padding 150');
  const voc = geometryOf('voc-fcn8s.fcn');
  t.is(voc.align, 32);
  t.is(voc.margin, 245, 'receptive field 491, padding 245');
});

test('planAxis: one tile when the net takes the side; else grid-aligned tiles overlapping by ≥ 2·margin', (t) => {
  const tiny = geometryOf('tiny-fcn8s-padded.fcn');
  t.deepEqual(planAxis(tiny, 0, 499, 500), { size: 499, starts: [0], exact: true });
  // 1011 ≡ 499 (mod 32): every tile on the grid; step 192 leaves an overlap of 307 ≥ 300.
  t.deepEqual(planAxis(tiny, 0, 1011, 500), { size: 499, starts: [0, 192, 384, 512], exact: true });
  t.deepEqual(planAxis(tiny, 1, 627, 500), { size: 499, starts: [0, 128], exact: true });
  // 70 is not a side the net takes: the largest that is (66), the last tile off the grid.
  t.deepEqual(planAxis(tiny, 0, 70, 500), { size: 66, starts: [0, 4], exact: false });
  t.is(planAxis(tiny, 0, 8, 500), null, 'smaller than any side the net takes');
  t.is(planAxis(tiny, 0, 627, 40), null, 'a tile smaller than any side the net takes');
  // voc-fcn8s takes every side, but its field (491) is as wide as the tile: the overlap is capped
  // at three quarters of it, and the plan is not exact.
  const voc = geometryOf('voc-fcn8s.fcn');
  t.deepEqual(planAxis(voc, 0, 1000, 500), {
    size: 488,
    starts: [0, 96, 192, 288, 384, 480, 512],
    exact: false,
  });
  const plan = planTiles(tiny, [1011, 627], 500)!;
  t.deepEqual([plan.rows.starts.length, plan.cols.starts.length, plan.exact], [4, 2, true]);
});

test('axisWeights: a partition of unity, zero within the margin of an inner edge, rising inward', (t) => {
  const tiles = { size: 10, starts: [0, 6, 12] };
  const w = axisWeights(tiles, 22, 1);
  for (let p = 0; p < 22; p++) {
    const sum = tiles.starts.reduce((a, s, i) => a + (p >= s && p < s + 10 ? w[i]![p - s]! : 0), 0);
    t.true(Math.abs(sum - 1) < 1e-12, `pixel ${p}: ${sum}`);
  }
  // Tile 1 covers 6–15, both of its edges inner: nothing at 6 and 15 (within the margin), then
  // shared with tiles 0 and 2 in proportion to the depth beyond the margin.
  t.deepEqual(
    [...w[1]!].map((v) => +v.toFixed(3)),
    [0, 0.333, 0.667, 1, 1, 1, 1, 0.667, 0.333, 0],
  );
  // Too little overlap to clear the margin: the weights rise from the inner edge instead.
  const short = axisWeights({ size: 4, starts: [0, 3] }, 7, 3);
  t.deepEqual(
    short.map((w) => [...w].map((v) => +v.toFixed(3))),
    [
      [1, 1, 1, 0.5],
      [0.5, 1, 1, 1],
    ],
  );
});

/** A seeded image of uniform noise, preprocessed for the net. */
function noise(info: Parameters<typeof imageToArray>[1], h: number, w: number): NetArray {
  const rng = new Rng(7);
  return imageToArray(
    { height: h, width: w, data: Uint8Array.from({ length: h * w * 3 }, () => rng.uint32() & 255) },
    info,
  );
}

/** Fraction of labels that differ, and the largest absolute score difference. */
function compare(a: { labels: { data: Uint8Array }; scores: Float32Array }, b: typeof a) {
  let differ = 0;
  for (let p = 0; p < a.labels.data.length; p++) if (a.labels.data[p] !== b.labels.data[p]) differ++;
  let maxAbs = 0;
  for (let i = 0; i < a.scores.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a.scores[i]! - b.scores[i]!));
  return { differ: differ / a.labels.data.length, maxAbs };
}

test('tiny-fcn8s (random weights) at 627x627 in 499 tiles: the same labels as whole, scores within 1e-7; a zero margin shows the border effect', async (t) => {
  const { model, info } = emitNet(net('tiny-fcn8s-padded.fcn'), { seed: 0 });
  const input = noise(info, 627, 627);
  const tensor = toTensor(input);
  const whole = predict(model, info, tensor);
  tensor.dispose();
  const geometry = NetSizes.fromModel(info)!.tileGeometry('score');
  const plan = planTiles(geometry, [627, 627], 500)!;
  t.true(plan.exact);
  const seen: number[] = [];
  const tiled = await predictTiled(model, info, input, plan, (n) => seen.push(n));
  t.deepEqual(seen, [1, 2, 3, 4]);
  t.deepEqual(tiled.shape, whole.shape);
  const exact = compare(tiled, whole);
  t.log('margin 150 (the compiler’s):', exact);
  t.is(exact.differ, 0);
  t.true(exact.maxAbs <= 1e-7, `${exact.maxAbs}`); // measured 3.0e-8 (max |score| 0.47)
  // The same tiles blended without keeping clear of their inner edges.
  const blunt = compare(await predictTiled(model, info, input, { ...plan, margin: 0 }), whole);
  t.log('margin 0:', blunt);
  // Measured: 0.26 % of the labels differ, scores by up to 0.0134.
  t.true(blunt.differ > 0 && blunt.differ <= 0.004, `${blunt.differ}`);
  t.true(blunt.maxAbs > 0.005 && blunt.maxAbs <= 0.02, `${blunt.maxAbs}`);
  model.dispose();
});
