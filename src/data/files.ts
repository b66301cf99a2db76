/**
 * File access for the data pipeline. Every failure becomes a UserError that names the file,
 * because a dataset problem is the user's to fix and must never surface as a stack trace.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, basename } from 'node:path';
import { UserError } from '../diagnostics/index.js';

/** Reads a file; a missing or unreadable file becomes a UserError naming it (`what`: "image", "label" …). */
export async function readFileNamed(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw fileError(e, file, `${what} file`);
  }
}

/** Lists a directory's files by stem (`2007_000032.png` → `2007_000032`), keeping those with the given extensions. */
export async function filesByStem(dir: string, extensions: readonly string[]): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.isFile() || d.isSymbolicLink())
      .map((d) => d.name);
  } catch (e) {
    throw fileError(e, dir, 'directory');
  }
  const byStem = new Map<string, string>();
  // Sorted, so that when two files share a stem the earlier-listed extension wins the same way every run.
  for (const name of names.sort()) {
    const ext = extname(name).toLowerCase();
    if (!extensions.includes(ext)) continue;
    const stem = basename(name, extname(name));
    const prev = byStem.get(stem);
    if (prev === undefined || extensions.indexOf(ext) < extensions.indexOf(extname(prev).toLowerCase()))
      byStem.set(stem, name);
  }
  return byStem;
}

/** Turns a file-system error into a UserError that names the path. */
export function fileError(e: unknown, path: string, what: string): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UserError(`${path}: no such ${what}`);
  if (code === 'EISDIR') return new UserError(`${path}: is a directory, expected a ${what}`);
  if (code === 'ENOTDIR') return new UserError(`${path}: no such ${what} (part of the path is not a directory)`);
  return new UserError(`${path}: cannot read ${what} (${(e as Error).message})`);
}
