/**
 * Atomic writes. A file is written beside its target and renamed over it. A directory gets a
 * new version behind a pointer (layout and reasons in versioned-dir.ts), so that at every
 * instant a complete old or a complete new version exists, whatever moment the writer is
 * killed at. Temporaries are named .NAME.PID.HEX.tmp; those left by dead processes are removed
 * by the next directory write beside them.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, readdir, readlink, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../diagnostics/index.js';
import { checkReplaceable, type OutputKind } from './output.js';
import { isProcessAlive } from './pid.js';
import { isVersioned, listVersions, POINTER, versionName } from './versioned-dir.js';

const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp(?:\.old)?$/;
/** Complete versions a directory keeps: the newest, and the one a reader may still be reading. */
const KEEP = 2;

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Removes the temporaries that dead processes left in `dir` (recognised by name, their pid not
 * running): all of them in a directory of fcn's own, only those of `target` in one of the user's.
 */
export async function removeStaleTemps(dir: string, target?: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || (target !== undefined && !name.startsWith(`.${target}.`))) continue;
    if (!isProcessAlive(Number(m[1]))) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** A file write that failed because the target is a directory is the user's mistake, not ours. */
function renameError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST'
    ? new UserError(`${path}: is a directory; give a file name`)
    : e;
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
    throw renameError(e, path);
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
    throw renameError(e, path);
  }
}

/** Flushes a file or directory to the disk, so that a rename publishing it survives a power cut too. */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Files flushed at once by fsyncTree: the disk then commits many in one journal flush (~20× faster for 640 small files). */
const FSYNC_CONCURRENCY = 32;

/** Flushes every file and directory under `dir` (links are not followed); each directory after its entries. */
async function fsyncTree(dir: string): Promise<void> {
  const files: string[] = [];
  const dirs: string[] = []; // parents before children
  const walk = async (d: string): Promise<void> => {
    dirs.push(d);
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.isFile()) files.push(join(d, e.name));
    }
  };
  await walk(dir);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) await fsyncPath(files[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(FSYNC_CONCURRENCY, files.length) }, worker));
  for (const d of dirs.reverse()) await fsyncPath(d);
}

/** The link target of `path`, undefined if it is missing; '' if it is something other than a link. */
async function linkTarget(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EINVAL') return '';
    throw e;
  }
}

/**
 * Gives each entry of a version its fixed link DIR/NAME -> .current/NAME. Made before the
 * version is published: a new link dangles until the pointer reaches a version that has the
 * entry. A name taken by something fcn did not make stops the write before anything changes.
 */
async function linkEntries(dir: string, entries: string[]): Promise<void> {
  for (const name of entries) {
    const path = join(dir, name);
    const target = await linkTarget(path);
    if (target === undefined) await symlink(join(POINTER, name), path);
    else if (target !== join(POINTER, name))
      throw new UserError(`${path}: something fcn did not write is in the way; move it elsewhere and run again`);
  }
}

/** Removes the links of entries the current version no longer has. */
async function unlinkObsolete(dir: string, entries: Set<string>): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!entries.has(name) && (await linkTarget(join(dir, name))) === join(POINTER, name))
      await unlink(join(dir, name));
  }
}

/** Points DIR/.current at `version`: a new link renamed over the old one, so it is never missing. */
async function swapPointer(dir: string, version: string): Promise<void> {
  const tmp = tempPath(join(dir, POINTER));
  await symlink(version, tmp);
  await rename(tmp, join(dir, POINTER));
}

/** Publishes a finished temporary version as the next free .vN; returns its name. */
async function publish(tmp: string, dir: string, n: number): Promise<string> {
  for (; ; n++) {
    try {
      await rename(tmp, join(dir, versionName(n)));
      return versionName(n);
    } catch (e) {
      // A concurrent writer took that number: .vN exists and is not empty.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    }
  }
}

/** Adds a version to a versioned directory; see versioned-dir.ts for why each step leaves a complete version. */
async function addVersion(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  await removeStaleTemps(dir);
  const n = (listVersions(dir)[0]?.n ?? 0) + 1;
  const tmp = tempPath(join(dir, versionName(n)));
  await mkdir(tmp);
  try {
    await fill(tmp);
    const entries = await readdir(tmp);
    await linkEntries(dir, entries);
    await fsyncTree(tmp);
    const version = await publish(tmp, dir, n);
    await fsyncPath(dir);
    await swapPointer(dir, version);
    await fsyncPath(dir);
    await unlinkObsolete(dir, new Set(entries));
    for (const old of listVersions(dir).slice(KEEP))
      if (old.name !== version) await rm(join(dir, old.name), { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Writes a whole versioned directory beside `dir` and renames it into place. One rename when
 * nothing or an empty directory is there (rename(2) replaces an empty directory). Otherwise
 * (a forced replacement, or an fcn output from before versions) the old one is moved aside
 * first: two renames, with an instant between them when `dir` is missing. Nothing atomic can
 * swap two directories from Node; this happens once per such directory, which is versioned after.
 */
async function writeWhole(dir: string, fill: (tmpDir: string) => Promise<void>, replacing: boolean): Promise<void> {
  const tmp = tempPath(dir);
  const first = versionName(1);
  await mkdir(join(tmp, first), { recursive: true });
  try {
    await fill(join(tmp, first));
    await linkEntries(tmp, await readdir(join(tmp, first)));
    await symlink(first, join(tmp, POINTER));
    await fsyncTree(tmp);
    if (!replacing) {
      await rename(tmp, dir);
    } else {
      const aside = `${tmp}.old`;
      await rename(dir, aside);
      try {
        await rename(tmp, dir);
      } catch (e) {
        await rename(aside, dir);
        throw e;
      }
      await rm(aside, { recursive: true, force: true });
    }
    await fsyncPath(dirname(dir));
  } finally {
    await rm(tmp, { recursive: true, force: true });
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
 * Replaces a directory atomically: `fill` writes the new content into a fresh temporary
 * directory, which becomes the newest version of `dir` (versioned-dir.ts). Refuses, with a
 * UserError, to replace what is not an fcn output of `o.kind` unless `o.force`.
 */
export async function writeDirAtomic(
  dir: string,
  fill: (tmpDir: string) => Promise<void>,
  o: WriteDirOptions,
): Promise<void> {
  const there = checkReplaceable(dir, o.kind, { force: o.force ?? false });
  await mkdir(dirname(dir), { recursive: true });
  await removeStaleTemps(dirname(dir), basename(dir));
  if (there === 'dir' && isVersioned(dir)) await addVersion(dir, fill);
  else await writeWhole(dir, fill, there === 'file' || there === 'dir');
}
