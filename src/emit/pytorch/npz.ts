/**
 * numpy's .npz: a zip archive of .npy files (`key.npy`), written stored (as np.savez does) and
 * read stored or deflated (np.savez_compressed). The zip container is fflate's; the arrays are
 * src/runtime/npy.ts's.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { UserError } from '../../diagnostics/index.js';
import { decodeNpy, encodeNpy, type NpyArray } from '../../runtime/npy.js';

/** The bytes of an .npz holding `arrays` (float32) by key. */
export function encodeNpz(arrays: Array<{ key: string; shape: number[]; data: Float32Array }>): Uint8Array {
  const files: Zippable = {};
  for (const a of arrays) files[`${a.key}.npy`] = [new Uint8Array(encodeNpy(a.data, a.shape)), { level: 0 }];
  return zipSync(files);
}

/** The arrays of an .npz by key (the member name without `.npy`); `file` names it in errors. */
export function decodeNpz(bytes: Uint8Array, file: string): Map<string, NpyArray> {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (e) {
    throw new UserError(`${file}: not a readable .npz file (${(e as Error).message})`);
  }
  const out = new Map<string, NpyArray>();
  for (const [name, data] of Object.entries(members)) {
    if (!name.endsWith('.npy')) continue;
    out.set(name.slice(0, -4), decodeNpy(data, `${file}:${name}`));
  }
  return out;
}
