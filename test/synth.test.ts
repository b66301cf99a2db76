import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  SYNTH_DEFAULTS,
  VocDataset,
  readLabel,
  readSynthManifest,
  renderSynthExample,
  synthClassNames,
  writeSynthDataset,
  type SynthOptions,
} from '../src/data/index.js';
import { snapshotTree } from './helpers/tree.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));
const tmp = () => mkdtemp(join(tmpdir(), 'fcn-synth-'));

/** Every file under a directory as a user sees it (helpers/tree.ts), by relative path, with its bytes. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  return new Map(Object.entries(snapshotTree(dir)));
}

test('fcn synth writes byte-identical files for the same seed, different ones for another seed', async (t) => {
  const dir = await tmp();
  const synth = (out: string, seed: number) =>
    run('node', ['bin/fcn.js', 'synth', '--out', join(dir, out), '--count', '6', '--seed', String(seed)], {
      cwd: repo,
    });
  const { stdout } = await synth('a', 11);
  t.is(
    stdout,
    `wrote 6 images (5 train, 1 val), 64x64, 4 classes (background, disc, ring, cross), seed 11 to ${join(dir, 'a')}\n`,
  );
  await synth('b', 11);
  await synth('c', 12);
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => snapshot(join(dir, d))));
  t.is(a.size, 6 * 2 + 4); // images, labels, three split lists, synth.json
  t.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [path, bytes] of a) t.true(bytes.equals(b.get(path)!), path);
  t.false(a.get('JPEGImages/synth_0000.png')!.equals(c.get('JPEGImages/synth_0000.png')!));
  // Running again over an earlier output replaces it.
  await synth('a', 12);
  t.true(
    (await snapshot(join(dir, 'a'))).get('JPEGImages/synth_0000.png')!.equals(c.get('JPEGImages/synth_0000.png')!),
  );
});

test('splits: train and val partition the images, and the VOC loader reads them', async (t) => {
  const dir = join(await tmp(), 'ds');
  const options: SynthOptions = { ...SYNTH_DEFAULTS, count: 10, size: [40, 48], classes: 6, seed: 4, valFraction: 0.3 };
  const manifest = await writeSynthDataset(dir, options);
  t.like(manifest, { count: 10, train: 7, val: 3, classes: 6, size: [40, 48] });
  t.deepEqual(manifest.names, ['background', 'disc', 'ring', 'cross', 'triangle', 'square']);
  t.deepEqual(await readSynthManifest(dir), manifest);
  const train = await VocDataset.open(dir, { split: 'train', classes: 6 });
  const val = await VocDataset.open(dir, { split: 'val', classes: 6 });
  t.is(train.length, 7);
  t.is(val.length, 3);
  t.deepEqual([...train.ids, ...val.ids], (await VocDataset.open(dir, { split: 'trainval' })).ids);
  t.is(new Set([...train.ids, ...val.ids]).size, 10);
  // The last image is val's last; the files hold exactly what the renderer draws.
  const { image, label } = await val.loadRaw(val.ids[2]!);
  t.deepEqual(image, renderSynthExample(options, 9).image);
  t.deepEqual(label, renderSynthExample(options, 9).label);
  t.is((await readLabel(val.labelPath(val.ids[0]!))).format, 'palette');
});

test('labels stay in [0, classes) and every class occurs', async (t) => {
  const options: SynthOptions = { ...SYNTH_DEFAULTS, classes: 10, seed: 8 };
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 40; i++) for (const v of renderSynthExample(options, i).label.data) counts[v]!++;
  t.deepEqual(
    counts.map((c, v) => (c > 0 ? v : -1)).filter((v) => v >= 0),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  t.is(synthClassNames(10).length, 10);
});

/**
 * Colour must not give the class away: over 120 images of the default dataset, the classes'
 * mean colours lie close together (with ~100 objects per class, a class mean varies by about
 * 9 per channel, so 35 is ~4σ for a difference; a colour-coded class would differ by 100 or
 * more), and a colour-histogram classifier trained on half the images does no better on the
 * other half than always guessing the most frequent object class.
 */
test('colour does not determine the class', (t) => {
  const o = SYNTH_DEFAULTS;
  const K = o.classes;
  const BINS = 8; // per channel: 512 colour cells
  const sums = Array.from({ length: K }, () => [0, 0, 0]);
  const pixels = new Array<number>(K).fill(0);
  const hist = Array.from({ length: K }, () => new Array<number>(BINS ** 3).fill(0));
  const test: Array<[cell: number, cls: number]> = [];
  for (let i = 0; i < 120; i++) {
    const { image, label } = renderSynthExample(o, i);
    label.data.forEach((c, p) => {
      const [r, g, b] = image.data.subarray(3 * p, 3 * p + 3) as unknown as number[];
      sums[c]![0] += r!;
      sums[c]![1] += g!;
      sums[c]![2] += b!;
      pixels[c]!++;
      if (c === 0) return;
      const cell =
        (Math.floor((r! * BINS) / 256) * BINS + Math.floor((g! * BINS) / 256)) * BINS + Math.floor((b! * BINS) / 256);
      if (i < 60) hist[c]![cell]!++;
      else test.push([cell, c]);
    });
  }
  const means = sums.map((s, c) => s.map((v) => v / pixels[c]!));
  for (let ch = 0; ch < 3; ch++) {
    const values = means.map((m) => m[ch]!);
    t.true(
      Math.max(...values) - Math.min(...values) < 35,
      `channel ${ch} class means ${values.map((v) => v.toFixed(1)).join(', ')}`,
    );
  }
  let correct = 0;
  const freq = new Array<number>(K).fill(0);
  for (const [cell, c] of test) {
    let best = 1;
    for (let k = 2; k < K; k++) if (hist[k]![cell]! > hist[best]![cell]!) best = k;
    if (best === c) correct++;
    freq[c]!++;
  }
  const accuracy = correct / test.length;
  const majority = Math.max(...freq) / test.length;
  t.true(accuracy < majority + 0.05, `colour-only accuracy ${accuracy.toFixed(3)} vs majority ${majority.toFixed(3)}`);
});
