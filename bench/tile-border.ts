/**
 * The border effect of tiled inference: a model run on an image whole and in tiles
 * (src/runtime/tile.ts), compared — the fraction of pixels whose label differs and the
 * largest absolute score difference. Prints one JSON line per run.
 *
 *   npx tsx bench/tile-border.ts MODEL_DIR IMAGE... [--tile N] [--margin M] [--backend B]
 *
 * An image is a file, or HxW for a seeded random one. --margin overrides the margin the
 * compiler's receptive field gives (150 for tiny-fcn8s-padded), to see what a shorter overlap costs.
 */
import { parseArgs } from 'node:util';
import { readImage } from '../src/data/index.js';
import { Rng } from '../src/data/random.js';
import {
  imageToArray,
  loadModel,
  NetSizes,
  planTiles,
  predict,
  predictTiled,
  scoreOutput,
  selectBackend,
  toTensor,
  type NetArray,
} from '../src/runtime/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tile: { type: 'string', default: '500' },
    margin: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const [modelDir, ...images] = positionals;
if (!modelDir || !images.length)
  throw new Error('usage: bench/tile-border.ts MODEL_DIR IMAGE... [--tile N] [--margin M]');
await selectBackend(values.backend);
const { model, info } = await loadModel(modelDir);
const sizes = NetSizes.fromModel(info)!;
const geometry = sizes.tileGeometry(scoreOutput(info));
const margin = values.margin === undefined ? geometry.margin : Number(values.margin);

/** A seeded image of uniform noise, as the net's input (pixel values 0–255 before the mean). */
function randomImage(h: number, w: number): NetArray {
  const rng = new Rng(7);
  const data = Uint8Array.from({ length: h * w * 3 }, () => rng.uint32() & 255);
  return imageToArray({ height: h, width: w, data }, info);
}

for (const image of images) {
  const m = /^(\d+)x(\d+)$/.exec(image);
  const input = m ? randomImage(Number(m[1]), Number(m[2])) : imageToArray(await readImage(image), info);
  const size: [number, number] = [input.height, input.width];
  const plan = planTiles({ ...geometry, margin }, size, Number(values.tile))!;
  const tensor = toTensor(input);
  const whole = predict(model, info, tensor);
  tensor.dispose();
  const tiled = await predictTiled(model, info, input, plan);
  let differ = 0;
  let maxAbs = 0;
  for (let p = 0; p < whole.labels.data.length; p++) differ += whole.labels.data[p] === tiled.labels.data[p] ? 0 : 1;
  for (let i = 0; i < whole.scores.length; i++)
    maxAbs = Math.max(maxAbs, Math.abs(whole.scores[i]! - tiled.scores[i]!));
  const maxScore = whole.scores.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  console.log(
    JSON.stringify({
      image,
      size,
      tiles: [plan.rows.starts.length, plan.cols.starts.length],
      tile: [plan.rows.size, plan.cols.size],
      margin,
      exact: plan.exact,
      labels_differ: differ / whole.labels.data.length,
      max_abs_score_diff: maxAbs,
      max_abs_score: maxScore,
    }),
  );
}
