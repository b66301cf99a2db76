/**
 * NumPy .npy files, the exchange format for checking numerics against other frameworks.
 * Written as float32, little-endian, C order (format 1.0, header padded to 64 bytes as numpy
 * does). Read: any little-endian (or byte-order-free) float or integer dtype, converted to
 * float32; Fortran order and big-endian data are refused with a message.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../diagnostics/index.js';
import { writeFileAtomic } from '../util/index.js';

export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Encodes a float32 array of `shape` as .npy bytes. */
export function encodeNpy(data: Float32Array, shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape [${shape}] holds ${count} values, got ${data.length}`);
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
  // magic (6) + version (2) + length (2) + header + '\n' must be a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = Buffer.alloc(total + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  const view = new DataView(out.buffer, out.byteOffset + total, data.length * 4);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return out;
}

type Reader = (view: DataView, offset: number) => number;

const READERS: Record<string, [number, Reader]> = {
  f4: [4, (v, o) => v.getFloat32(o, true)],
  f8: [8, (v, o) => v.getFloat64(o, true)],
  f2: [2, (v, o) => halfToFloat(v.getUint16(o, true))],
  i1: [1, (v, o) => v.getInt8(o)],
  u1: [1, (v, o) => v.getUint8(o)],
  i2: [2, (v, o) => v.getInt16(o, true)],
  u2: [2, (v, o) => v.getUint16(o, true)],
  i4: [4, (v, o) => v.getInt32(o, true)],
  u4: [4, (v, o) => v.getUint32(o, true)],
  i8: [8, (v, o) => Number(v.getBigInt64(o, true))],
  u8: [8, (v, o) => Number(v.getBigUint64(o, true))],
};

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Decodes .npy bytes to float32; `file` names the file in errors. */
export function decodeNpy(bytes: Uint8Array, file = '<npy>'): NpyArray {
  const fail = (why: string): never => {
    throw new UserError(`${file}: not a usable .npy file (${why})`);
  };
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) fail('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) fail('truncated header');
  const header = Buffer.from(bytes.subarray(start, start + headerLen)).toString('latin1');
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1] ?? fail('no descr');
  if (/'fortran_order':\s*True/.test(header)) fail('Fortran order is not supported; save with C order');
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? fail('no shape');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`bad shape (${shapeText})`);
  const order = descr[0];
  if (order === '>') fail(`big-endian data (${descr}) is not supported`);
  const kind = descr.slice(1);
  const reader = READERS[kind] ?? fail(`unsupported dtype ${descr}`);
  const [size, read] = reader;
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (offset + count * size > bytes.length)
    fail(`holds ${Math.floor((bytes.length - offset) / size)} values, shape [${shape}] needs ${count}`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = read(view, offset + i * size);
  return { shape, data };
}

/** Reads a .npy file as float32; a missing or malformed file is a UserError naming it. */
export async function readNpy(file: string): Promise<NpyArray> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeNpy(bytes, file);
}

/** Writes a float32 .npy file atomically. */
export async function writeNpy(file: string, data: Float32Array, shape: number[]): Promise<void> {
  await writeFileAtomic(file, encodeNpy(data, shape));
}
