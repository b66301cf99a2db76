import test from 'ava';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../src/diagnostics/index.js';
import {
  encodeImagePng,
  encodeLabelPng,
  flipHorizontal,
  toNetInput,
  VocDataset,
  type Sample,
} from '../src/data/index.js';
import { VOC_DEMO } from './helpers/voc-demo.js';

const demo = VOC_DEMO;
const VGG_MEAN = [104.00699, 116.66877, 122.67892];

// Image `a` is 3×4 (HxW) with pixel i = (i, 100 + i, 200 + i) in RGB; labels are (i mod 3), with one void pixel.
const A = { width: 4, height: 3, data: Uint8Array.from({ length: 36 }, (_, k) => (k % 3) * 100 + Math.floor(k / 3)) };
const A_LABEL = { width: 4, height: 3, data: Uint8Array.from({ length: 12 }, (_, i) => (i === 5 ? 255 : i % 3)) };

/** Writes a small VOC-layout dataset: a and b (PNG), demo (the VOC JPEG and its label); splits train = a b, val = demo. */
async function makeDataset(extra: (root: string) => Promise<void> = async () => {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'fcn-voc-'));
  for (const d of ['JPEGImages', 'SegmentationClass', 'ImageSets/Segmentation'])
    await mkdir(join(root, d), { recursive: true });
  const b = { width: 4, height: 3, data: A.data.map((v) => 255 - v) };
  await writeFile(join(root, 'JPEGImages', 'a.png'), encodeImagePng(A));
  await writeFile(join(root, 'JPEGImages', 'b.png'), encodeImagePng(b));
  await writeFile(join(root, 'SegmentationClass', 'a.png'), encodeLabelPng(A_LABEL));
  await writeFile(
    join(root, 'SegmentationClass', 'b.png'),
    encodeLabelPng({ ...A_LABEL, data: A_LABEL.data.map((v) => (v === 255 ? v : 2 - v)) }),
  );
  await copyFile(join(demo, 'image.jpg'), join(root, 'JPEGImages', 'demo.jpg'));
  await copyFile(join(demo, 'label.png'), join(root, 'SegmentationClass', 'demo.png'));
  await writeFile(join(root, 'ImageSets/Segmentation/train.txt'), 'a\nb\n');
  await writeFile(join(root, 'ImageSets/Segmentation/val.txt'), 'demo\n');
  await extra(root);
  return root;
}

test('preprocessing: BGR order and the net mean, exactly', async (t) => {
  const ds = await VocDataset.open(await makeDataset(), { split: 'train', classes: 3 });
  t.deepEqual(ds.ids, ['a', 'b']);
  const s = await ds.sample('a', { mean: VGG_MEAN, order: 'bgr' });
  t.like(s, { id: 'a', height: 3, width: 4, channels: 3 });
  // Pixel 5 (x 1, y 1) is RGB (5, 105, 205): BGR (205, 105, 5) minus the BGR mean.
  t.deepEqual(
    [...s.image.subarray(15, 18)],
    [205 - VGG_MEAN[0]!, 105 - VGG_MEAN[1]!, 5 - VGG_MEAN[2]!].map(Math.fround),
  );
  t.deepEqual(s.label, A_LABEL.data);
  const rgb = await ds.sample('a', { mean: [1, 2, 3], order: 'rgb' });
  t.deepEqual([...rgb.image.subarray(15, 18)], [4, 103, 202]);
  t.deepEqual([...(await ds.sample('a', { order: 'rgb' })).image.subarray(0, 3)], [0, 100, 200]);
});

test('a VOC JPEG and its palette label load as a pair; void stays 255', async (t) => {
  const ds = await VocDataset.open(await makeDataset(), { split: 'val', classes: 21 });
  const s = await ds.sample('demo', { mean: VGG_MEAN, order: 'bgr' });
  t.like(s, { height: 500, width: 334 });
  t.is(s.image.length, 500 * 334 * 3);
  t.is(s.label.filter((v) => v === 255).length, 17285);
});

