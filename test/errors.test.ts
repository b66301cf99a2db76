/**
 * How the CLI reports a failure of the user's environment (full disk, permissions, limits,
 * memory): exit 1 and one line saying what happened, where, and what to do; exit 70 with a
 * trace stays for fcn's own bugs. Errors are constructed as Node raises them.
 */
import test from 'ava';
import { environmentMessage, isOutOfMemory, reportFailure, writing } from '../src/cli/errors.js';
import { WasmHeapError } from '../src/runtime/wasm-heap.js';

/** An error as Node's fs raises it. */
function sysError(code: string, syscall: string, path?: string, dest?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall}`), {
    code,
    syscall,
    errno: -1,
    ...(path ? { path } : {}),
    ...(dest ? { dest } : {}),
  });
}

test('each environment error code maps to what happened, the path and what to do', (t) => {
  const cases: Array<[NodeJS.ErrnoException, string]> = [
    [
      sysError('ENOSPC', 'write', '/data/out.png'),
      'no space left on the device: cannot write /data/out.png; free some space there (df -h shows which disk is full) or write elsewhere',
    ],
    [
      sysError('EDQUOT', 'write', '/home/u/x'),
      'disk quota exceeded: cannot write /home/u/x; free some space or write elsewhere',
    ],
    [
      sysError('EACCES', 'open', '/sys/x.png'),
      'permission denied: cannot open /sys/x.png; check the permissions of the file and its directory, or use another path',
    ],
    [
      sysError('EPERM', 'rename', '/a/.x.tmp', '/a/x'),
      'operation not permitted: cannot rename /a/.x.tmp to /a/x; check the permissions of the file and its directory, or use another path',
    ],
    [sysError('EROFS', 'open', '/mnt/ro/x.png'), 'read-only file system: cannot open /mnt/ro/x.png; write elsewhere'],
    [
      sysError('EEXIST', 'mkdir', '/tmp/file'),
      'a file is in the way: cannot create the directory /tmp/file; remove it or choose another path',
    ],
    [sysError('EEXIST', 'open', '/tmp/x'), 'already exists: cannot open /tmp/x; remove it or choose another path'],
    [
      sysError('EMFILE', 'open', '/data/a.png'),
      'too many open files: cannot open /data/a.png; raise the limit (ulimit -n) or close other programs',
    ],
    [
      sysError('ENFILE', 'open', '/x'),
      'the system has too many open files: cannot open /x; close other programs and try again',
    ],
    [
      sysError('ENOMEM', 'read', '/big.png'),
      'out of memory: cannot read /big.png; close other programs, or use smaller images (fcn predict --tile runs any size in bounded memory)',
    ],
    [
      sysError('ENOTDIR', 'mkdir', '/tmp/file/sub'),
      'not a directory: cannot create the directory /tmp/file/sub; a part of the path is a file: fix the path',
    ],
    [sysError('EISDIR', 'open', '/tmp'), 'is a directory: cannot open /tmp; give a file path'],
    [sysError('ENOENT', 'scandir', '/no/dir'), 'no such file or directory: cannot list /no/dir; check the path'],
    [sysError('ENAMETOOLONG', 'open', '/x'), 'file name too long: cannot open /x; use a shorter path'],
    // No path (write(2) has none), an unknown syscall.
    [
      sysError('ENOSPC', 'write'),
      'no space left on the device: while trying to write; free some space there (df -h shows which disk is full) or write elsewhere',
    ],
    [
      sysError('EACCES', 'utime', '/x'),
      'permission denied: cannot use /x (utime); check the permissions of the file and its directory, or use another path',
    ],
  ];
  for (const [e, message] of cases) t.is(environmentMessage(e), message, e.code);
});

test('running out of memory is recognised: wasm heap, V8 buffers, TensorFlow; other errors are not the environment', (t) => {
  const heap = new WasmHeapError(5 * 2 ** 30);
  t.true(isOutOfMemory(heap));
  t.is(
    environmentMessage(heap),
    `${heap.message}: use smaller images, or fcn predict --tile to run any size in bounded memory`,
  );
  t.regex(heap.message, /^out of wasm memory: cannot allocate 5120 MB/);
  const v8 = new RangeError('Array buffer allocation failed');
  t.true(isOutOfMemory(v8));
  t.is(
    environmentMessage(v8),
    'out of memory: Array buffer allocation failed: use smaller images, or fcn predict --tile to run any size in bounded memory',
  );
  t.true(isOutOfMemory(new Error('OOM when allocating tensor with shape[1,64,3000,2000]')));
  t.false(isOutOfMemory(new TypeError("Cannot read properties of undefined (reading 'shape')")));
  t.is(environmentMessage(new TypeError('x is undefined')), undefined);
  t.is(environmentMessage(Object.assign(new Error('bad'), { code: 'ERR_INVALID_ARG_TYPE' })), undefined);
  t.is(environmentMessage(sysError('ECONNRESET', 'read')), undefined, 'not in the table: a bug until shown otherwise');
});

test('reportFailure: an environment error exits 1 with one line; a bug exits 70 with its trace', (t) => {
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
  let codes: number[];
  try {
    codes = [reportFailure(sysError('ENOSPC', 'write', '/d/x.png')), reportFailure(new TypeError('oops'))];
  } finally {
    process.stderr.write = write;
  }
  t.deepEqual(codes, [1, 70]);
  t.is(
    written[0],
    'fcn: no space left on the device: cannot write /d/x.png; free some space there (df -h shows which disk is full) or write elsewhere\n',
  );
  t.regex(written[1]!, /^fcn: internal error: oops\nThis is a bug in fcn/);
});

test('writing() names the file on an error that has no path, and leaves other paths and errors alone', async (t) => {
  const noPath = await t.throwsAsync(writing('/d/out.png', () => Promise.reject(sysError('ENOSPC', 'write'))));
  t.is((noPath as NodeJS.ErrnoException).path, '/d/out.png');
  const withPath = await t.throwsAsync(
    writing('/d/out.png', () => Promise.reject(sysError('EACCES', 'open', '/d/.tmp'))),
  );
  t.is((withPath as NodeJS.ErrnoException).path, '/d/.tmp');
  const bug = new TypeError('oops');
  t.is(await t.throwsAsync(writing('/d/out.png', () => Promise.reject(bug))), bug);
  t.is(await writing('/d/out.png', async () => 7), 7);
});
