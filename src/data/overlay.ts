/**
 * A label map made visible over its image: the one overlay of fcn, written by
 * `fcn predict --overlay` and drawn in the training and demo reports.
 */
import { vocColor, VOID_LABEL } from './colormap.js';
import type { RgbImage } from './image.js';
import type { LabelMap } from './labels.js';

/** How strongly a class colour covers the image: half and half, so both stay readable. */
export const OVERLAY_ALPHA = 0.5;

/**
 * The image with each labelled pixel's VOC class colour blended in (`alpha` of the colour).
 * Background (0) is left as it is; void (255, only in ground truth) is blended with white,
 * so the unscored borders show. Throws when the sizes differ.
 */
export function overlayLabels(image: RgbImage, labels: LabelMap, alpha = OVERLAY_ALPHA): RgbImage {
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
