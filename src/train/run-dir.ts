/**
 * The layout of a training run's directory:
 *   RUN/model/          the final weights, a model directory (`fcn predict RUN/model …`)
 *   RUN/best/           the weights of the best val mean IU so far, also a model directory
 *   RUN/checkpoint/     what `--resume` needs (checkpoint.ts)
 *   RUN/log.jsonl       one line per step and per evaluation (log.ts)
 *   RUN/summary.json    written when the run finishes
 *   RUN/.lock           while a process trains the run (run-lock.ts)
 * model/, best/ and checkpoint/ are versioned directories (src/util/versioned-dir.ts).
 * Also how a path given to `fcn eval`/`fcn predict` is resolved to a model directory.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../diagnostics/index.js';
import { INFO_JSON } from '../runtime/index.js';
import { existing } from '../util/index.js';
import { checkpointDir, checkpointModelDir } from './checkpoint.js';
import { LOCK_FILE, lockRun, type RunLock } from './run-lock.js';

export const RUN_FILES = {
  model: 'model',
  best: 'best',
  log: 'log.jsonl',
  summary: 'summary.json',
} as const;

/** Paths inside a run directory. */
export function runPaths(run: string): {
  model: string;
  best: string;
  checkpoint: string;
  log: string;
  summary: string;
} {
  return {
    model: join(run, RUN_FILES.model),
    best: join(run, RUN_FILES.best),
    checkpoint: checkpointDir(run),
    log: join(run, RUN_FILES.log),
    summary: join(run, RUN_FILES.summary),
  };
}

/** A default run directory for a net: runs/NET-YYYYMMDD-HHMMSS. */
export function defaultRunDir(net: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return join('runs', `${net.replace(/[^-\w.]/g, '_')}-${stamp}`);
}

/** Refuses to start a new run where there is a file, or a directory that holds anything but a lock (it would mix two runs). */
export async function checkNewRunDir(run: string): Promise<void> {
  const there = existing(run);
  if (there === 'file') throw new UserError(`--out ${run}: is a file, not a run directory; choose another --out`);
  if (there !== 'dir' || !readdirSync(run).some((e) => e !== LOCK_FILE)) return;
  const hint = existsSync(checkpointDir(run))
    ? `it holds a run: continue it with 'fcn train --resume ${run}', or`
    : 'it is not empty:';
  throw new UserError(`--out ${run}: ${hint} choose another --out`, 1);
}

/** Creates the directory of a new run and locks it; checked again under the lock, as another run may have started there meanwhile. */
export async function claimNewRunDir(run: string): Promise<RunLock> {
  await checkNewRunDir(run);
  try {
    await mkdir(run, { recursive: true });
  } catch (e) {
    throw new UserError(
      `--out ${run}: cannot create it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const lock = lockRun(run);
  try {
    await checkNewRunDir(run);
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/** Whether a directory is a model directory (has fcn.json). */
function isModelDir(dir: string): boolean {
  return existsSync(join(dir, INFO_JSON));
}

/**
 * The model directory to load for a path: a model directory itself, or a run's final
 * model, or (for a run that was interrupted before finishing) its checkpoint's model.
 * `note` says which, when it is not the path itself.
 */
export function resolveModelDir(path: string): { dir: string; note?: string } {
  if (isModelDir(path)) return { dir: path };
  const paths = runPaths(path);
  if (isModelDir(paths.model)) return { dir: paths.model };
  if (isModelDir(checkpointModelDir(path)))
    return {
      dir: checkpointModelDir(path),
      note: `${path} has no final model yet (unfinished run); using its last checkpoint`,
    };
  if (!existsSync(path)) throw new UserError(`${path}: no such run or model directory`);
  throw new UserError(
    `${path}: not a model directory (no ${INFO_JSON}) nor a run directory (no ${RUN_FILES.model}/ or checkpoint/); ` +
      'give a directory written by fcn train or fcn compile',
  );
}
