/**
 * Reads a slice of a caffemodel blob's values (in Caffe's flat order) from the file, whatever
 * way they are stored: packed float32 (read straight into the result), float64
 * (`double_data`, narrowed) or unpacked float32.
 */
import type { FileReader } from './file-reader.js';
import type { BlobRef } from './scan.js';

/** Values `start … start + count − 1` of `blob`. */
export function readBlobRange(r: FileReader, blob: BlobRef, start: number, count: number): Float32Array {
  const out = new Float32Array(count);
  let base = 0;
  let filled = 0;
  for (const s of blob.segments) {
    const from = Math.max(start, base);
    const to = Math.min(start + count, base + s.count);
    if (from < to) {
      const n = to - from;
      const i = from - base;
      const dst = out.subarray(filled, filled + n);
      if (s.kind === 'f32') r.readAt(dst, s.offset + 4 * i);
      else if (s.kind === 'f64') {
        const tmp = new Float64Array(n);
        r.readAt(tmp, s.offset + 8 * i);
        dst.set(tmp);
      } else {
        const raw = r.bytesAt(s.offset + 5 * i, 5 * n - 1);
        const view = new DataView(raw.buffer);
        for (let k = 0; k < n; k++) dst[k] = view.getFloat32(5 * k, true);
      }
      filled += n;
    }
    base += s.count;
    if (base >= start + count) break;
  }
  return out;
}
