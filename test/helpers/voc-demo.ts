/**
 * The VOC demo files (image.jpg, label.png, output.png) kept outside the repo, in the
 * project's `shared/data/voc-demo/`. The repo may sit beside `shared/` or deeper (a git
 * worktree), so the folder is looked for from the repo upwards.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WHERE = join('shared', 'data', 'voc-demo');

function find(): string {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  for (let dir = dirname(repo); ; dir = dirname(dir)) {
    if (existsSync(join(dir, WHERE))) return join(dir, WHERE);
    // Not found: the usual place, so that a test's error names it.
    if (dirname(dir) === dir) return join(dirname(repo), WHERE);
  }
}

/** The folder of the VOC demo files, with a trailing separator. */
export const VOC_DEMO = join(find(), '/');
