/**
 * Label maps: one class index per pixel, 255 = void. They are read from the three forms
 * found in practice (a VOC palette PNG whose indices are the classes, a grayscale PNG whose
 * values are the classes, or an RGB PNG painted in the VOC colour map) and written as VOC
 * palette PNGs with exact indices.
 */
import { UserError } from '../diagnostics/index.js';
import { writeFileAtomic } from '../util/index.js';
import { readFileNamed } from './files.js';
import { VOC_PALETTE, VOID_LABEL, vocIndexOf } from './colormap.js';
import { decodePng, encodePng, isPng, PngError, type PngImage } from './png.js';

/** A label map: `data[y * width + x]` is the class of pixel (x, y), 255 void. */
export interface LabelMap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** How a label file stored its classes. */
export type LabelFormat = 'palette' | 'grayscale' | 'colormap';

/** A label read from a file, with the form it was stored in. */
export interface LabelFile extends LabelMap {
  file: string;
  format: LabelFormat;
}

/** Reads a label PNG in any of the three forms; errors name the file (and the pixel, for unknown colours). */
export async function readLabel(file: string): Promise<LabelFile> {
  return decodeLabel(await readFileNamed(file, 'label'), file);
}

/** Decodes label PNG bytes; `file` is only used in error messages. */
export function decodeLabel(bytes: Uint8Array, file: string): LabelFile {
  if (!isPng(bytes)) {
    throw new UserError(
      `${file}: not a PNG file; labels must be PNG (palette indices, grayscale indices or RGB in the VOC colour map)`,
    );
  }
  let png: PngImage;
  try {
    png = decodePng(bytes);
  } catch (e) {
    if (e instanceof PngError) throw new UserError(`${file}: corrupt PNG: ${e.message}`);
    throw e;
  }
  const { width, height, channels } = png;
  const n = width * height;
  const data = new Uint8Array(n);
  const src = png.data;
  if (png.colorType === 3 || png.colorType === 0 || png.colorType === 4) {
    // Palette indices and grey levels are the classes themselves; alpha (type 4) is ignored.
    for (let i = 0; i < n; i++) {
      const v = src[i * channels]!;
      if (v > 255)
        throw new UserError(
          `${file}: pixel (${i % width}, ${Math.floor(i / width)}) has value ${v}; 16-bit label values must be below 256`,
        );
      data[i] = v;
    }
    return { file, format: png.colorType === 3 ? 'palette' : 'grayscale', width, height, data };
  }
  // RGB(A): map each colour back through the VOC colour map. 16-bit files must hold 8-bit colours.
  const scale = png.bitDepth === 16 ? 257 : 1;
  let lastKey = -1;
  let lastIndex = 0;
  for (let i = 0; i < n; i++) {
    const r = src[i * channels]!;
    const g = src[i * channels + 1]!;
    const b = src[i * channels + 2]!;
    const key = (r * 65536 + g) * 65536 + b;
    if (key !== lastKey) {
      // Labels are runs of one colour: remembering the last lookup skips most of them.
      const index = r % scale || g % scale || b % scale ? -1 : vocIndexOf(r / scale, g / scale, b / scale);
      if (index < 0) {
        throw new UserError(
          `${file}: pixel (${i % width}, ${Math.floor(i / width)}) has colour (${r}, ${g}, ${b}), which is not in the VOC colour map`,
        );
      }
      lastKey = key;
      lastIndex = index;
    }
    data[i] = lastIndex;
  }
  return { file, format: 'colormap', width, height, data };
}

/**
 * Checks that every label is a class in [0, classes) or void (255); the error names the file,
 * the first offending pixel and its value. Predictions pass `allowVoid: false`.
 */
export function checkLabelRange(label: LabelMap, classes: number, file: string, allowVoid = true): void {
  const { data, width } = label;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v >= classes && !(allowVoid && v === VOID_LABEL)) {
      const where = `${file}: pixel (${i % width}, ${Math.floor(i / width)})`;
      if (v === VOID_LABEL) throw new UserError(`${where} is void (255), which a prediction cannot be`);
      throw new UserError(`${where} has label ${v}, outside [0, ${classes})${allowVoid ? ' and not 255 (void)' : ''}`);
    }
  }
}

/** Encodes a label map as an 8-bit palette PNG with the VOC palette; the indices are kept exactly. */
export function encodeLabelPng(label: LabelMap): Buffer {
  return encodePng({ width: label.width, height: label.height, colorType: 3, data: label.data, palette: VOC_PALETTE });
}

/** Writes a label map as a VOC palette PNG (atomically). */
export async function writeLabel(file: string, label: LabelMap): Promise<void> {
  await writeFileAtomic(file, encodeLabelPng(label));
}
