/**
 * A minimal PNG codec on node:zlib. sharp expands palette PNGs to RGB on read and quantises
 * on write, so neither the label indices of a VOC `SegmentationClass` file nor an exact
 * palette PNG can go through it. This reads every standard PNG (all colour types, bit
 * depths and Adam7 interlacing) to raw samples, and writes 8-bit grey, RGB and palette PNGs.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

/** PNG colour types: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
export type PngColorType = 0 | 2 | 3 | 4 | 6;

/** A decoded PNG: one sample per element, row-major, channels interleaved. */
export interface PngImage {
  width: number;
  height: number;
  colorType: PngColorType;
  bitDepth: number;
  /** Samples per pixel: 1 grey/palette, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** Samples; for palette images these are the palette indices. 16-bit samples are full 0–65535. */
  data: Uint8Array | Uint16Array;
  /** RGB triples of the PLTE chunk, if any. */
  palette?: Uint8Array;
  /** Stored with Adam7 interlacing. */
  interlaced: boolean;
}

/** A PNG that cannot be decoded; the caller adds the file name. */
export class PngError extends Error {}

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
// Adam7 passes: [x0, y0, dx, dy].
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** True when the bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.equals(bytes.subarray(0, 8));
}

/** Decodes a PNG to raw samples; throws PngError on anything malformed. */
export function decodePng(bytes: Uint8Array): PngImage {
  if (!isPng(bytes)) throw new PngError('not a PNG file');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let header:
    { width: number; height: number; bitDepth: number; colorType: PngColorType; interlace: number } | undefined;
  let palette: Uint8Array | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (pos + 12 <= buf.length && !ended) {
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > buf.length) throw new PngError(`truncated ${type} chunk`);
    const body = buf.subarray(pos + 8, pos + 8 + length);
    if (crc32(body, crc32(buf.subarray(pos + 4, pos + 8))) !== buf.readUInt32BE(pos + 8 + length)) {
      throw new PngError(`bad CRC in ${type} chunk`);
    }
    if (type === 'IHDR') {
      const colorType = body[9]!;
      const bitDepth = body[8]!;
      if (!(colorType in CHANNELS) || !DEPTHS[colorType]!.includes(bitDepth)) {
        throw new PngError(`unsupported colour type ${colorType} with bit depth ${bitDepth}`);
      }
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        bitDepth,
        colorType: colorType as PngColorType,
        interlace: body[12]!,
      };
    } else if (type === 'PLTE') palette = new Uint8Array(body);
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') ended = true;
    pos += 12 + length;
  }
  if (!header) throw new PngError('missing IHDR chunk');
  if (!ended) throw new PngError('truncated file (no IEND chunk)');
  if (header.colorType === 3 && !palette) throw new PngError('palette image without a PLTE chunk');
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (e) {
    throw new PngError(`corrupt image data (${(e as Error).message})`);
  }
  const { width, height, bitDepth, colorType } = header;
  const channels = CHANNELS[colorType]!;
  const data = bitDepth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  let offset = 0;
  const passes = header.interlace ? ADAM7 : [[0, 0, 1, 1]];
  for (const [x0, y0, dx, dy] of passes as [number, number, number, number][]) {
    const pw = Math.ceil((width - x0) / dx);
    const ph = Math.ceil((height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const rows = unfilter(raw, offset, pw, ph, channels * bitDepth);
    offset += ph * (1 + Math.ceil((pw * channels * bitDepth) / 8));
    scatter(rows, pw, ph, channels, bitDepth, (px, py) => ((y0 + py * dy) * width + x0 + px * dx) * channels, data);
  }
  if (offset > raw.length) throw new PngError('image data is shorter than the image');
  return { width, height, colorType, bitDepth, channels, data, palette, interlaced: header.interlace === 1 };
}

/** Undoes the per-row filters of one (sub)image; returns the filtered-out rows, back to back. */
function unfilter(raw: Buffer, offset: number, width: number, height: number, bitsPerPixel: number): Uint8Array {
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  if (offset + height * (stride + 1) > raw.length) throw new PngError('image data is shorter than the image');
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[offset + y * (stride + 1)]!;
    const src = offset + y * (stride + 1) + 1;
    const row = y * stride;
    const up = row - stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= bpp ? out[row + i - bpp]! : 0;
      const b = y > 0 ? out[up + i]! : 0;
      const c = y > 0 && i >= bpp ? out[up + i - bpp]! : 0;
      let v: number;
      switch (filter) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4:
          v = x + paeth(a, b, c);
          break;
        default:
          throw new PngError(`unknown row filter ${filter}`);
      }
      out[row + i] = v & 255;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Unpacks rows of 1–16-bit samples into the output at the positions `at` gives. */
function scatter(
  rows: Uint8Array,
  width: number,
  height: number,
  channels: number,
  bitDepth: number,
  at: (x: number, y: number) => number,
  out: Uint8Array | Uint16Array,
): void {
  const stride = Math.ceil((width * channels * bitDepth) / 8);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      const dst = at(x, y);
      for (let ch = 0; ch < channels; ch++) {
        const s = x * channels + ch;
        if (bitDepth === 8) out[dst + ch] = rows[row + s]!;
        else if (bitDepth === 16) out[dst + ch] = (rows[row + 2 * s]! << 8) | rows[row + 2 * s + 1]!;
        else {
          const bit = s * bitDepth;
          const shift = 8 - bitDepth - (bit & 7);
          out[dst + ch] = (rows[row + (bit >> 3)]! >> shift) & ((1 << bitDepth) - 1);
        }
      }
    }
  }
}

/** What {@link encodePng} writes: 8-bit samples of grey (0), RGB (2) or palette indices (3). */
export interface PngOutput {
  width: number;
  height: number;
  colorType: 0 | 2 | 3;
  data: Uint8Array;
  /** RGB triples; required for palette images. */
  palette?: Uint8Array;
}

/** Encodes an 8-bit PNG; the bytes depend only on the input (fixed filters and zlib level). */
export function encodePng(image: PngOutput): Buffer {
  const { width, height, colorType, data } = image;
  const channels = CHANNELS[colorType]!;
  if (data.length !== width * height * channels)
    throw new Error(`PNG data has ${data.length} samples, expected ${width * height * channels}`);
  if (colorType === 3 && !image.palette) throw new Error('a palette PNG needs a palette');
  const stride = width * channels;
  // Filter 0 for indices (the PNG spec's advice for palettes); Paeth for photos and textures.
  const filter = colorType === 2 ? 4 : 0;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const dst = y * (stride + 1);
    raw[dst] = filter;
    for (let i = 0; i < stride; i++) {
      const x = data[y * stride + i]!;
      if (filter === 0) raw[dst + 1 + i] = x;
      else {
        const a = i >= channels ? data[y * stride + i - channels]! : 0;
        const b = y > 0 ? data[(y - 1) * stride + i]! : 0;
        const c = y > 0 && i >= channels ? data[(y - 1) * stride + i - channels]! : 0;
        raw[dst + 1 + i] = (x - paeth(a, b, c)) & 255;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const chunks = [chunk('IHDR', ihdr)];
  if (image.palette) chunks.push(chunk('PLTE', Buffer.from(image.palette)));
  chunks.push(chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([SIGNATURE, ...chunks]);
}

function chunk(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}
