import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkReplaceable, type OutputKind } from './output.js';

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes a file atomically: to a temporary file beside it, then renamed over the target. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Synchronous form of {@link writeFileAtomic}, for exit handlers. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** What writeDirAtomic writes, and whether it may replace anything at all. */
export interface WriteDirOptions {
  /** The kind of output: an existing directory is replaced only if its marker says it is one (output.ts). */
  kind: OutputKind;
  /** Replace whatever is there. */
  force?: boolean;
}

/**
 * Replaces a directory atomically: `fill` writes into a fresh temporary directory beside
 * `dir`, which is then renamed into place (the old one, if any, is removed after). Refuses,
 * with a UserError, to replace what is not an fcn output of `o.kind` unless `o.force`.
 */
export async function writeDirAtomic(
  dir: string,
  fill: (tmpDir: string) => Promise<void>,
  o: WriteDirOptions,
): Promise<void> {
  checkReplaceable(dir, o.kind, { force: o.force ?? false });
  await mkdir(dirname(dir), { recursive: true });
  const tmp = tempPath(dir);
  const old = `${tmp}.old`;
  await mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    let hadOld = false;
    try {
      await rename(dir, old);
      hadOld = true;
    } catch {
      // no previous directory
    }
    await rename(tmp, dir);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
