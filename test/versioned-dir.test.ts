// Directories replaced atomically (src/util/atomic.ts, layout in src/util/versioned-dir.ts): a
// writer killed right after any one of its file-system calls, or at random moments while it
// writes checkpoints, always leaves a complete version that loads; the next write removes what
// killed writers left; readers take the newest complete version even when the pointer lags or
// is gone. The writers are child processes running the built code (dist/): build first.
import test from 'ava';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/data/random.js';
import { loadModel } from '../src/runtime/index.js';
import { loadCheckpoint, resolveModelDir } from '../src/train/index.js';
import { currentVersion, writeDirAtomic } from '../src/util/index.js';
import { MICRO_NET } from './helpers/micro.js';
import { useWasm } from './helpers/tf.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const NET = MICRO_NET;
const DIR_WRITER = join(repo, 'test/helpers/dir-writer.mjs');
const CHECKPOINT_WRITER = join(repo, 'test/helpers/checkpoint-writer.mjs');

let root: string;
test.before(async () => {
  await useWasm();
  root = await mkdtemp(join(tmpdir(), 'fcn-versioned-'));
});
test.after.always(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/**
 * Runs a child until it exits, or until its stdout says `until` (then SIGKILLs it after
 * `delay(lines)` ms, `lines` being what it printed so far). Resolves to those lines.
 */
function runChild(args: string[], until?: RegExp, delay: (lines: string[]) => number = () => 0): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let buffered = '';
    let killing = false;
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (!killing && until?.test(line)) {
          killing = true;
          setTimeout(() => child.kill('SIGKILL'), delay(lines));
        }
      }
    });
    child.on('close', (code, signal) => {
      if (until && signal !== 'SIGKILL') reject(new Error(`child ended (${code}) before ${until}: ${stderr}`));
      else if (!until && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(lines);
    });
  });
}

/** The version a dir-writer directory holds, read by plain paths as any program would; undefined if there is none. Throws if it is not whole. */
function readWhole(dir: string): number | undefined {
  if (!existsSync(dir)) return undefined;
  const tag = JSON.parse(readFileSync(join(dir, 'tag.json'), 'utf8')) as { version: number; sha256: string };
  const sha = createHash('sha256')
    .update(readFileSync(join(dir, 'data.bin')))
    .digest('hex');
  if (sha !== tag.sha256) throw new Error(`${dir}: data.bin is not version ${tag.version}'s`);
  return tag.version;
}

test.serial('a writer killed right after any one of its file-system calls leaves a complete version', async (t) => {
  // A dry run: how many calls three writes take (create, replace, replace and prune).
  const dry = await runChild([DIR_WRITER, join(root, 'dry'), '3']);
  const calls = dry.map((l) => Number(l.split(' ')[2]));
  const [firstDone, , total] = calls as [number, number, number];
  t.log(`calls per write: ${calls.join(', ')}`);
  t.true(firstDone >= 4 && total > firstDone);
  for (let k = 1; k <= total; k++) {
    const dir = join(root, `k${k}`);
    const paused = (await runChild([DIR_WRITER, dir, '3', String(k)], /^paused /)).at(-1);
    const version = readWhole(dir);
    if (k >= firstDone) t.not(version, undefined, `killed after call ${k} (${paused}): ${dir} is missing`);
    // fcn's readers see a complete version too, never older than what plain paths show.
    if (version !== undefined) {
      const newest = JSON.parse(readFileSync(join(currentVersion(dir), 'tag.json'), 'utf8')) as { version: number };
      t.true(newest.version >= version, `after call ${k}: newest ${newest.version}, pointer ${version}`);
    }
  }
  // One more write over each leaves a whole directory and nothing of the killed writers.
  for (let k = 1; k <= total; k++) {
    const dir = join(root, `k${k}`);
    await runChild([DIR_WRITER, dir, '1']);
    t.is(readWhole(dir), 1);
    const left = readdirSync(dir).filter((e) => !/^(\.current|\.v\d{6}|data\.bin|tag\.json)$/.test(e));
    t.deepEqual(left, [], `k${k}`);
    t.true(readdirSync(dir).filter((e) => e.startsWith('.v')).length <= 2, `k${k} keeps at most two versions`);
  }
  t.deepEqual(
    readdirSync(root).filter((e) => e.startsWith('.')),
    [],
    'no temporaries left beside the directories',
  );
});

