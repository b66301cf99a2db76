// Runs the built CLI (bin/fcn.js → dist/): build first with `npx tsc -p tsconfig.build.json` (`npm test` does).
import test from 'ava';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encodeImagePng, type RgbImage } from '../src/data/index.js';

const run = promisify(execFile);
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
  const compiled = await fcn(repo, 'compile', 'nets/tiny-fcn8s.fcn', '-o', model);
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
  t.regex(r.stderr, /--> nets\/tiny-fcn8s\.fcn:\d+:\d+/);
  t.regex(r.stderr, /= help: the smallest input this net accepts is 51x51\n/);
  t.true(
    r.stderr.endsWith(
      `fcn: net tiny_fcn8s cannot take ${img(8, 8)} (8x8): near that size it takes sides 51–66; ` +
        'the nearest size that works is 51x51 (resize it, or use --tile)\n',
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
      `fcn: net tiny_fcn8s cannot take ${img(70, 70)} (70x70): near that size it takes sides 51–66 or 83–98; ` +
        'the nearest size that works is 66x66 (resize it, or use --tile)\n',
    ),
    a.stderr,
  );
  const b = await fcn(repo, 'predict', model, img(75, 100), '-o', join(dir, 'out.png'));
  t.is(b.code, 1);
  noStack(t, b.stderr);
  t.true(
    b.stderr.endsWith(
      `fcn: net tiny_fcn8s cannot take ${img(75, 100)} (75x100): near that size it takes heights 51–66 or 83–98 ` +
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
  t.regex(r.stderr, /--> nets\/tiny-fcn8s\.fcn:49:45\n/);
  t.regex(r.stderr, /fcn: net tiny_fcn8s cannot take .*img70x70\.png \(70x70\)/);
  const ok = await fcn(dir, 'predict', moved, img(64, 64), '-o', join(dir, 'ok.png'));
  t.is(ok.code, 0, ok.stderr);
  t.is(ok.stdout, `${img(64, 64)}: ${join(dir, 'ok.png')}\n`);
});