test('flips mirror image and label together', async (t) => {
  const ds = await VocDataset.open(await makeDataset(), { split: 'train', classes: 3 });
  const prep = { mean: VGG_MEAN, order: 'bgr' as const };
  const plain = await ds.sample('a', prep);
  const mirrored = { image: flipHorizontal(plain.image, 3, 4, 3), label: flipHorizontal(plain.label, 3, 4, 1) };
  t.deepEqual([...mirrored.label.subarray(0, 4)], [0, 2, 1, 0]);
  const seen = new Set<string>();
  for (let iteration = 0; iteration < 16; iteration++) {
    const batch = await ds.batch(iteration, { batch: 1, preprocess: prep, flip: true, shuffle: false, seed: 5 });
    if (batch.ids[0] !== 'a') continue;
    const flipped = batch.images[0] === mirrored.image[0];
    t.deepEqual(batch.images, flipped ? mirrored.image : plain.image);
    t.deepEqual(batch.labels, flipped ? mirrored.label : plain.label);
    seen.add(String(flipped));
  }
  t.deepEqual([...seen].sort(), ['false', 'true']);
});

/** The window of a whole sample at (y0, x0), size h×w, or undefined if it sticks out. */
function windowOf(
  s: Sample,
  y0: number,
  x0: number,
  h: number,
  w: number,
): { image: number[]; label: number[] } | undefined {
  if (y0 < 0 || x0 < 0 || y0 + h > s.height || x0 + w > s.width) return undefined;
  const image: number[] = [];
  const label: number[] = [];
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      image.push(...s.image.subarray((y * s.width + x) * 3, (y * s.width + x) * 3 + 3));
      label.push(s.label[y * s.width + x]!);
    }
  }
  return { image, label };
}

test('random crops cut matching windows; crops larger than the image pad with 0 and void', async (t) => {
  const ds = await VocDataset.open(await makeDataset(), { split: 'train', classes: 3 });
  const prep = { mean: VGG_MEAN, order: 'bgr' as const };
  const whole = { a: await ds.sample('a', prep), b: await ds.sample('b', prep) };
  const offsets = new Set<string>();
  for (let iteration = 0; iteration < 6; iteration++) {
    const batch = await ds.batch(iteration, { batch: 2, preprocess: prep, crop: [2, 2], seed: 9 });
    t.like(batch, { size: 2, height: 2, width: 2, channels: 3 });
    batch.ids.forEach((id, k) => {
      const image = [...batch.images.subarray(k * 12, (k + 1) * 12)];
      const label = [...batch.labels.subarray(k * 4, (k + 1) * 4)];
      const src = whole[id as 'a' | 'b'];
      const at = [0, 1]
        .flatMap((y0) => [0, 1, 2].map((x0) => [y0, x0] as const))
        .filter(([y0, x0]) => JSON.stringify(windowOf(src, y0, x0, 2, 2)) === JSON.stringify({ image, label }));
      t.is(at.length, 1, `crop of ${id} matches one window`);
      offsets.add(String(at[0]));
    });
  }
  t.true(offsets.size > 1);
  const big = await ds.sample('a', prep, { crop: [5, 6] });
  t.is(big.image.length, 5 * 6 * 3);
  t.deepEqual([...big.label].filter((v) => v !== 255).sort(), [...A_LABEL.data].filter((v) => v !== 255).sort());
  t.is(big.image.filter((v) => v === 0).length, (30 - 12) * 3);
});

