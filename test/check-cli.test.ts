/**
 * `fcn check` end to end: the built CLI (bin/fcn.js → dist/) run as a user runs it. Exit
 * codes, the rendered diagnostics, `--json`, and no stack trace for a user's mistake.
 */
import test from 'ava';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function fcn(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/fcn.js', ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function newest(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );
}

test.before(() => {
  // `npm test` builds first; rebuild only when dist/ is older than the sources it comes from.
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist/cli/commands/check.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built < newest(join(ROOT, 'src'))) {
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
    } catch {
      // Type errors elsewhere in the tree do not stop tsc from emitting.
    }
  }
});

const dir = mkdtempSync(join(tmpdir(), 'fcn-check-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('the repo nets check clean: exit 0, one ok line per file', async (t) => {
  const r = await fcn('check', 'nets/voc-fcn8s.fcn', 'nets/vgg16.fcn');
  t.is(r.code, 0);
  t.is(r.stdout, 'nets/voc-fcn8s.fcn: ok (net voc_fcn8s)\nnets/vgg16.fcn: ok (net vgg16)\n');
  t.is(r.stderr, '');
});

test('mistakes: exit 1, every diagnostic rustc-style with file:line:col, carets and help, no stack', async (t) => {
  const file = write('broken.fcn', 'net a {\n  input data\n  c: cnov { out: 1 }\n  d: conv { out: 1  kernal: 3 }\n}\n');
  const r = await fcn('check', file);
  t.is(r.code, 1);
  t.is(r.stdout, '');
  t.is(
    r.stderr,
    [
      "error[unknown-layer-type]: unknown layer type 'cnov'",
      ` --> ${file}:3:6`,
      '  |',
      '3 |   c: cnov { out: 1 }',
      '  |      ^^^^',
      "   = help: did you mean 'conv'?",
      '',
      "error[unknown-parameter]: unknown parameter 'kernal' for conv layer 'd'",
      ` --> ${file}:4:21`,
      '  |',
      '4 |   d: conv { out: 1  kernal: 3 }',
      '  |                     ^^^^^^',
      "   = help: did you mean 'kernel'?",
      '',
      '2 errors',
      '',
    ].join('\n'),
  );
});

test('--json prints an array of {file, line, column, endLine, endColumn, severity, code, message}', async (t) => {
  const file = write('json.fcn', 'net a {\n  input data\n  p: pool { kernel: 0 }\n}\n');
  const r = await fcn('check', '--json', file);
  t.is(r.code, 1);
  t.deepEqual(JSON.parse(r.stdout), [
    {
      file,
      line: 3,
      column: 21,
      endLine: 3,
      endColumn: 22,
      severity: 'error',
      code: 'value-out-of-range',
      message: "'kernel' must be at least 1, found 0",
    },
  ]);
});

test('--json on clean files prints an empty array and exits 0', async (t) => {
  const r = await fcn('check', '--json', 'nets/voc-fcn8s.fcn');
  t.is(r.code, 0);
  t.deepEqual(JSON.parse(r.stdout), []);
});

test('a missing file is a clean error: exit 1, no stack trace', async (t) => {
  const r = await fcn('check', 'nets/no-such.fcn');
  t.is(r.code, 1);
  t.is(r.stderr, "error[file-not-found]: cannot read 'nets/no-such.fcn': no such file\n\n1 error\n");
  const json = await fcn('check', '--json', 'nets/no-such.fcn');
  t.is(json.code, 1);
  t.like(JSON.parse(json.stdout)[0], { file: 'nets/no-such.fcn', line: null, code: 'file-not-found' });
});

test('syntax errors: exit 1 with the place of each', async (t) => {
  const file = write('syntax.fcn', 'net a {\n  c: conv { out 1 }\n  d: relu { x: }\n');
  const r = await fcn('check', '--json', file);
  t.is(r.code, 1);
  t.deepEqual(
    JSON.parse(r.stdout).map((d: { line: number; column: number; code: string }) => `${d.code} ${d.line}:${d.column}`),
    ['unexpected-token 2:17', 'unexpected-token 3:16', 'unexpected-end 3:17'],
  );
  t.notRegex(r.stderr, /at .*\.js:\d+/);
});

test('--net checks one net; an unknown one is an error with a suggestion', async (t) => {
  const file = write('two.fcn', 'net first {\n  input data\n}\nnet second {\n  input data\n}\n');
  t.is((await fcn('check', '--net', 'first', file)).code, 0);
  const r = await fcn('check', '--net', 'secnd', file);
  t.is(r.code, 1);
  t.regex(
    r.stderr,
    /error\[unknown-net\]: '.*two\.fcn' has no net 'secnd'; it defines 'first', 'second'\n {3}= help: did you mean 'second'\?/,
  );
});

test('no files is command-line misuse: exit 2', async (t) => {
  t.is((await fcn('check')).code, 2);
});

test('an error in a shared import is reported once for all the files that import it', async (t) => {
  write('lib.fcn', 'block b {\n  c: cnov\n}\n');
  const a = write('ua.fcn', 'import "lib.fcn"\nnet na {\n  input data\n  x: b\n}\n');
  const b = write('ub.fcn', 'import "lib.fcn"\nnet nb {\n  input data\n  y: b\n}\n');
  const r = await fcn('check', '--json', a, b);
  t.deepEqual(
    JSON.parse(r.stdout).map((d: { code: string }) => d.code),
    ['unknown-layer-type'],
  );
});
