import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

test('fcn --help lists the commands and exits 0', async (t) => {
  const { stdout } = await run('node', ['bin/fcn.js', '--help']);
  t.regex(stdout, /check/);
  t.regex(stdout, /inspect/);
});

test('an unknown command is misuse: exit code 2', async (t) => {
  const err = await t.throwsAsync(run('node', ['bin/fcn.js', 'no-such-command']));
  t.is((err as unknown as { code: number }).code, 2);
});