test('batches are a pure function of the iteration; an epoch visits every image once', async (t) => {
  const ds = await VocDataset.open(await makeDataset(), { split: 'train', classes: 3 });
  const options = {
    batch: 1,
    preprocess: { order: 'rgb' as const },
    flip: true,
    crop: [2, 3] as [number, number],
    seed: 3,
  };
  t.deepEqual(await ds.batch(7, options), await ds.batch(7, options));
  const epoch = [];
  for (let i = 0; i < ds.iterationsPerEpoch(1); i++) epoch.push(...(await ds.batch(i, options)).ids);
  t.deepEqual(epoch.sort(), ['a', 'b']);
  t.deepEqual(
    toNetInput({ width: 1, height: 1, data: Uint8Array.from([1, 2, 3]) }, { order: 'bgr' }),
    Float32Array.from([3, 2, 1]),
  );
});

test('whole images of different sizes cannot share a batch', async (t) => {
  const root = await makeDataset((r) => writeFile(join(r, 'ImageSets/Segmentation/mixed.txt'), 'a\ndemo\n'));
  const ds = await VocDataset.open(root, { split: 'mixed', classes: 21 });
  const err = await t.throwsAsync(ds.batch(0, { batch: 2, preprocess: { order: 'rgb' }, shuffle: false }), {
    instanceOf: UserError,
  });
  t.is(err.message, 'a batch of 2 needs images of one size or a crop size: a is 3x4 (HxW) but demo is 500x334');
});

test('a corrupt image is an error naming the file', async (t) => {
  const root = await makeDataset(async (r) => {
    const jpeg = await import('node:fs/promises').then((fs) => fs.readFile(join(demo, 'image.jpg')));
    await writeFile(join(r, 'JPEGImages', 'demo.jpg'), jpeg.subarray(0, 4000));
  });
  const ds = await VocDataset.open(root, { split: 'val', classes: 21 });
  const err = await t.throwsAsync(ds.loadRaw('demo'), { instanceOf: UserError });
  t.true(err.message.startsWith(`${join(root, 'JPEGImages', 'demo.jpg')}: cannot read image (`), err.message);
});

test('a missing file, an unknown split, a label out of range, a size mismatch: errors naming the file', async (t) => {
  const root = await makeDataset(async (r) => {
    await writeFile(join(r, 'ImageSets/Segmentation/ghost.txt'), 'a\nghost\n');
    await writeFile(join(r, 'ImageSets/Segmentation/nolabel.txt'), 'nolabel\n');
    await writeFile(join(r, 'JPEGImages', 'nolabel.png'), encodeImagePng(A));
  });
  const message = async (p: Promise<unknown>) => (await t.throwsAsync(p, { instanceOf: UserError })).message;
  t.is(
    await message(VocDataset.open(root, { split: 'ghost' })),
    `${join(root, 'JPEGImages', 'ghost.jpg')}: no such image file (listed in ${join(root, 'ImageSets/Segmentation/ghost.txt')})`,
  );
  t.is(
    await message(VocDataset.open(root, { split: 'nolabel' })),
    `${join(root, 'SegmentationClass', 'nolabel.png')}: no such label file (listed in ${join(root, 'ImageSets/Segmentation/nolabel.txt')})`,
  );
  t.is(
    await message(VocDataset.open(root, { split: 'test' })),
    `${join(root, 'ImageSets/Segmentation/test.txt')}: no such split list (splits here: ghost, nolabel, train, val)`,
  );
  const ds = await VocDataset.open(root, { split: 'train', classes: 2 });
  t.is(
    await message(ds.loadRaw('a')),
    `${join(root, 'SegmentationClass', 'a.png')}: pixel (2, 0) has label 2, outside [0, 2) and not 255 (void)`,
  );
  await writeFile(
    join(root, 'SegmentationClass', 'b.png'),
    encodeLabelPng({ width: 3, height: 4, data: new Uint8Array(12) }),
  );
  const ds3 = await VocDataset.open(root, { split: 'train', classes: 3 });
  t.is(
    await message(ds3.loadRaw('b')),
    `${join(root, 'SegmentationClass', 'b.png')}: label is 3x4 (WxH) but its image ${join(root, 'JPEGImages', 'b.png')} is 4x3`,
  );
});
