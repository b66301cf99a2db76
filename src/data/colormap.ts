/**
 * The PASCAL VOC colour map: the palette of `SegmentationClass` PNGs, and the colours the
 * reference tools paint predictions with. Entry i spreads the bits of i over the three
 * channels, most significant bit first (bit 0 → red bit 7, bit 1 → green bit 7, bit 2 →
 * blue bit 7, bit 3 → red bit 6, …), so that neighbouring classes get distant colours.
 */

/** The 21 PASCAL VOC class names, index = class. */
export const VOC_CLASSES: readonly string[] = [
  'background',
  'aeroplane',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'bus',
  'car',
  'cat',
  'chair',
  'cow',
  'diningtable',
  'dog',
  'horse',
  'motorbike',
  'person',
  'pottedplant',
  'sheep',
  'sofa',
  'train',
  'tvmonitor',
];

/** The label that marks pixels to ignore (VOC's object borders). */
export const VOID_LABEL = 255;

/** The colour of class i in the VOC colour map, as [r, g, b]. */
export function vocColor(i: number): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let c = i;
  for (let j = 0; j < 8; j++) {
    r |= (c & 1) << (7 - j);
    g |= ((c >> 1) & 1) << (7 - j);
    b |= ((c >> 2) & 1) << (7 - j);
    c >>= 3;
  }
  return [r, g, b];
}

/** The whole 256-entry map as RGB triples (768 bytes), the PLTE of a VOC label PNG. */
export const VOC_PALETTE: Uint8Array = (() => {
  const p = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) p.set(vocColor(i), 3 * i);
  return p;
})();

/**
 * The class whose VOC colour is (r, g, b), or -1 if no entry has that colour. The map is a
 * permutation of bits, so the inverse is read straight off the bits and then verified.
 */
export function vocIndexOf(r: number, g: number, b: number): number {
  let i = 0;
  // Only the top three bits of red and green and the top two of blue carry index bits.
  for (let j = 0; j < 3; j++) {
    i |= ((r >> (7 - j)) & 1) << (3 * j);
    i |= ((g >> (7 - j)) & 1) << (3 * j + 1);
    if (j < 2) i |= ((b >> (7 - j)) & 1) << (3 * j + 2);
  }
  return VOC_PALETTE[3 * i] === r && VOC_PALETTE[3 * i + 1] === g && VOC_PALETTE[3 * i + 2] === b ? i : -1;
}
