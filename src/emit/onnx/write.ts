/**
 * Writing an .onnx file: atomically, and over an existing file only when fcn wrote it (its
 * producer is fcn) or with --force.
 */
import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../../diagnostics/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { ExportNet } from '../net.js';
import { encodeOnnx, isFcnOnnx } from './export.js';

/** What an export wrote. */
export interface Written {
  format: 'onnx' | 'pytorch';
  files: string[];
  net: string;
  parameters: number;
  outputs: string[];
}

/** The package version, recorded as the producer's. */
export function fcnVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The number of parameter values of a net. */
export function parameterCount(net: ExportNet): number {
  let n = 0;
  // BatchNorm's third blob is Caffe's scale factor of its statistics, not a parameter.
  for (const blobs of net.params.values()) for (const b of blobs.slice(0, 2)) n += b?.data.length ?? 0;
  return n;
}

/** Refuses an output path that holds something fcn did not write (unless `force`). */
export function checkOnnxOutput(path: string, force: boolean): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return;
  }
  if (force) return;
  if (stat.isDirectory()) throw new UserError(`${path} is a directory; -o names the .onnx file to write`);
  if (!isFcnOnnx(readFileSync(path)))
    throw new UserError(`${path} exists and is not an ONNX model fcn wrote; pass --force to replace it`);
}

/** Writes `net` as an ONNX model to `path`. */
export async function writeOnnx(path: string, net: ExportNet, force: boolean): Promise<Written> {
  checkOnnxOutput(path, force);
  await writeFileAtomic(path, encodeOnnx(net, fcnVersion()));
  return {
    format: 'onnx',
    files: [path],
    net: net.info.net,
    parameters: parameterCount(net),
    outputs: net.info.outputs,
  };
}
