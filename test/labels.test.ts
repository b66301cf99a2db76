import test from 'ava';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { UserError } from '../src/diagnostics/index.js';
import {
  VOC_PALETTE,
  checkLabelRange,
  decodeLabel,
  decodePng,
  encodeLabelPng,
  readLabel,
  vocColor,
  vocIndexOf,
  writeLabel,
} from '../src/data/index.js';
import { VOC_DEMO } from './helpers/voc-demo.js';

const demo = VOC_DEMO;
const tmp = () => mkdtemp(join(tmpdir(), 'fcn-labels-'));

/** The class of every pixel as sharp sees the file (RGB) mapped back through the VOC colour map: an independent decoding. */
async function classesViaSharp(file: string): Promise<Uint8Array> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(info.width * info.height);
  for (let i = 0; i < out.length; i++) out[i] = vocIndexOf(data[3 * i]!, data[3 * i + 1]!, data[3 * i + 2]!);
  return out;
}

test('the VOC colour map: the standard entries and a bijection', (t) => {
  t.deepEqual(vocColor(0), [0, 0, 0]);
  t.deepEqual(vocColor(1), [128, 0, 0]);
  t.deepEqual(vocColor(2), [0, 128, 0]);
  t.deepEqual(vocColor(15), [192, 128, 128]);
  t.deepEqual(vocColor(20), [0, 64, 128]);
  t.deepEqual(vocColor(255), [224, 224, 192]);
  t.is(VOC_PALETTE.length, 768);
  for (let i = 0; i < 256; i++) t.is(vocIndexOf(...vocColor(i)), i);
  t.is(vocIndexOf(1, 2, 3), -1);
});

test('a palette PNG is read by its indices (the VOC demo label)', async (t) => {
  const file = join(demo, 'label.png');
  const label = await readLabel(file);
  t.is(label.format, 'palette');
  t.is(label.width, 334);
  t.is(label.height, 500);
  t.deepEqual(label.data, await classesViaSharp(file));
  t.deepEqual(
    [...new Set(label.data)].sort((a, b) => a - b),
    [0, 2, 15, 255],
  );
});

test('an RGB PNG in the VOC colour map is mapped back to indices (the VOC demo output)', async (t) => {
  const file = join(demo, 'output.png');
  const label = await readLabel(file);
  t.is(label.format, 'colormap');
  t.deepEqual(label.data, await classesViaSharp(file));
  t.deepEqual(
    [...new Set(label.data)].sort((a, b) => a - b),
    [0, 2, 15],
  );
});

test('a grayscale PNG is read by its grey values', async (t) => {
  const values = Uint8Array.from([0, 1, 2, 3, 20, 255, 7, 0, 5, 5, 5, 1]);
  const file = join(await tmp(), 'grey.png');
  await sharp(values, { raw: { width: 4, height: 3, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(file);
  const label = await readLabel(file);
  t.is(label.format, 'grayscale');
  t.is(label.width, 4);
  t.deepEqual(label.data, values);
});

test('the palette writer round-trips exact indices, and other decoders see the VOC colours', async (t) => {
  const width = 7;
  const height = 5;
  const data = Uint8Array.from({ length: width * height }, (_, i) => (i === 3 ? 255 : (i * 11) % 21));
  const file = join(await tmp(), 'out.png');
  await writeLabel(file, { width, height, data });
  const back = await readLabel(file);
  t.is(back.format, 'palette');
  t.deepEqual([back.width, back.height], [width, height]);
  t.deepEqual(back.data, data);
  const meta = await sharp(file).metadata();
  t.true(meta.isPalette);
  t.like(decodePng(await readFile(file)), { colorType: 3, bitDepth: 8, palette: VOC_PALETTE });
  t.deepEqual(await classesViaSharp(file), data);
});

test('palette PNGs of low bit depth and interlaced PNGs decode like sharp decodes them', async (t) => {
  const rgb = Uint8Array.from({ length: 9 * 6 * 3 }, (_, i) => [0, 128, 64, 192][(i * 7) % 4]!);
  const raw = { raw: { width: 9, height: 6, channels: 3 as const } };
  const lowDepth = await sharp(rgb, raw).png({ palette: true, colours: 4, dither: 0 }).toBuffer();
  const interlaced = await sharp(rgb, raw).png({ progressive: true }).toBuffer();
  t.like(decodePng(lowDepth), { colorType: 3, bitDepth: 2, interlaced: false });
  t.like(decodePng(interlaced), { colorType: 2, bitDepth: 8, interlaced: true });
  for (const png of [lowDepth, interlaced]) {
    const img = decodePng(png);
    const viaSharp = await sharp(png).raw().toBuffer();
    const colours = new Uint8Array(img.width * img.height * 3);
    for (let i = 0; i < img.width * img.height; i++) {
      for (let c = 0; c < 3; c++)
        colours[3 * i + c] = img.palette ? img.palette[3 * img.data[i]! + c]! : img.data[3 * i + c]!;
    }
    t.deepEqual(colours, new Uint8Array(viaSharp));
  }
});

test('a colour outside the VOC colour map is an error naming the file and the pixel', async (t) => {
  const rgb = new Uint8Array(4 * 3 * 3);
  rgb.set([1, 2, 3], (1 * 4 + 2) * 3); // pixel (x 2, y 1)
  const file = join(await tmp(), 'odd.png');
  await sharp(rgb, { raw: { width: 4, height: 3, channels: 3 } })
    .png()
    .toFile(file);
  const err = await t.throwsAsync(readLabel(file), { instanceOf: UserError });
  t.is(err.message, `${file}: pixel (2, 1) has colour (1, 2, 3), which is not in the VOC colour map`);
});

test('a label outside [0, classes) that is not void is an error naming the file and the pixel', (t) => {
  const label = { width: 3, height: 2, data: Uint8Array.from([0, 255, 1, 2, 21, 0]) };
  t.notThrows(() => checkLabelRange(label, 22, 'a.png'));
  const err = t.throws(() => checkLabelRange(label, 21, 'a.png'), { instanceOf: UserError });
  t.is(err.message, 'a.png: pixel (1, 1) has label 21, outside [0, 21) and not 255 (void)');
  const pred = t.throws(() => checkLabelRange(label, 22, 'p.png', false), { instanceOf: UserError });
  t.is(pred.message, 'p.png: pixel (1, 0) is void (255), which a prediction cannot be');
});

test('missing, non-PNG and corrupt label files are errors naming the file', async (t) => {
  const dir = await tmp();
  const missing = join(dir, 'none.png');
  t.is((await t.throwsAsync(readLabel(missing), { instanceOf: UserError })).message, `${missing}: no such label file`);
  t.regex(
    (await t.throwsAsync(readLabel(join(demo, 'image.jpg')), { instanceOf: UserError })).message,
    /image\.jpg: not a PNG file; labels must be PNG/,
  );
  const good = encodeLabelPng({ width: 4, height: 4, data: new Uint8Array(16) });
  const truncated = join(dir, 'truncated.png');
  await writeFile(truncated, good.subarray(0, good.length - 20));
  t.regex(
    (await t.throwsAsync(readLabel(truncated), { instanceOf: UserError })).message,
    /truncated\.png: corrupt PNG: /,
  );
  const flipped = Buffer.from(good);
  flipped[good.length - 12 - 4 - 1] ^= 0xff; // the last IDAT byte (before its CRC and the 12-byte IEND)
  t.regex(
    t.throws(() => decodeLabel(flipped, 'flipped.png'), { instanceOf: UserError }).message,
    /^flipped\.png: corrupt PNG: bad CRC in IDAT chunk$/,
  );
});
