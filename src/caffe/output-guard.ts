/**
 * fcn's Caffe commands never replace a file or directory that fcn did not write: a model
 * directory is replaced only if it holds an fcn.json, a .fcn file only if `fcn import` wrote
 * it (its first line says so). Anything else at the path is a user's mistake worth an error.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../diagnostics/index.js';

/** The first line `fcn import` writes. */
export const IMPORT_MARK = '# Imported by `fcn import`';

/** Throws unless `dir` is absent, empty, or an fcn model directory. */
export function checkModelOutput(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir} exists and is not a directory: not replacing it`);
  if (readdirSync(dir).length === 0) return;
  try {
    const info = JSON.parse(readFileSync(join(dir, 'fcn.json'), 'utf8')) as { format?: string };
    if (info.format === 'fcn-model') return;
  } catch {
    // not an fcn model: refused below
  }
  throw new UserError(`${dir} exists and is not an fcn model directory: not replacing it (choose another -o)`);
}

/** Throws unless `file` is absent or a .fcn that `fcn import` wrote. */
export function checkImportOutput(file: string): void {
  if (!existsSync(file)) return;
  const head = statSync(file).isFile() ? readFileSync(file, 'utf8').slice(0, IMPORT_MARK.length) : '';
  if (head !== IMPORT_MARK)
    throw new UserError(`${file} exists and was not written by fcn import: not replacing it (choose another -o)`);
}
