/**
 * `fcn synth`: a synthetic segmentation dataset in the VOC layout, for a demo that must
 * train on a CPU in minutes. Several shapes per image on a textured background; the class
 * is the shape kind and colours are drawn independently of it, so only outlines tell the
 * classes apart, and thin arms, holes and points need fine (skip-connected) predictions.
 * Every image comes from its own seeded stream, so a seed gives byte-identical files.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pair } from '../compiler/layers/types.js';
import { UserError } from '../diagnostics/index.js';
import { writeDirAtomic, type OutputKind } from '../util/index.js';
import { encodeImagePng, type RgbImage } from './image.js';
import { encodeLabelPng, type LabelMap } from './labels.js';
import { Rng } from './random.js';
import { SHAPE_KINDS, randomShape, rasterise, type Shape } from './shapes.js';

/** The knobs of a synthetic dataset. */
export interface SynthOptions {
  /** Number of images (train + val). */
  count: number;
  /** Image size [h, w]. */
  size: Pair;
  /** Number of classes including background (2 … SHAPE_KINDS.length + 1). */
  classes: number;
  seed: number;
  /** Fraction of the images that go to the val split. */
  valFraction: number;
  /** Objects per image, [min, max]. */
  objects: Pair;
  /** Object bounding radius as a fraction of the shorter image side, [min, max]. */
  radius: Pair;
}

/**
 * Defaults sized for `fcn demo`: a tiny FCN-8s trained on CPU in a minute or two. Shape sizes
 * are set by what bilinear upsampling can express: fitting free coarse scores to each
 * label of 48 default images (the best any net could do through an FCN's fixed bilinear
 * upsampler) reaches mean IU 0.92 at stride 8, but only 0.72 at stride 16 and 0.55 at
 * stride 32, so 0.8 is within FCN-8s's reach and out of FCN-16s's and FCN-32s's.
 */
export const SYNTH_DEFAULTS: Readonly<SynthOptions> = {
  count: 320,
  size: [64, 64],
  classes: 4,
  seed: 0,
  valFraction: 0.2,
  objects: [2, 3],
  radius: [0.18, 0.3],
};

/** The manifest written as synth.json beside the data. */
export interface SynthManifest {
  generator: 'fcn synth';
  version: 1;
  seed: number;
  count: number;
  size: Pair;
  classes: number;
  /** Class names, index = class: background, then the shape kinds. */
  names: string[];
  valFraction: number;
  train: number;
  val: number;
}

export const SYNTH_MANIFEST = 'synth.json';

/** The class names of a synthetic dataset with `classes` classes. */
export function synthClassNames(classes: number): string[] {
  return ['background', ...SHAPE_KINDS.slice(0, classes - 1)];
}

/** The image ids of a dataset of `count` images, zero-padded so they sort in order. */
export function synthIds(count: number): string[] {
  const digits = Math.max(4, String(count - 1).length);
  return Array.from({ length: count }, (_, i) => `synth_${String(i).padStart(digits, '0')}`);
}

/** Checks options; misuse (exit 2) names the flag. */
export function checkSynthOptions(o: SynthOptions): void {
  const max = SHAPE_KINDS.length + 1;
  if (o.classes < 2 || o.classes > max)
    throw new UserError(
      `--classes must be between 2 and ${max} (background + ${SHAPE_KINDS.join(', ')}), got ${o.classes}`,
      2,
    );
  if (Math.min(...o.size) < 16)
    throw new UserError(`--size must be at least 16 pixels per side, got ${o.size.join('x')}`, 2);
  if (!(o.valFraction >= 0 && o.valFraction < 1))
    throw new UserError(`--val-fraction must be in [0, 1), got ${o.valFraction}`, 2);
  if (o.count < 1) throw new UserError(`--count must be at least 1, got ${o.count}`, 2);
}

/** How many of `count` images go to val (the last ones): at least one when the fraction asks for any and two images exist. */
export function valCount(count: number, valFraction: number): number {
  const n = Math.round(count * valFraction);
  return valFraction > 0 && count >= 2 ? Math.min(count - 1, Math.max(1, n)) : 0;
}

type Rgb = [number, number, number];

function randomColor(rng: Rng): Rgb {
  return [rng.range(0, 255), rng.range(0, 255), rng.range(0, 255)];
}

function distance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** A textured background: two random colours mixed by stripes, waves or a gradient, plus noise. Returns it and its mean colour. */
function background(rng: Rng, h: number, w: number): { pixels: Float32Array; mean: Rgb } {
  const c0 = randomColor(rng);
  const c1 = randomColor(rng);
  const amount = rng.range(0.2, 0.5);
  const pattern = rng.int(3);
  const theta = rng.range(0, 2 * Math.PI);
  const k = (2 * Math.PI) / rng.range(6, 24);
  const k2 = (2 * Math.PI) / rng.range(6, 24);
  const phase = rng.range(0, 2 * Math.PI);
  const noise = rng.range(3, 10);
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const pixels = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const along = x * ct + y * st;
      const t =
        pattern === 0
          ? 0.5 + 0.5 * Math.sin(k * along + phase)
          : pattern === 1
            ? 0.5 + 0.25 * (Math.sin(k * x + phase) + Math.sin(k2 * y - phase))
            : (along + Math.max(w, h)) / (2 * Math.max(w, h));
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) pixels[i + c] = c0[c]! + amount * t * (c1[c]! - c0[c]!) + noise * rng.normal();
    }
  }
  const mean = [0, 1, 2].map((c) => c0[c]! + amount * 0.5 * (c1[c]! - c0[c]!)) as Rgb;
  return { pixels, mean };
}

