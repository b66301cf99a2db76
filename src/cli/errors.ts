import { UserError, renderDiagnostics } from '../diagnostics/index.js';

/** Prints a failure the way a user should see it and returns the exit code. Never a stack trace for a user's mistake. */
export function reportFailure(e: unknown): number {
  if (e instanceof UserError) {
    if (e.diagnostics.length)
      process.stderr.write(renderDiagnostics(e.diagnostics, { color: process.stderr.isTTY }) + '\n');
    if (e.message) process.stderr.write(`fcn: ${e.message}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(
    `fcn: internal error: ${err.message}\n` +
      'This is a bug in fcn, not in your input. Please report it with the command you ran and this trace:\n' +
      `${err.stack ?? ''}\n`,
  );
  return 70;
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
