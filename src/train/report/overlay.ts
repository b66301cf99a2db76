/**
 * Label maps made visible: classes in the VOC colour map blended over the image, as inline
 * PNG data URIs so that a report is one self-contained file.
 */
import { encodeImagePng, vocColor, VOID_LABEL, type LabelMap, type RgbImage } from '../../data/index.js';

/** The image with each labelled pixel's class colour blended in (`alpha` of the colour); background (0) stays as it is, void shows white. */
export function overlayLabels(image: RgbImage, labels: LabelMap, alpha = 0.6): RgbImage {
  if (labels.width !== image.width || labels.height !== image.height)
    throw new Error(`label map ${labels.width}x${labels.height} does not match image ${image.width}x${image.height}`);
  const out = new Uint8Array(image.data);
  for (let p = 0; p < labels.data.length; p++) {
    const c = labels.data[p]!;
    if (c === 0) continue;
    const rgb = c === VOID_LABEL ? [255, 255, 255] : vocColor(c);
    for (let k = 0; k < 3; k++) out[3 * p + k] = Math.round((1 - alpha) * image.data[3 * p + k]! + alpha * rgb[k]!);
  }
  return { width: image.width, height: image.height, data: out };
}

/** An RGB image as a `data:image/png;base64,…` URI. */
export function pngDataUri(image: RgbImage): string {
  return `data:image/png;base64,${encodeImagePng(image).toString('base64')}`;
}

/** The CSS colour of class `c` in the VOC colour map. */
export function classColor(c: number): string {
  const [r, g, b] = vocColor(c);
  return `rgb(${r}, ${g}, ${b})`;
}
