/**
 * Images in a report: inline PNG data URIs, so that a report is one self-contained file, and
 * the CSS colour of each class (the overlay itself is src/data/overlay.ts).
 */
import { encodeImagePng, vocColor, type RgbImage } from '../../data/index.js';

/** An RGB image as a `data:image/png;base64,…` URI. */
export function pngDataUri(image: RgbImage): string {
  return `data:image/png;base64,${encodeImagePng(image).toString('base64')}`;
}

/** The CSS colour of class `c` in the VOC colour map. */
export function classColor(c: number): string {
  const [r, g, b] = vocColor(c);
  return `rgb(${r}, ${g}, ${b})`;
}
