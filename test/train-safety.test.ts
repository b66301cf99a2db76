// fcn train and the files of a run, through the built CLI (bin/fcn.js → dist/: build first):
// --out naming a file is a one-line user error.
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFcn as fcn } from './helpers/cli.js';
import { MICRO_NET, writeMicroData } from './helpers/micro.js';
import { useWasm } from './helpers/tf.js';

const NET = MICRO_NET;

let root: string;
let data: string;

test.before(async () => {
  await useWasm();
  root = await mkdtemp(join(tmpdir(), 'fcn-train-safety-'));
  data = join(root, 'data');
  await writeMicroData(data);
});

test.after.always(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

test('fcn train --out naming a file is a one-line error, exit 1, and the file is kept', async (t) => {
  const file = join(root, 'notes.txt');
  writeFileSync(file, 'keep me\n');
  const r = await fcn('train', NET, '--data', data, '--out', file, '--backend', 'wasm');
  t.is(r.code, 1);
  t.is(r.stderr, `fcn: --out ${file}: is a file, not a run directory; choose another --out\n`);
  t.is(readFileSync(file, 'utf8'), 'keep me\n');
});
