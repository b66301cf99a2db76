/**
 * The `--image` of `fcn viz`: read with sharp (loaded lazily, so that other formats and
 * commands never load it), resized to the input size the net is analysed at, and embedded in
 * the page as a JPEG data URL, so the receptive-field view draws on it with no request.
 */
import { readFileNamed } from '../data/files.js';
import { UserError } from '../diagnostics/index.js';
import type { VizImage, VizPair } from './model.js';

/** Reads an image and encodes it at `size` [h, w] (default: its own size). */
export async function loadVizImage(file: string, size?: VizPair): Promise<VizImage> {
  const bytes = await readFileNamed(file, 'image');
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.width || !meta.height) throw new Error('no image size');
    const [height, width] = size ?? [meta.height, meta.width];
    // Stretched to the input size: the net sees exactly these pixels, so the fields land where they should.
    const jpeg = await sharp(bytes)
      .resize(width, height, { fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 85 })
      .toBuffer();
    return { dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`, width, height, file };
  } catch (e) {
    throw new UserError(`${file}: cannot read image (${(e as Error).message})`);
  }
}
