/**
 * A directory as a user sees it: every file reachable from it by path (links followed, hidden
 * entries skipped), with its bytes; and, for "nothing was touched", with every entry's mtime.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Relative path → bytes, for every visible file under `dir`, following links. */
export function snapshotTree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path, join(rel, name));
      else out[join(rel, name)] = readFileSync(path);
    }
  };
  walk(dir, '');
  return out;
}

/** Relative path → size and mtime, for every entry under `dir` (hidden ones too, links not followed) and `dir` itself. */
export function statTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    const s = lstatSync(d);
    out[rel || '.'] = `${s.size} ${s.mtimeMs}`;
    if (!s.isDirectory()) return;
    for (const name of readdirSync(d).sort()) walk(join(d, name), join(rel, name));
  };
  walk(dir, '');
  return out;
}
