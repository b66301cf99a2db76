/**
 * The layout of a directory that fcn replaces atomically (model directories, checkpoints,
 * synth datasets; written by writeDirAtomic in atomic.ts), and how to read it:
 *   DIR/.v000007/               a complete version. It appears by one rename(2) of a temporary
 *                               directory written and fsynced in full, so its name is its
 *                               completion marker: a half-written version is never called .vN
 *   DIR/.v000006/               the version before, kept so a reader that started on it can finish
 *   DIR/.current -> .v000007    the pointer, swapped by rename(2) of a new symlink over it
 *   DIR/model.json -> .current/model.json
 *                               one fixed link per entry of a version, so that DIR reads as a plain
 *                               directory (tf.loadLayersModel, `fcn predict DIR`, ls, cp -r, tar)
 * fcn's readers take the newest complete version (currentVersion) rather than trusting the
 * pointer, which lags it if a writer died between publishing a version and swapping the pointer.
 * A directory without versions (written by another tool, or by fcn before versions) is read as
 * it is.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The pointer's name inside a versioned directory. */
export const POINTER = '.current';
const VERSION = /^\.v(\d+)$/;

/** The name of version `n`: .v000007. */
export function versionName(n: number): string {
  return `.v${String(n).padStart(6, '0')}`;
}

/** The complete versions in `dir`, newest first. */
export function listVersions(dir: string): Array<{ n: number; name: string }> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const m = VERSION.exec(name);
      return m ? [{ n: Number(m[1]), name }] : [];
    })
    .sort((a, b) => b.n - a.n);
}

/** Whether `dir` has the versioned layout (a pointer or a version). */
export function isVersioned(dir: string): boolean {
  try {
    if (lstatSync(join(dir, POINTER)).isSymbolicLink()) return true;
  } catch {
    // no pointer: look for versions
  }
  return listVersions(dir).length > 0;
}

/** The directory to read `dir`'s content from: its newest complete version, or `dir` itself when it has none. */
export function currentVersion(dir: string): string {
  const newest = listVersions(dir)[0];
  return newest ? join(dir, newest.name) : dir;
}