/** Places up to `n` shapes of random kinds so that none overlap (their bounding circles keep a 2-pixel gap). */
function placeShapes(rng: Rng, o: SynthOptions, n: number): Array<{ shape: Shape; cls: number }> {
  const [h, w] = o.size;
  const side = Math.min(h, w);
  const placed: Array<{ shape: Shape; cls: number }> = [];
  for (let tries = 0; placed.length < n && tries < 60 * n; tries++) {
    const r = side * rng.range(o.radius[0], o.radius[1]);
    const cx = rng.range(r + 1, w - r - 1);
    const cy = rng.range(r + 1, h - r - 1);
    if (placed.some(({ shape: s }) => Math.hypot(s.cx - cx, s.cy - cy) < s.r + r + 2)) continue;
    const cls = 1 + rng.int(o.classes - 1);
    placed.push({ shape: randomShape(SHAPE_KINDS[cls - 1]!, cx, cy, r, rng), cls });
  }
  return placed;
}

/** Renders image `index` of a synthetic dataset: the same index and seed always give the same pixels. */
export function renderSynthExample(o: SynthOptions, index: number): { image: RgbImage; label: LabelMap } {
  const rng = new Rng(o.seed, index);
  const [h, w] = o.size;
  const { pixels, mean } = background(rng, h, w);
  const label = new Uint8Array(h * w);
  const n = o.objects[0] + rng.int(o.objects[1] - o.objects[0] + 1);
  for (const { shape, cls } of placeShapes(rng, o, n)) {
    // Colour is drawn the same way for every class; it only has to stand out from the background.
    let color = randomColor(rng);
    while (distance(color, mean) < 80) color = randomColor(rng);
    const shade = rng.range(-0.3, 0.3);
    const grain = rng.range(1, 4);
    rasterise(shape, w, h, (i, coverage) => {
      const lift = 1 + shade * ((Math.floor(i / w) - shape.cy) / shape.r);
      for (let c = 0; c < 3; c++) {
        const v = color[c]! * lift + grain * rng.normal();
        pixels[i * 3 + c] = (1 - coverage) * pixels[i * 3 + c]! + coverage * v;
      }
      // A pixel belongs to the shape when most of it is covered (5 of 9 sample points).
      if (coverage > 0.5) label[i] = cls;
    });
  }
  const data = new Uint8Array(h * w * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.max(0, Math.round(pixels[i]!)));
  return { image: { width: w, height: h, data }, label: { width: w, height: h, data: label } };
}

/** A synthetic dataset directory, marked by its synth.json. */
export const SYNTH_DATASET: OutputKind = {
  what: 'an fcn synth dataset',
  marker: SYNTH_MANIFEST,
  test: (text) => (JSON.parse(text) as { generator?: unknown }).generator === 'fcn synth',
};

/** Examples whose two files may be being written at once. */
const WRITES_IN_FLIGHT = 16;

/**
 * Writes a dataset to `dir` (replaced atomically): JPEGImages/ID.png, SegmentationClass/ID.png
 * (VOC palette), ImageSets/Segmentation/{train,val,trainval}.txt and synth.json. An existing
 * `dir` must be an earlier fcn synth dataset, unless `force`.
 */
export async function writeSynthDataset(
  dir: string,
  o: SynthOptions,
  onImage?: (done: number) => void,
  { force = false }: { force?: boolean } = {},
): Promise<SynthManifest> {
  checkSynthOptions(o);
  const ids = synthIds(o.count);
  const nVal = valCount(o.count, o.valFraction);
  const manifest: SynthManifest = {
    generator: 'fcn synth',
    version: 1,
    seed: o.seed,
    count: o.count,
    size: [o.size[0], o.size[1]],
    classes: o.classes,
    names: synthClassNames(o.classes),
    valFraction: o.valFraction,
    train: o.count - nVal,
    val: nVal,
  };
  await writeDirAtomic(
    dir,
    async (tmp) => {
      const sets = join(tmp, 'ImageSets', 'Segmentation');
      for (const sub of [join(tmp, 'JPEGImages'), join(tmp, 'SegmentationClass'), sets])
        await mkdir(sub, { recursive: true });
      // Rendering is synchronous; up to WRITES_IN_FLIGHT examples are written meanwhile. Every
      // write settles into `inFlight`'s bookkeeping, so a failed one (a full disk) is thrown once,
      // after the others have settled, and none is left rejecting unhandled.
      let done = 0;
      let failure: unknown;
      const inFlight = new Set<Promise<void>>();
      for (let i = 0; i < o.count && failure === undefined; i++) {
        const { image, label } = renderSynthExample(o, i);
        const written: Promise<void> = Promise.all([
          writeFile(join(tmp, 'JPEGImages', `${ids[i]}.png`), encodeImagePng(image)),
          writeFile(join(tmp, 'SegmentationClass', `${ids[i]}.png`), encodeLabelPng(label)),
        ]).then(
          () => {
            inFlight.delete(written);
            onImage?.(++done);
          },
          (e: unknown) => {
            inFlight.delete(written);
            failure ??= e;
          },
        );
        inFlight.add(written);
        if (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      if (failure !== undefined) throw failure;
      const list = (xs: string[]) => xs.map((id) => `${id}\n`).join('');
      await writeFile(join(sets, 'train.txt'), list(ids.slice(0, o.count - nVal)));
      await writeFile(join(sets, 'val.txt'), list(ids.slice(o.count - nVal)));
      await writeFile(join(sets, 'trainval.txt'), list(ids));
      await writeFile(join(tmp, SYNTH_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    },
    { kind: SYNTH_DATASET, force },
  );
  return manifest;
}

/** Reads the synth.json of a dataset directory, if it has one (class names for reports). */
export async function readSynthManifest(dir: string): Promise<SynthManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, SYNTH_MANIFEST), 'utf8')) as SynthManifest;
  } catch {
    return undefined;
  }
}
