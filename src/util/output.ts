/**
 * What an fcn command may replace. The rule: no command deletes or overwrites what it did not
 * create. An existing output path is replaced only when it is absent, an empty directory, or a
 * directory whose marker file says fcn wrote it as the same kind of output — or when the user
 * passes --force. The markers:
 *   model directory   fcn.json       {"format": "fcn-model"}         (src/runtime/model-io.ts)
 *   checkpoint        state.json     {"format": "fcn-checkpoint"}    (src/train/checkpoint.ts)
 *   synth dataset     synth.json     {"generator": "fcn synth"}      (src/data/synth.ts)
 *   demo directory    fcn-demo.json                                  (src/cli/commands/demo.ts)
 *   playground        fcn-playground.json {"generator": "fcn playground"} (src/cli/commands/playground.ts)
 * Run directories are never replaced: a new run needs an absent or empty directory, and
 * RUN/.lock guards a run in use (src/train/run-lock.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../diagnostics/index.js';
import { currentVersion } from './versioned-dir.js';

/** A kind of directory fcn writes, recognised by its marker file. */
export interface OutputKind {
  /** What it is, for messages: 'an fcn model directory'. */
  what: string;
  /** The file inside that marks it. */
  marker: string;
  /** Whether the marker's text says fcn wrote it as this kind. */
  test(markerText: string): boolean;
}

/** What is at a path: nothing, a file (or anything not a directory), an empty directory, or a non-empty one. */
export type Existing = 'none' | 'file' | 'empty' | 'dir';

/** Whether `path` is a directory (following symbolic links); false when nothing is there or it cannot be read. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Looks at what is at `path` (following symbolic links). */
export function existing(path: string): Existing {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'none';
    throw new UserError(`${path}: cannot look at it (${code ?? (e as Error).message})`);
  }
  if (!isDir) return 'file';
  try {
    return readdirSync(path).length ? 'dir' : 'empty';
  } catch (e) {
    throw new UserError(`${path}: cannot list it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Whether `dir` holds the marker of `kind` (in its newest version, for a versioned directory). */
export function isOutputOf(dir: string, kind: OutputKind): boolean {
  try {
    return kind.test(readFileSync(join(currentVersion(dir), kind.marker), 'utf8'));
  } catch {
    return false;
  }
}

/** How a refusal names the path and what to do. */
export interface ReplaceOptions {
  /** Replace whatever is there. */
  force?: boolean;
  /** The option that named the path (`-o`, `--out`), for the message. */
  flag?: string;
  /** Whether the command has --force, so the message may suggest it. */
  forceFlag?: boolean;
}

/**
 * Refuses (a UserError, exit 1) to write `kind` at `path` if that would replace something fcn did
 * not write as this kind; see the module comment. Returns what is there.
 */
export function checkReplaceable(path: string, kind: OutputKind, o: ReplaceOptions = {}): Existing {
  const there = existing(path);
  if (o.force || there === 'none' || there === 'empty' || (there === 'dir' && isOutputOf(path, kind))) return there;
  const name = o.flag ? `${o.flag} ${path}` : path;
  const what =
    there === 'file' ? `is a file, not ${kind.what}` : `exists and is not ${kind.what} (no ${kind.marker} from fcn)`;
  const todo = `choose another ${o.flag ?? 'path'}${o.forceFlag ? ', or pass --force to replace it' : ''}`;
  throw new UserError(`${name}: ${what}, so fcn will not replace it; ${todo}`);
}
