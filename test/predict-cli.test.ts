// Runs the built CLI (bin/fcn.js → dist/): build first with `npx tsc -p tsconfig.build.json` (`npm test` does).
import test from 'ava';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encodeImagePng, readLabel, type RgbImage } from '../src/data/index.js';
import { readNpy } from '../src/runtime/npy.js';

const run = promisify(execFile);
const sh = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'fcn.js');

async function fcn(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [bin, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A height×width image of smooth colours (deterministic). */
function image(height: number, width: number): RgbImage {
  const data = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([(x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256], (y * width + x) * 3);
  return { height, width, data };
}

let dir = '';
let model = '';
const img = (h: number, w: number) => join(dir, `img${h}x${w}.png`);

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fcn-predict-'));
  model = join(dir, 'tiny');
  const compiled = await fcn(repo, 'compile', 'nets/tiny-fcn8s-padded.fcn', '-o', model);
  if (compiled.code !== 0) throw new Error(compiled.stderr);
  for (const [h, w] of [
    [8, 8],
    [70, 70],
    [75, 100],
    [64, 64],
  ] as const)
    await writeFile(img(h, w), encodeImagePng(image(h, w)));
});

const noStack = (t: import('ava').ExecutionContext, stderr: string) => t.notRegex(stderr, /\n\s+at |internal error/);

test('predict on an image smaller than the net takes: exit 1, the compiler diagnostic, the runs that work, the nearest size', async (t) => {
  const r = await fcn(repo, 'predict', model, img(8, 8), '-o', join(dir, 'out.png'));
  t.is(r.code, 1);
  noStack(t, r.stderr);
  t.regex(r.stderr, /^error\[size-collapse\]: layer 'fc6' collapses at input 8x8/);
  t.regex(r.stderr, /--> nets\/tiny-fcn8s-padded\.fcn:\d+:\d+/);
  t.regex(r.stderr, /= help: the smallest input this net accepts is 51x51\n/);
  t.true(
    r.stderr.endsWith(
      `fcn: net tiny_fcn8s_padded cannot take ${img(8, 8)} (8x8): near that size it takes sides 51–66; ` +
        'the nearest size that works is 51x51 (resize it)\n',
    ),
    r.stderr,
  );
});

test('predict on 70x70 and 75x100 (between working sizes): exit 1 with the sizes that work and the nearest', async (t) => {
  const a = await fcn(repo, 'predict', model, img(70, 70), '-o', join(dir, 'out.png'));
  t.is(a.code, 1);
  noStack(t, a.stderr);
  t.regex(a.stderr, /^error\[crop-out-of-bounds\]: crop 'score_pool3c' does not fit at input 70x70/);
  t.regex(a.stderr, /= help: the next larger input that works is 83x83\n/);
  t.true(
    a.stderr.endsWith(
      `fcn: net tiny_fcn8s_padded cannot take ${img(70, 70)} (70x70): near that size it takes sides 51–66 or 83–98; ` +
        'the nearest size that works is 66x66 (resize it, or use --tile)\n',
    ),
    a.stderr,
  );
  const b = await fcn(repo, 'predict', model, img(75, 100), '-o', join(dir, 'out.png'));
  t.is(b.code, 1);
  noStack(t, b.stderr);
  t.true(
    b.stderr.endsWith(
      `fcn: net tiny_fcn8s_padded cannot take ${img(75, 100)} (75x100): near that size it takes heights 51–66 or 83–98 ` +
        'and widths 83–98 or 115–130; the nearest size that works is 83x98 (resize it, or use --tile)\n',
    ),
    b.stderr,
  );
});

test('the model directory carries its net: the check works from elsewhere, with the .fcn file out of reach', async (t) => {
  const moved = join(dir, 'moved');
  await cp(model, moved, { recursive: true });
  const r = await fcn(dir, 'predict', moved, img(70, 70), '-o', join(dir, 'out.png'));
  t.is(r.code, 1);
  t.regex(r.stderr, /--> nets\/tiny-fcn8s-padded\.fcn:48:45\n/);
  t.regex(r.stderr, /fcn: net tiny_fcn8s_padded cannot take .*img70x70\.png \(70x70\)/);
  const ok = await fcn(dir, 'predict', moved, img(64, 64), '-o', join(dir, 'ok.png'));
  t.is(ok.code, 0, ok.stderr);
  t.is(ok.stdout, `${img(64, 64)}: ${join(dir, 'ok.png')}\n`);
});

const oneLine = (t: import('ava').ExecutionContext, stderr: string) => t.is(stderr.split('\n').length, 2, stderr);

test('writing where permission is denied (/sys, even for root) exits 1 with one line naming the path', async (t) => {
  const r = await fcn(repo, 'predict', model, img(64, 64), '-o', '/sys/fcn-predict-test.label.png');
  t.is(r.code, 1);
  oneLine(t, r.stderr);
  t.regex(
    r.stderr,
    /^fcn: permission denied: cannot open \/sys\/\S*fcn-predict-test\.label\.png\S*; check the permissions of the file and its directory, or use another path\n$/,
  );
});

test('a regular file where a directory should be: EEXIST and ENOTDIR exit 1 with one line', async (t) => {
  const file = join(dir, 'regular');
  await writeFile(file, 'not a directory');
  const a = await fcn(repo, 'predict', model, img(64, 64), '-o', join(file, 'x.png'));
  t.is(a.code, 1);
  t.is(a.stderr, `fcn: a file is in the way: cannot create the directory ${file}; remove it or choose another path\n`);
  const b = await fcn(repo, 'predict', model, img(64, 64), '-o', join(file, 'sub', 'x.png'));
  t.is(b.code, 1);
  t.is(
    b.stderr,
    `fcn: not a directory: cannot create the directory ${join(file, 'sub')}; a part of the path is a file: fix the path\n`,
  );
});

/** Mounts a small tmpfs at a new directory (root only); undefined, with the reason logged, where that is not possible. */
async function tmpfs(t: import('ava').ExecutionContext, options: string): Promise<string | undefined> {
  const at = await mkdtemp(join(tmpdir(), 'fcn-tmpfs-'));
  try {
    await sh('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', at]);
  } catch (e) {
    t.log(`skipped: cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]})`);
    return undefined;
  }
  t.teardown(() => sh('umount', [at]).then(() => undefined));
  return at;
}

