// What fcn commands may replace (src/util/output.ts): an output path is replaced only when it is
// absent, an empty directory, or an fcn output of the same kind (its marker file says so), or
// with --force; anything else is refused with one line and left exactly as it was. Runs the
// built CLI (bin/fcn.js → dist/): build first.
import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFcn as fcn } from './helpers/cli.js';
import { MICRO_NET } from './helpers/micro.js';
import { snapshotTree } from './helpers/tree.js';

const NET = MICRO_NET;

let root: string;
test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'fcn-outputs-'));
});
test.after.always(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A directory of the user's, with a file and a subdirectory. */
function userDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'notes'), { recursive: true });
  writeFileSync(join(dir, 'thesis.tex'), 'four years of work\n');
  writeFileSync(join(dir, 'notes', 'a.txt'), 'a\n');
  return dir;
}

const seedOf = (dir: string): number =>
  (JSON.parse(readFileSync(join(dir, 'fcn.json'), 'utf8')) as { seed: number }).seed;

test('fcn compile -o refuses a directory fcn did not write, leaving it as it was', async (t) => {
  const dir = userDir('mine');
  const before = snapshotTree(dir);
  const r = await fcn('compile', NET, '-o', dir);
  t.is(r.code, 1);
  t.is(
    r.stderr,
    `fcn: -o ${dir}: exists and is not an fcn model directory (no fcn.json from fcn), so fcn will not replace it; ` +
      'choose another -o, or pass --force to replace it\n',
  );
  t.deepEqual(snapshotTree(dir), before);
});

test('fcn compile -o refuses a regular file, leaving it as it was', async (t) => {
  const file = join(root, 'important.txt');
  writeFileSync(file, 'keep me\n');
  const r = await fcn('compile', NET, '-o', file);
  t.is(r.code, 1);
  t.is(
    r.stderr,
    `fcn: -o ${file}: is a file, not an fcn model directory, so fcn will not replace it; ` +
      'choose another -o, or pass --force to replace it\n',
  );
  t.is(readFileSync(file, 'utf8'), 'keep me\n');
});

test('fcn compile -o replaces its own model directory and an empty one; --force replaces anything', async (t) => {
  const model = join(root, 'model');
  t.is((await fcn('compile', NET, '-o', model, '--seed', '1')).code, 0);
  t.is(seedOf(model), 1);
  const again = await fcn('compile', NET, '-o', model, '--seed', '2');
  t.is(again.code, 0, again.stderr);
  t.is(seedOf(model), 2);

  const empty = join(root, 'empty');
  mkdirSync(empty);
  t.is((await fcn('compile', NET, '-o', empty)).code, 0);
  t.is(seedOf(empty), 0);

  const forced = userDir('forced');
  t.is((await fcn('compile', NET, '-o', forced, '--force', '--seed', '3')).code, 0);
  t.is(seedOf(forced), 3);
  t.deepEqual(Object.keys(snapshotTree(forced)).sort(), ['fcn.json', 'model.json', 'weights.bin']);
});

test('fcn synth --out refuses a directory that is not a synth dataset; --force replaces it', async (t) => {
  const dir = userDir('data');
  const before = snapshotTree(dir);
  const r = await fcn('synth', '--out', dir, '--count', '2');
  t.is(r.code, 1);
  t.is(
    r.stderr,
    `fcn: --out ${dir}: exists and is not an fcn synth dataset (no synth.json from fcn), so fcn will not replace it; ` +
      'choose another --out, or pass --force to replace it\n',
  );
  t.deepEqual(snapshotTree(dir), before);
  t.is((await fcn('synth', '--out', dir, '--count', '2', '--force')).code, 0);
  t.true('synth.json' in snapshotTree(dir));
});

test('fcn demo --out refuses a regular file with one line', async (t) => {
  const file = join(root, 'demo.txt');
  writeFileSync(file, 'keep me\n');
  const r = await fcn('demo', '--out', file);
  t.is(r.code, 1);
  t.is(
    r.stderr,
    `fcn: --out ${file}: is a file, not an fcn demo directory, so fcn will not replace it; choose another --out\n`,
  );
  t.is(readFileSync(file, 'utf8'), 'keep me\n');
});
