/**
 * Writes a weight's values into weights.bin in tfjs's layout, streaming: a Caffe-layout blob
 * (A, B, C, D) becomes tfjs [C, D, B, A] (conv (out, in/g, kh, kw) → [kh, kw, in/g, out];
 * deconv (in, out/g, kh, kw) → [kh, kw, out/g, in]; inner product (out, in) → [in, out]; a
 * vector stays as it is). The blob is read a block of rows at a time (at most CHUNK values):
 * a block holding every row is transposed in memory and written in one go; a block of some
 * rows (VGG's fc6 has 4096 rows of 25,088 values) scatters each column's slice to its place.
 */
import { writeSync } from 'node:fs';
import type { SourceBlob } from './source.js';

/** Values held at once per block. */
export const CHUNK = 1 << 23;

/** Writes `data` at byte `position` of `fd`. */
function writeAt(fd: number, data: Float32Array, position: number): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Writes `blob`, viewed as (A, B, C, D), as tfjs [C, D, B, A] at byte `base` of `fd`. */
export function writeTransposed(
  fd: number,
  base: number,
  blob: SourceBlob,
  [A, B, C, D]: [number, number, number, number],
): void {
  const R = B * C * D;
  const rows = Math.max(1, Math.min(A, Math.floor(CHUNK / R)));
  // Column r = (b, c, d) of the source lands at row (c·D + d)·B + b of the destination.
  const dstRow = (r: number): number => {
    const d = r % D;
    const c = ((r - d) / D) % C;
    const b = (r - d - c * D) / (C * D);
    return (c * D + d) * B + b;
  };
  const column = new Float32Array(rows);
  for (let a0 = 0; a0 < A; a0 += rows) {
    const n = Math.min(rows, A - a0);
    const block = blob.read(a0 * R, n * R);
    if (n === A) {
      const out = new Float32Array(A * R);
      for (let r = 0; r < R; r++) {
        const at = dstRow(r) * A;
        for (let a = 0; a < A; a++) out[at + a] = block[a * R + r]!;
      }
      writeAt(fd, out, base);
      return;
    }
    const slice = column.subarray(0, n);
    for (let r = 0; r < R; r++) {
      for (let a = 0; a < n; a++) slice[a] = block[a * R + r]!;
      writeAt(fd, slice, base + 4 * (dstRow(r) * A + a0));
    }
  }
}

/** Writes a BatchNorm statistic: Caffe keeps sums, to be divided by its scale factor (0 means 0). */
export function writeStatistic(fd: number, base: number, blob: SourceBlob, factor: SourceBlob): void {
  const s = factor.read(0, 1)[0]!;
  const values = blob.read(0, blob.count);
  for (let i = 0; i < values.length; i++) values[i] = s === 0 ? 0 : values[i]! / s;
  writeAt(fd, values, base);
}

/** Writes values computed in full (an initialiser's). */
export function writeValues(fd: number, base: number, values: Float32Array): void {
  writeAt(fd, values, base);
}
