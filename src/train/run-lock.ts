/**
 * RUN/.lock: one process at a time trains a run. New runs, resumes (and `fcn demo` through
 * them) take it; a second process is refused, naming the first one's pid. The file is created
 * with O_EXCL ('wx'), so two processes cannot both create it, and holds
 *   {"pid": 1234, "hostname": "box", "started": "2025-01-01T12:00:00.000Z"}
 * A lock whose process no longer runs on this host (killed, or the machine restarted) is stale
 * and taken over with a warning; one from another host cannot be checked, so it is refused
 * with a hint. The lock is released when the run ends, on errors, at exit, and on a signal
 * that would otherwise end the process without exit handlers.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../diagnostics/index.js';
import { isProcessAlive } from '../util/index.js';

/** The lock file's name inside a run directory. */
export const LOCK_FILE = '.lock';

/** Who holds a lock. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** When the holder took it (ISO 8601). */
  started: string;
}

/** Reads a lock file; undefined if there is none; throws if it is not an fcn lock. */
function readOwner(path: string): LockOwner | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (Number.isInteger(owner.pid) && typeof owner.hostname === 'string') return owner;
  } catch {
    // not JSON: below
  }
  // Written with one write(2) right after an O_EXCL create: an empty file is a lock being taken this moment.
  if (text === '') return { pid: 0, hostname: '', started: '' };
  throw new UserError(`${path}: not an fcn lock file; if no fcn process uses this run, remove it`);
}

/** Whether the owner is a process of this host that no longer runs. */
function isStale(owner: LockOwner): boolean {
  return owner.hostname === hostname() && !isProcessAlive(owner.pid);
}

/** Why `holder` keeps us from a run. */
function inUse(run: string, path: string, holder: LockOwner): UserError {
  const since = holder.started ? `, since ${holder.started}` : '';
  return new UserError(
    holder.hostname === hostname()
      ? `${run} is in use by another fcn process (pid ${holder.pid}${since}); wait for it to end, or stop it`
      : `${run} is locked by pid ${holder.pid} on host ${holder.hostname}${since}; if that process has ended, remove ${path}`,
  );
}

/** Refuses (a UserError naming the holder) a run that a live process holds, without taking the lock. */
export function checkNotLocked(run: string): void {
  const path = join(run, LOCK_FILE);
  const holder = readOwner(path);
  if (holder && !isStale(holder)) throw inUse(run, path, holder);
}

/** The locks this process holds, released together at exit or on a signal. */
const held = new Set<RunLock>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function releaseAll(): void {
  for (const lock of [...held]) lock.release();
}

/**
 * A signal with no handler but this one would end the process without 'exit' handlers: release
 * the locks and die of the same signal. When another handler deals with it (fcn train stops
 * cleanly on Ctrl-C, releasing the lock itself), leave it to that one.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  process.kill(process.pid, signal);
}

/** Installs or removes the process handlers, as the first lock is taken or the last released. */
function watchProcess(on: boolean): void {
  const method = on ? 'on' : 'off';
  process[method]('exit', releaseAll);
  for (const s of SIGNALS) process[method](s, onSignal);
}

/** A held lock; release() is idempotent and removes the file only while it still names this process. */
export class RunLock {
  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {
    if (held.add(this).size === 1) watchProcess(true);
  }

  /** Removes the lock file (synchronous, so that it works in exit handlers). */
  release(): void {
    if (!held.delete(this)) return;
    if (held.size === 0) watchProcess(false);
    try {
      const now = readOwner(this.path);
      if (now?.pid === this.owner.pid && now.started === this.owner.started) rmSync(this.path, { force: true });
    } catch {
      // someone replaced it with something else: not ours to remove
    }
  }
}

/** Creates the lock file if there is none; false if there is one. */
function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(owner) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes RUN/.lock (the directory must exist), or refuses with a UserError naming the holder.
 * `warn` receives the line that says a stale lock was taken over.
 */
export function lockRun(run: string, warn: (line: string) => void = (l) => process.stderr.write(l + '\n')): RunLock {
  const path = join(run, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, owner)) return new RunLock(path, owner);
    const holder = readOwner(path);
    if (!holder) continue; // released meanwhile
    if (holder.pid === 0) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // being taken: look again shortly
      continue;
    }
    if (!isStale(holder)) throw inUse(run, path, holder);
    warn(`fcn: warning: ${path} was left by pid ${holder.pid}, which no longer runs; taking it over`);
    // Remove it only if it is still that stale lock, not one another process has just taken over.
    const again = readOwner(path);
    if (again?.pid === holder.pid && again.started === holder.started) rmSync(path, { force: true });
  }
  throw new UserError(
    `${path}: could not take the lock (empty, or other processes keep taking it); if no fcn process uses this run, remove it`,
  );
}
