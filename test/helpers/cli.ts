/** Running the built CLI (bin/fcn.js → dist/, so build first) as a user runs it, from the repo's root. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));

/** What a run of the CLI left: its exit code and its two streams. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `fcn ARGS...` and returns its exit code and output, whatever the code. */
export async function fcn(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run('node', ['bin/fcn.js', ...args], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as CliRun;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The same as `fcn`, under the name the safety tests use. */
export const runFcn = fcn;
