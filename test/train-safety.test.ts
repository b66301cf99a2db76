// fcn train and the files of a run, through the built CLI (bin/fcn.js → dist/: build first):
// a run another process is training cannot be trained again (RUN/.lock), a stale lock is taken
// over with a warning and every lock is released however the process ends; resuming a finished
// run touches nothing; SIGTERM stops like Ctrl-C, with a checkpoint; --out naming a file is a
// one-line user error.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint, prepareNewRun, runTraining } from '../src/train/index.js';
import { runFcn as fcn } from './helpers/cli.js';
import { snapshotTree, statTree } from './helpers/tree.js';
import { MICRO_NET, writeMicroData } from './helpers/micro.js';
import { useWasm } from './helpers/tf.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const NET = MICRO_NET;

let root: string;
let data: string;

test.before(async () => {
  await useWasm();
  root = await mkdtemp(join(tmpdir(), 'fcn-train-safety-'));
  data = join(root, 'data');
  await writeMicroData(data);
});

/** Background trainings, stopped for good when the tests end, whatever happened. */
const children: ChildProcess[] = [];

test.after.always(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (root) await rm(root, { recursive: true, force: true });
});

/** Starts `fcn train` in the background; `training` resolves once steps are under way. */
function startTraining(...args: string[]): {
  child: ChildProcess;
  training: Promise<void>;
  done: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn('node', ['bin/fcn.js', 'train', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  let started!: () => void;
  const training = new Promise<void>((resolve) => (started = resolve));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (/\niter \d+/.test(stderr)) started();
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      started();
      resolve({ code, stderr });
    }),
  );
  return { child, training, done };
}

const lockPath = (run: string): string => join(run, '.lock');

test.serial('a run another process is training cannot be resumed: exit 1, naming its pid', async (t) => {
  const run = join(root, 'busy');
  const first = startTraining(NET, '--data', data, '--out', run, '--iters', '20000', '--backend', 'wasm');
  await first.training;
  const lock = JSON.parse(readFileSync(lockPath(run), 'utf8')) as { pid: number; hostname: string; started: string };
  t.is(lock.pid, first.child.pid!);
  t.is(lock.hostname, hostname());
  const second = await fcn('train', '--resume', run, '--backend', 'wasm');
  t.is(second.code, 1, second.stderr);
  t.is(
    second.stderr,
    `fcn: ${run} is in use by another fcn process (pid ${first.child.pid}, since ${lock.started}); wait for it to end, or stop it\n`,
  );
  first.child.kill('SIGINT');
  const end = await first.done;
  t.is(end.code, 130, end.stderr);
  t.false(existsSync(lockPath(run)), 'the lock is released when the run stops');
});

test.serial(
  'a stale lock (its process is gone) is taken over with a warning; locks are released on errors',
  async (t) => {
    const run = join(root, 'stale');
    const prepared = await prepareNewRun({ source: NET, data, out: run, flags: { iters: 2, evalEvery: 0 } });
    await runTraining(prepared);
    t.false(existsSync(lockPath(run)));
    // A process that has ended: its pid is free.
    const gone = spawn('node', ['-e', '']);
    await new Promise((resolve) => gone.on('close', resolve));
    const stale = { pid: gone.pid, hostname: hostname(), started: '2020-01-01T00:00:00.000Z' };
    writeFileSync(lockPath(run), JSON.stringify(stale) + '\n');
    const resumed = await fcn('train', '--resume', run, '--iters', '3', '--backend', 'wasm');
    t.is(resumed.code, 0, resumed.stderr);
    t.true(
      resumed.stderr.startsWith(
        `fcn: warning: ${lockPath(run)} was left by pid ${gone.pid}, which no longer runs; taking it over\n`,
      ),
      resumed.stderr,
    );
    t.false(existsSync(lockPath(run)), 'released at the end');
    const failed = await fcn('train', '--resume', run, '--iters', '4', '--data', join(root, 'no-such-data'));
    t.is(failed.code, 1, failed.stderr);
    t.false(existsSync(lockPath(run)), 'released after an error');
  },
);

test.serial('resuming a finished run says so and touches nothing', async (t) => {
  const run = join(root, 'finished');
  const prepared = await prepareNewRun({ source: NET, data, out: run, flags: { iters: 2, evalEvery: 0 } });
  await runTraining(prepared);
  const bytes = snapshotTree(run);
  const stats = statTree(run);
  t.true('summary.json' in bytes);
  for (const args of [[], ['--iters', '2']]) {
    const r = await fcn('train', '--resume', run, ...args);
    t.is(r.code, 0, r.stderr);
    t.is(r.stderr, `fcn train: ${run} already finished at iteration 2; to train longer, pass --iters M with M > 2\n`);
    t.is(r.stdout, '');
  }
  t.deepEqual(snapshotTree(run), bytes);
  t.deepEqual(statTree(run), stats);
});

test.serial('SIGTERM stops fcn train after the step, with a checkpoint and the resume hint: exit 143', async (t) => {
  const run = join(root, 'term');
  const job = startTraining(NET, '--data', data, '--out', run, '--iters', '20000', '--backend', 'wasm');
  await job.training;
  job.child.kill('SIGTERM');
  const { code, stderr } = await job.done;
  t.is(code, 143, stderr);
  const stopped = /stopped at iteration (\d+) of 20000; checkpoint written to (.*)\n/.exec(stderr);
  t.truthy(stopped, stderr);
  t.is(stopped![2], join(run, 'checkpoint'));
  t.true(stderr.includes(`resume with: fcn train --resume ${run}\n`), stderr);
  const ckpt = await loadCheckpoint(run);
  t.is(ckpt.state.iteration, Number(stopped![1]));
  ckpt.model.dispose();
  t.false(existsSync(lockPath(run)));
});

test('fcn train --out naming a file is a one-line error, exit 1, and the file is kept', async (t) => {
  const file = join(root, 'notes.txt');
  writeFileSync(file, 'keep me\n');
  const r = await fcn('train', NET, '--data', data, '--out', file, '--backend', 'wasm');
  t.is(r.code, 1);
  t.is(r.stderr, `fcn: --out ${file}: is a file, not a run directory; choose another --out\n`);
  t.is(readFileSync(file, 'utf8'), 'keep me\n');
});