test('a full disk (a 64 kB tmpfs, filled) exits 1 with one line naming the file being written', async (t) => {
  const full = await tmpfs(t, 'size=64k');
  if (!full) return t.pass();
  await sh('dd', ['if=/dev/zero', `of=${join(full, 'fill')}`, 'bs=4k']).catch(() => undefined);
  const r = await fcn(repo, 'predict', model, img(64, 64), '-o', join(full, 'out.png'));
  t.is(r.code, 1);
  t.is(
    r.stderr,
    `fcn: no space left on the device: cannot write ${join(full, 'out.png')}; ` +
      'free some space there (df -h shows which disk is full) or write elsewhere\n',
  );
});

test('a read-only file system exits 1 with one line', async (t) => {
  const ro = await tmpfs(t, 'ro,size=64k');
  if (!ro) return t.pass();
  const r = await fcn(repo, 'predict', model, img(64, 64), '-o', join(ro, 'out.png'));
  t.is(r.code, 1);
  oneLine(t, r.stderr);
  t.regex(r.stderr, new RegExp(`^fcn: read-only file system: cannot open ${ro}/\\S*out\\.png\\S*; write elsewhere\n$`));
});

test('an image too big for the wasm heap exits 1 with one line: the memory it needs, the largest size that fits, --tile', async (t) => {
  // One 1024-channel blob: 4.6 GB at 1100x1100, more than wasm's 4 GB heap can ever hold.
  // 686x686, the size it names, was run by hand: it fits (3.96 GB resident).
  const hog = join(dir, 'hog');
  await mkdir(hog, { recursive: true });
  await writeFile(
    join(hog, 'hog.fcn'),
    'net hog {\n  input data { channels: 3 }\n  wide: conv { out: 1024  kernel: 1 }\n  score: conv { out: 2  kernel: 1 }\n}\n',
  );
  t.is((await fcn(hog, 'compile', 'hog.fcn', '-o', 'model')).code, 0);
  await writeFile(join(hog, 'big.png'), encodeImagePng(image(1100, 1100)));
  const r = await fcn(hog, 'predict', 'model', 'big.png', '-o', 'big.label.png', '--backend', 'wasm');
  t.is(r.code, 1);
  t.is(
    r.stderr,
    'fcn: out of memory running net hog on big.png (1100x1100): a forward pass at 1100x1100 needs about 9.2 GB, ' +
      'the wasm heap holds at most 4.0 GB; the largest size that fits is about 686x686: resize the image to it, or use --tile\n',
  );
});

test('--tile runs an image the net cannot take whole (70x70) in 66x66 tiles; --scores and -v work with it', async (t) => {
  const out = join(dir, 'tiled70.png');
  const scores = join(dir, 'tiled70.npy');
  const r = await fcn(repo, 'predict', model, img(70, 70), '-o', out, '--scores', scores, '--tile', '-v');
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `${img(70, 70)}: ${out}, ${scores}\n`);
  t.true(
    r.stderr.endsWith(
      `${img(70, 70)}: 2x2 tiles of 66x66, margin 150 (overlap short of 2x the margin or off the grid: a border effect may show)\n`,
    ),
    r.stderr,
  );
  const label = await readLabel(out);
  t.deepEqual([label.width, label.height], [70, 70]);
  t.deepEqual((await readNpy(scores)).shape, [4, 70, 70]);
});

test('--tile on an image the net takes whole and no larger than the tile is one tile: the same bytes as without', async (t) => {
  const plain = await fcn(
    repo,
    'predict',
    model,
    img(64, 64),
    '-o',
    join(dir, 'p.png'),
    '--scores',
    join(dir, 'p.npy'),
  );
  const tiled = await fcn(
    repo,
    'predict',
    model,
    img(64, 64),
    '-o',
    join(dir, 't.png'),
    '--scores',
    join(dir, 't.npy'),
    '--tile',
    '300',
  );
  t.is(plain.code, 0, plain.stderr);
  t.is(tiled.code, 0, tiled.stderr);
  t.deepEqual(await readFile(join(dir, 't.png')), await readFile(join(dir, 'p.png')));
  t.deepEqual(await readFile(join(dir, 't.npy')), await readFile(join(dir, 'p.npy')));
});

test('--tile smaller than any tile the net takes is misuse (exit 2); an image too small to tile gets the diagnostic', async (t) => {
  const small = await fcn(repo, 'predict', model, img(70, 70), '-o', join(dir, 'x.png'), '--tile', '40');
  t.is(small.code, 2);
  t.is(small.stderr, 'fcn: --tile 40 is smaller than any tile net tiny_fcn8s_padded takes (the smallest is 51x51)\n');
  const tiny = await fcn(repo, 'predict', model, img(8, 8), '-o', join(dir, 'x.png'), '--tile');
  t.is(tiny.code, 1);
  t.regex(tiny.stderr, /^error\[size-collapse\]/);
  t.true(tiny.stderr.endsWith('the nearest size that works is 51x51 (resize it)\n'), tiny.stderr);
});
