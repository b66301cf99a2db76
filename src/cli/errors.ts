import { UserError, renderDiagnostics } from '../diagnostics/index.js';
import { isOutOfMemory } from '../util/out-of-memory.js';

export { isOutOfMemory };

/** Prints a failure the way a user should see it and returns the exit code. Never a stack trace for a user's mistake. */
export function reportFailure(e: unknown): number {
  if (e instanceof UserError) {
    if (e.diagnostics.length)
      process.stderr.write(renderDiagnostics(e.diagnostics, { color: process.stderr.isTTY }) + '\n');
    if (e.message) process.stderr.write(`fcn: ${e.message}\n`);
    return e.exitCode;
  }
  const environment = environmentMessage(e);
  if (environment !== undefined) {
    process.stderr.write(`fcn: ${environment}\n`);
    return 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(
    `fcn: internal error: ${err.message}\n` +
      'This is a bug in fcn, not in your input. Please report it with the command you ran and this trace:\n' +
      `${err.stack ?? ''}\n`,
  );
  return 70;
}

/** The fields of Node's system errors (fs, child processes) that say what failed where. */
interface SystemError {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

function isSystemError(e: unknown): e is SystemError {
  return typeof (e as SystemError | null)?.code === 'string' && /^E[A-Z]+$/.test((e as SystemError).code);
}

/** The failing call, by syscall, as `cannot <verb> PATH`. */
const VERBS: Record<string, string> = {
  open: 'open',
  write: 'write',
  read: 'read',
  mkdir: 'create the directory',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  scandir: 'list',
  opendir: 'list',
  copyfile: 'copy',
  stat: 'read',
  lstat: 'read',
  access: 'read',
};

/** `cannot write PATH` (or `while trying to write` without a path); '' when the error says nothing about the call. */
function failedCall(e: SystemError): string {
  const verb = e.syscall === undefined ? undefined : VERBS[e.syscall];
  if (e.path === undefined) return verb ? `while trying to ${verb}` : '';
  const what = verb ? `cannot ${verb} ${e.path}` : `cannot use ${e.path}${e.syscall ? ` (${e.syscall})` : ''}`;
  return e.dest ? `${what} to ${e.dest}` : what;
}

const SEE_PERMISSIONS = 'check the permissions of the file and its directory, or use another path';

/** Node's error codes that mean the machine said no (disk, permissions, limits, memory): what happened, and what to do. */
const ENVIRONMENT: Record<string, [problem: string, advice: string]> = {
  ENOSPC: ['no space left on the device', 'free some space there (df -h shows which disk is full) or write elsewhere'],
  EDQUOT: ['disk quota exceeded', 'free some space or write elsewhere'],
  EACCES: ['permission denied', SEE_PERMISSIONS],
  EPERM: ['operation not permitted', SEE_PERMISSIONS],
  EROFS: ['read-only file system', 'write elsewhere'],
  EEXIST: ['already exists', 'remove it or choose another path'],
  EMFILE: ['too many open files', 'raise the limit (ulimit -n) or close other programs'],
  ENFILE: ['the system has too many open files', 'close other programs and try again'],
  ENOMEM: [
    'out of memory',
    'close other programs, or use smaller images (fcn predict --tile runs any size in bounded memory)',
  ],
  ENOTDIR: ['not a directory', 'a part of the path is a file: fix the path'],
  EISDIR: ['is a directory', 'give a file path'],
  ENOENT: ['no such file or directory', 'check the path'],
  ENAMETOOLONG: ['file name too long', 'use a shorter path'],
};

/**
 * One line for a failure of the user's environment rather than of fcn: what happened (with
 * the path, when the error has one) and what to do. Undefined for anything else.
 */
export function environmentMessage(e: unknown): string | undefined {
  if (isSystemError(e)) {
    const known = ENVIRONMENT[e.code];
    if (!known) return undefined;
    const [what, advice] = known;
    // mkdir -p meets a file where a directory of the path should be.
    const problem = e.code === 'EEXIST' && e.syscall === 'mkdir' ? 'a file is in the way' : what;
    const call = failedCall(e);
    return `${problem}${call ? `: ${call}` : ''}; ${advice}`;
  }
  if (isOutOfMemory(e)) {
    const first = (e as Error).message.split('\n')[0]!;
    const what = /^out of [\w ]*memory/i.test(first) ? first : `out of memory: ${first}`;
    return `${what}: use smaller images, or fcn predict --tile to run any size in bounded memory`;
  }
  return undefined;
}

/** Runs `write`; a system error without a path (ENOSPC from write(2) has none) is given `path`, the file being written. */
export async function writing<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isSystemError(e) && e.path === undefined) e.path = path;
    throw e;
  }
}

/** Parses `HxW` (or a single `N` for a square) into [h, w]; a misuse error otherwise. */
export function parseSize(text: string, flag = '--input'): [number, number] {
  const m = /^(\d+)(?:[xX×](\d+))?$/.exec(text.trim());
  if (!m) throw new UserError(`${flag} expects HxW (e.g. 500x500) or a single size, got '${text}'`, 2);
  const h = Number(m[1]);
  const w = m[2] === undefined ? h : Number(m[2]);
  if (h < 1 || w < 1) throw new UserError(`${flag} sizes must be at least 1, got '${text}'`, 2);
  return [h, w];
}

/** Parses a non-negative integer flag value; a misuse error otherwise. */
export function parseInteger(text: string, flag: string, min = 0): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min)
    throw new UserError(`${flag} expects an integer ≥ ${min}, got '${text}'`, 2);
  return Number(text);
}

/** Parses a finite number flag value; a misuse error otherwise. */
export function parseNumber(text: string, flag: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new UserError(`${flag} expects a number, got '${text}'`, 2);
  return v;
}
