/**
 * Input images: JPEG, PNG (or anything sharp reads) decoded to 8-bit RGB, HWC. sharp is
 * loaded on first use so that commands which never touch images do not pay for it.
 */
import { UserError } from '../diagnostics/index.js';
import { writeFileAtomic } from '../util/index.js';
import { readFileNamed } from './files.js';
import { decodePng, encodePng, isPng, PngError } from './png.js';

/** An 8-bit RGB image: `data[(y * width + x) * 3 + c]`, c = 0 red, 1 green, 2 blue. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Reads an image file as 8-bit RGB; a missing, corrupt or truncated file is a UserError naming it. */
export async function readImage(file: string): Promise<RgbImage> {
  return decodeImage(await readFileNamed(file, 'image'), file);
}

/** Decodes image bytes (any format sharp reads) as 8-bit RGB; `file` names it in errors. */
export async function decodeImage(bytes: Uint8Array, file: string): Promise<RgbImage> {
  const { default: sharp } = await import('sharp');
  try {
    // No autoOrient: labels are drawn on the stored pixel grid, so the image must stay on it too.
    // failOn 'truncated' stops on a cut-off file instead of returning grey rows.
    const { data, info } = await sharp(bytes, { failOn: 'truncated' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (e) {
    throw new UserError(`${file}: cannot read image (${whyNot(bytes, e as Error)})`);
  }
}

/**
 * Why sharp could not decode: for a PNG, what fcn's own codec finds wrong, because libvips
 * keeps one error buffer for all its threads and, with several images decoding at once,
 * often says only "Unknown error".
 */
function whyNot(bytes: Uint8Array, e: Error): string {
  if (isPng(bytes)) {
    try {
      decodePng(bytes);
    } catch (png) {
      if (png instanceof PngError) return `corrupt PNG: ${png.message}`;
    }
  }
  return e.message;
}

/** Encodes an RGB image as a lossless PNG (deterministic bytes, no sharp needed). */
export function encodeImagePng(image: RgbImage): Buffer {
  return encodePng({ width: image.width, height: image.height, colorType: 2, data: image.data });
}

/** Writes an RGB image as a PNG (atomically). */
export async function writeImagePng(file: string, image: RgbImage): Promise<void> {
  await writeFileAtomic(file, encodeImagePng(image));
}
