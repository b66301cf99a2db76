/** Runs the built CLI (bin/fcn.js → dist/) for the end-to-end tests. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `fcn ARGS…` to its end; resolves to its exit code and output, whatever the code. */
export function runFcn(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/fcn.js', ...args], { cwd: repo }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 128) : 0, stdout, stderr }),
    );
  });
}
