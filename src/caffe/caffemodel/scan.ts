/**
 * Indexes a binary caffemodel without loading it: one pass over NetParameter's fields,
 * descending into each layer (`layer` 100 or V1 `layers` 2) and each of its blobs, records
 * the layer's name and type and, for every blob, its shape and where its values lie in the
 * file. The values themselves are read later, a slice at a time (blob.ts), so a 537 MB VGG16
 * model is never held whole, let alone twice. The small fields (names, types, shapes) are
 * decoded by protobufjs with the schema of src/caffe/proto/schema.ts.
 */
import { UserError } from '../../diagnostics/index.js';
import { caffeType } from '../proto/schema.js';
import { v1TypeName } from '../proto/v1.js';
import { FileReader } from './file-reader.js';

/** A run of a blob's values in the file. */
export interface Segment {
  /** Byte offset of the first value. */
  offset: number;
  count: number;
  /** Packed float32, packed float64 (`double_data`), or unpacked float32 (5 bytes apart). */
  kind: 'f32' | 'f64' | 'f32-unpacked';
}

export interface BlobRef {
  /** Caffe's shape: `shape.dim`, or the legacy num, channels, height, width. */
  shape: number[];
  count: number;
  segments: Segment[];
}

export interface ModelLayer {
  name: string;
  type: string;
  blobs: BlobRef[];
}

export interface CaffeModelIndex {
  path: string;
  name?: string;
  form: 'layer' | 'layers';
  layers: ModelLayer[];
}

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

/** Skips one field's value of wire type `wire`. */
function skip(r: FileReader, wire: number, what: string): void {
  if (wire === VARINT) r.varint(what);
  else if (wire === FIXED64) r.pos += 8;
  else if (wire === BYTES) {
    const n = r.varint(what);
    r.pos += n;
  } else if (wire === FIXED32) r.pos += 4;
  else throw new UserError(`${r.path}: not a caffemodel (wire type ${wire} at byte ${r.pos})`);
  if (r.pos > r.size) throw r.truncated(what);
}

function readBlob(r: FileReader, end: number, where: string): BlobRef {
  const segments: Segment[] = [];
  let shape: number[] | undefined;
  const legacy = [0, 0, 0, 0];
  while (r.pos < end) {
    const tag = r.varint(where);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 7 && wire === BYTES) {
      const n = r.varint(where);
      shape = (
        caffeType('BlobShape').decode(r.bytes(n, where)) as unknown as { dim: Array<number | { toNumber(): number }> }
      ).dim.map((d) => (typeof d === 'number' ? d : d.toNumber()));
    } else if ((field === 5 || field === 8) && wire === BYTES) {
      const n = r.varint(where);
      r.need(n, where);
      const size = field === 5 ? 4 : 8;
      if (n % size) throw new UserError(`${r.path}: not a caffemodel: ${where} has ${n} bytes of values`);
      segments.push({ offset: r.pos, count: n / size, kind: field === 5 ? 'f32' : 'f64' });
      r.pos += n;
    } else if (field === 5 && wire === FIXED32) {
      const last = segments.at(-1);
      if (last?.kind === 'f32-unpacked' && last.offset + 5 * last.count === r.pos) last.count++;
      else segments.push({ offset: r.pos, count: 1, kind: 'f32-unpacked' });
      r.need(4, where);
      r.pos += 4;
    } else if (field >= 1 && field <= 4 && wire === VARINT) legacy[field - 1] = r.varint(where);
    else skip(r, wire, where);
  }
  if (r.pos !== end) throw new UserError(`${r.path}: not a caffemodel: ${where} overruns its message`);
  const dims = shape ?? (legacy.some((d) => d > 0) ? legacy : []);
  const count = dims.reduce((a, b) => a * b, 1);
  const stored = segments.reduce((a, s) => a + s.count, 0);
  if (stored !== count && stored > 0)
    throw new UserError(`${r.path}: ${where} holds ${stored} values, but its shape (${dims.join(', ')}) has ${count}`);
  return { shape: dims, count: stored === 0 ? 0 : count, segments };
}

function readLayer(r: FileReader, end: number, v1: boolean, index: number): ModelLayer {
  const blobField = v1 ? 6 : 7;
  const header: Uint8Array[] = [];
  const blobs: BlobRef[] = [];
  const where = `layer #${index + 1}`;
  while (r.pos < end) {
    const start = r.pos;
    const tag = r.varint(where);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === blobField && wire === BYTES) {
      const n = r.varint(where);
      r.need(n, where);
      blobs.push(readBlob(r, r.pos + n, `blob ${blobs.length} of ${where}`));
      continue;
    }
    skip(r, wire, where);
    // Everything but the blobs is small: keep its bytes to decode the header in one go.
    if (r.pos - start < 1 << 20) header.push(r.bytesAt(start, r.pos - start));
  }
  if (r.pos !== end) throw new UserError(`${r.path}: not a caffemodel: ${where} overruns its message`);
  const bytes = Buffer.concat(header);
  let decoded: { name?: string; type?: string | number };
  try {
    decoded = caffeType(v1 ? 'V1LayerParameter' : 'LayerParameter').decode(bytes) as typeof decoded;
  } catch (e) {
    throw new UserError(`${r.path}: not a caffemodel: ${where} does not decode (${(e as Error).message})`);
  }
  const type = v1 ? v1TypeName(Number(decoded.type ?? 0)) : String(decoded.type ?? '');
  return { name: decoded.name ?? '', type, blobs };
}

/** Indexes the caffemodel at `path` (current or V1 form). */
export function scanCaffemodel(path: string): CaffeModelIndex {
  const r = new FileReader(path);
  try {
    const layers: ModelLayer[] = [];
    let name: string | undefined;
    let forms = 0;
    while (r.pos < r.size) {
      const tag = r.varint('the net');
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if ((field === 100 || field === 2) && wire === BYTES) {
        const n = r.varint('the net');
        r.need(n, `layer #${layers.length + 1}`);
        forms |= field === 100 ? 1 : 2;
        layers.push(readLayer(r, r.pos + n, field === 2, layers.length));
      } else if (field === 1 && wire === BYTES) {
        const n = r.varint('the net');
        name = Buffer.from(r.bytes(n, 'the net name')).toString('utf8');
      } else if (field >= 1 && field <= 8 && wire !== 3 && wire !== 4) skip(r, wire, 'the net');
      else throw new UserError(`${path}: not a caffemodel (unexpected field ${field} at byte ${r.pos})`);
    }
    if (layers.length === 0) throw new UserError(`${path}: not a caffemodel: it holds no layers`);
    return { path, ...(name ? { name } : {}), form: forms & 1 ? 'layer' : 'layers', layers };
  } finally {
    r.close();
  }
}
