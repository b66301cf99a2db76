/** A caffemodel as a parameter source: the index of scan.ts, its blobs read from the file on demand. */
import { readBlobRange } from '../caffemodel/blob.js';
import { FileReader } from '../caffemodel/file-reader.js';
import { scanCaffemodel, type CaffeModelIndex } from '../caffemodel/scan.js';
import type { ParamSource } from './source.js';

/** Opens `path` as a source; the index pass reads every byte once, holding only names and shapes. */
export function caffemodelSource(path: string): ParamSource & { index: CaffeModelIndex } {
  const index = scanCaffemodel(path);
  const reader = new FileReader(path);
  return {
    path,
    index,
    layers: index.layers
      .filter((l) => l.blobs.length > 0)
      .map((l) => ({
        name: l.name,
        type: l.type,
        blobs: l.blobs.map((b) => ({
          shape: b.shape,
          count: b.count,
          read: (start: number, count: number) => readBlobRange(reader, b, start, count),
        })),
      })),
    close: () => reader.close(),
  };
}
