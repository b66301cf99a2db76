/** A directory as a user sees it: every file reachable from it by path (links followed, hidden entries skipped), with its bytes. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