test.serial('a checkpoint writer killed at random moments always leaves a checkpoint that loads', async (t) => {
  const run = join(root, 'run');
  const rng = new Rng(2024);
  let next = 1;
  let lastWriteMs = 50;
  for (let kill = 0; kill < 8; kill++) {
    // Kill after the first checkpoint of this process, somewhere within the next three writes.
    const lines = await runChild([CHECKPOINT_WRITER, run, NET, String(next)], /^saved /, (seen) => {
      lastWriteMs = Number(seen.at(-1)!.split(' ')[2]);
      return rng.int(3 * lastWriteMs + 1);
    });
    const saved = lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.split(' ')[1]));
    const ckpt = await loadCheckpoint(run);
    const it = ckpt.state.iteration;
    t.true(it >= saved.at(-1)!, `kill ${kill}: checkpoint ${it}, last saved ${saved.at(-1)}`);
    for (const w of ckpt.model.getWeights())
      t.true(
        w.dataSync().every((v) => v === it),
        `a weight of ${it}`,
      );
    for (const h of Object.values(ckpt.optimizer.history)) t.true(h.dataSync().every((v) => v === it));
    // By plain paths (fcn predict RUN/checkpoint/model), the pointer's version: the newest or the one before.
    const plain = await loadModel(join(run, 'checkpoint', 'model'));
    const value = plain.model.getWeights()[0]!.dataSync()[0]!;
    t.true(value === it || value === it - 1, `plain path: ${value}, newest ${it}`);
    // fcn eval RUN (an unfinished run): the newest complete checkpoint's model.
    const resolved = resolveModelDir(run);
    t.is(resolved.dir, join(currentVersion(join(run, 'checkpoint')), 'model'));
    const evaluated = await loadModel(resolved.dir);
    t.true(evaluated.model.getWeights()[0]!.dataSync()[0] === it);
    ckpt.model.dispose();
    plain.model.dispose();
    evaluated.model.dispose();
    tf.dispose(Object.values(ckpt.optimizer.history));
    next = it + 1;
  }
  t.log(`8 kills, checkpoints up to ${next - 1}, ${lastWriteMs} ms per checkpoint`);
  // The two kept, plus at most one that a writer killed before pruning published.
  const versions = readdirSync(join(run, 'checkpoint')).filter((e) => /^\.v\d+$/.test(e));
  t.true(versions.length <= 3, versions.join());
});

test('readers take the newest complete version when the pointer lags or is gone, and skip temporaries', async (t) => {
  const dir = join(root, 'lagging');
  const kind = { what: 'a test directory', marker: 'n', test: () => true };
  const write = (n: string) => writeDirAtomic(dir, (tmp) => writeFile(join(tmp, 'n'), n), { kind });
  const newest = () => readFileSync(join(currentVersion(dir), 'n'), 'utf8');
  await write('1');
  await write('2');
  t.is(readlinkSync(join(dir, '.current')), '.v000002');
  // A writer that died after publishing .v000003 but before swapping the pointer…
  mkdirSync(join(dir, '.v000003'));
  writeFileSync(join(dir, '.v000003', 'n'), '3');
  // …and one that died while filling .v000004 (pid 1 is init: alive, so it is not cleaned, only skipped).
  mkdirSync(join(dir, '..v000004.1.0000abcd.tmp'));
  t.is(newest(), '3');
  t.is(readFileSync(join(dir, 'n'), 'utf8'), '2', 'plain paths follow the pointer');
  rmSync(join(dir, '.current'));
  t.is(newest(), '3');
  // A plain directory (no versions) is read as it is.
  t.is(currentVersion(join(root, 'plain')), join(root, 'plain'));
  // The next write repairs the pointer and keeps two versions.
  await write('5');
  t.is(readlinkSync(join(dir, '.current')), '.v000004');
  t.is(readFileSync(join(dir, 'n'), 'utf8'), '5');
  t.deepEqual(readdirSync(dir).sort(), ['..v000004.1.0000abcd.tmp', '.current', '.v000003', '.v000004', 'n']);
  t.true(lstatSync(join(dir, 'n')).isSymbolicLink());
});
