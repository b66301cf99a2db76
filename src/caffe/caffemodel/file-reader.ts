/**
 * Positioned, buffered reads of a (possibly huge) file: protobuf varints and small byte
 * ranges from a 64 KiB window, skips without reading, and float arrays straight into their
 * own memory. Reading past the end is the file's fault: a truncated caffemodel.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../../diagnostics/index.js';

const WINDOW = 1 << 16;

export class FileReader {
  readonly size: number;
  pos = 0;
  private readonly fd: number;
  private window = Buffer.alloc(WINDOW);
  private windowStart = 0;
  private windowEnd = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`cannot read '${path}'${code === 'ENOENT' ? ': no such file' : ` (${code})`}`);
    }
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** A UserError saying the file ends too early. */
  truncated(what: string): UserError {
    return new UserError(`${this.path}: truncated caffemodel: the file ends (at ${this.size} bytes) inside ${what}`);
  }

  /** Throws unless `n` more bytes exist from the current position. */
  need(n: number, what: string): void {
    if (this.pos + n > this.size) throw this.truncated(what);
  }

  private byte(what: string): number {
    if (this.pos >= this.windowEnd || this.pos < this.windowStart) {
      if (this.pos >= this.size) throw this.truncated(what);
      this.windowStart = this.pos;
      this.windowEnd = this.pos + readSync(this.fd, this.window, 0, WINDOW, this.pos);
    }
    return this.window[this.pos++ - this.windowStart]!;
  }

  /** A base-128 varint, as a JS number (exact below 2^53, which covers every length and shape). */
  varint(what: string): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte(what);
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new UserError(`${this.path}: not a caffemodel: a malformed varint in ${what}`);
  }

  /** `n` bytes from the current position (for small fields only). */
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = new Uint8Array(n);
    const got = readSync(this.fd, out, 0, n, this.pos);
    if (got !== n) throw this.truncated(what);
    this.pos += n;
    return out;
  }

  /** `n` bytes at `position`, leaving the current position alone. */
  bytesAt(position: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    this.readAt(out, position);
    return out;
  }

  /** Reads `out.byteLength` bytes at `position` into `out` (its own memory, no copy). */
  readAt(out: ArrayBufferView, position: number): void {
    const view = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    let done = 0;
    while (done < view.length) {
      const got = readSync(this.fd, view, done, view.length - done, position + done);
      if (got === 0) throw this.truncated('a blob');
      done += got;
    }
  }
}
