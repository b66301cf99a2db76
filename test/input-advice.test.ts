/**
 * The input-size advisor (`fcn inspect`'s "input sizes"): accepted and exact sides per axis,
 * checked side by side against sets derived by hand from each net's published arithmetic
 * (U-Net's valid convolutions and even poolings, DeepLab's 8k + 1, FCN's pad 100, ResNet's
 * stride-2 stages), not against the analysis itself.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  adviseInputSizes,
  describeSides,
  formatInputAdvice,
  inSideSet,
  type InputAdvice,
  relate,
  type SideSet,
} from '../src/compiler/analysis/index.js';
import { compileFile, compileSource } from '../src/compiler/compile.js';

const run = promisify(execFile);
const net = (name: string) => fileURLToPath(new URL(`../nets/${name}`, import.meta.url));

function advise(name: string, input?: [number, number]): InputAdvice {
  const { analysis } = compileFile(net(name));
  if (!analysis) throw new Error(`${name} did not compile`);
  return adviseInputSizes(analysis.ir, analysis.crops.offsets, input);
}

/** The sides 1 … limit where the set and the oracle disagree (none, when they agree). */
function disagreements(set: SideSet, oracle: (n: number) => boolean, limit: number): number[] {
  const bad: number[] = [];
  for (let n = 1; n <= limit; n++) if (inSideSet(set, n) !== oracle(n)) bad.push(n);
  return bad;
}

const ceilPool = (x: number) => Math.ceil((x - 2) / 2) + 1;

/**
 * U-Net (Ronneberger et al. 2015) by hand: two 3×3 valid convs per level (−4), 2×2/2 pooling
 * with Caffe's ceil, 2×2/2 up-convolutions; the skip of each level is cropped to the
 * up-convolution at the paper's offsets 4, 16, 40, 88 (its 64→56, 136→104, 280→200,
 * 568→392 at 572). Accepted: every size positive and every crop fits. Exact: every pooling
 * sees an even size (the paper's tiling rule).
 */
function unet(n: number): { accepted: boolean; exact: boolean } {
  const enc: number[] = [];
  let x = n;
  let exact = true;
  for (let level = 0; level < 5; level++) {
    x -= 4;
    if (x <= 0) return { accepted: false, exact: false };
    enc.push(x);
    if (level < 4) {
      if (x % 2 !== 0) exact = false;
      x = ceilPool(x);
    }
  }
  const offsets = [88, 40, 16, 4];
  for (let level = 3; level >= 0; level--) {
    x *= 2;
    if (offsets[level]! + x > enc[level]!) return { accepted: false, exact: false };
    x -= 4;
    if (x <= 0) return { accepted: false, exact: false };
  }
  return { accepted: true, exact };
}

test('U-Net: every side from 173 is accepted; the exact sides are every 16 from 188 (572 among them), as its arithmetic gives', (t) => {
  const a = advise('unet.fcn', [572, 572]);
  const [h, w] = a.axes;
  t.deepEqual(h, w);
  t.is(a.limit, 173 + 1024);
  t.deepEqual(h.accepted, {
    smallest: 173,
    head: [],
    pattern: { from: 173, period: 1, runs: [{ from: 173, to: 173 }] },
    text: 'every side from 173',
  });
  t.deepEqual(h.exact, {
    smallest: 188,
    head: [],
    pattern: { from: 188, period: 16, runs: [{ from: 188, to: 188 }] },
    text: '188, 204, 220, … (every 16 from 188)',
  });
  t.deepEqual(
    disagreements(h.accepted, (n) => unet(n).accepted, a.limit),
    [],
  );
  t.deepEqual(
    disagreements(h.exact, (n) => unet(n).exact, a.limit),
    [],
  );
  t.deepEqual(a.input, { size: [572, 572], accepted: true, exact: true });
});

test('U-Net at 500: accepted but pool4 rounds; the nearest exact size is 508', (t) => {
  const a = advise('unet.fcn', [500, 500]);
  t.deepEqual(a.input, {
    size: [500, 500],
    accepted: true,
    exact: false,
    rounds: [
      'pool4 rounds its 55-pixel input (55 + 2·0 − 2 = 53, not a multiple of stride 2)',
      'pool4 rounds its 55-pixel input (55 + 2·0 − 2 = 53, not a multiple of stride 2)',
    ],
    nearestExact: [508, 508],
  });
  // By hand: 500 − 4 = 496 → 248 → 244 → 122 → 118 → 59 → 55, odd at pool4.
  t.false(unet(500).exact);
  t.true(unet(508).exact);
  t.deepEqual(formatInputAdvice(a), [
    'input sizes (sides 1–1197 examined):',
    '  accepted: every side from 173',
    '  exact (no layer rounds): 188, 204, 220, … (every 16 from 188)',
    '  500x500 is accepted, not exact: pool4 rounds its 55-pixel input (55 + 2·0 − 2 = 53, not a multiple of stride 2)',
    '  the nearest exact size is 508x508',
  ]);
});

test("DeepLab-LargeFOV: every side accepted; exact sides 8k + 1 (321, 513), where interp's corners meet the image's", (t) => {
  const a = advise('deeplab-largefov.fcn', [321, 321]);
  const [h] = a.axes;
  t.is(h.accepted.text, 'every side from 1');
  t.is(h.exact.text, '1, 9, 17, … (every 8 from 1)');
  // Three 3×3/2 pad-1 poolings each need an odd input: n odd, (n+1)/2 odd, (n+3)/4 odd ⇔ n ≡ 1 (mod 8).
  t.deepEqual(
    disagreements(h.exact, (n) => n % 8 === 1, a.limit),
    [],
  );
  t.deepEqual(
    disagreements(h.accepted, () => true, a.limit),
    [],
  );
  t.deepEqual(a.input, { size: [321, 321], accepted: true, exact: true });
  const at320 = advise('deeplab-largefov.fcn', [320, 320]).input!;
  t.deepEqual(at320.rounds![0], 'pool1 rounds its 320-pixel input (320 + 2·1 − 3 = 319, not a multiple of stride 2)');
  t.deepEqual(at320.nearestExact, [321, 321]);
});

/** A chain of windows (k, s, p, Caffe's rounding): whether every output is positive, and whether none rounds. */
function chain(n: number, layers: Array<[number, number, number, 'floor' | 'ceil']>) {
  let x = n;
  let exact = true;
  for (const [k, s, p, round] of layers) {
    if ((x + 2 * p - k) % s !== 0) exact = false;
    x = (round === 'floor' ? Math.floor : Math.ceil)((x + 2 * p - k) / s) + 1;
    if (x <= 0) return { accepted: false, exact: false };
  }
  return { accepted: true, exact };
}

test('ResNet-50: every side from 3; exact every 32 from 5, from its five stride-2 stages by hand', (t) => {
  const a = advise('resnet50.fcn');
  const [h, w] = a.axes;
  t.deepEqual(h, w);
  t.is(h.accepted.text, 'every side from 3');
  t.is(h.exact.text, '5, 37, 69, … (every 32 from 5)');
  // conv1 7×7/2 pad 3, pool1 3×3/2 (ceil), and the 1×1/2 convolutions opening res3a, res4a, res5a.
  const resnet = (n: number) =>
    chain(n, [
      [7, 2, 3, 'floor'],
      [3, 2, 0, 'ceil'],
      [1, 2, 0, 'floor'],
      [1, 2, 0, 'floor'],
      [1, 2, 0, 'floor'],
    ]);
  t.deepEqual(
    disagreements(h.accepted, (n) => resnet(n).accepted, a.limit),
    [],
  );
  t.deepEqual(
    disagreements(h.exact, (n) => resnet(n).exact, a.limit),
    [],
  );
  t.is(a.input, undefined);
});

test('voc-fcn8s: every side; exact where n + 198 is a multiple of 32 and pool5 is at least fc6 (26, 58, …, not 500)', (t) => {
  const a = advise('voc-fcn8s.fcn', [500, 500]);
  const [h] = a.axes;
  t.is(h.accepted.text, 'every side from 1');
  t.is(h.exact.text, '26, 58, 90, … (every 32 from 26)');
  t.deepEqual(
    disagreements(h.exact, (n) => (n + 198) % 32 === 0 && (n + 198) / 32 >= 7, a.limit),
    [],
  );
  t.deepEqual(
    a.input!.rounds![0],
    'vgg.pool2 rounds its 349-pixel input (349 + 2·0 − 2 = 347, not a multiple of stride 2)',
  );
  t.deepEqual(a.input!.nearestExact, [506, 506]);
});

test('tiny-fcn8s-padded: accepted in runs 32k+19 … 32k+34 from 51; exact every 32 from 66 (n + 30 a multiple of 32)', (t) => {
  const a = advise('tiny-fcn8s-padded.fcn', [75, 100]);
  const [h] = a.axes;
  t.deepEqual(h.accepted, {
    smallest: 51,
    head: [],
    pattern: { from: 51, period: 32, runs: [{ from: 51, to: 66 }] },
    text: '51–66, 83–98, 115–130, … (sides 32k+19 to 32k+34 from 51)',
  });
  t.is(h.exact.text, '66, 98, 130, … (every 32 from 66)');
  t.deepEqual(
    disagreements(h.exact, (n) => inSideSet(h.accepted, n) && (n + 30) % 32 === 0, a.limit),
    [],
  );
  // What predict and eval print for a size that fails, and the nearest exact size.
  t.deepEqual(a.input, {
    size: [75, 100],
    accepted: false,
    exact: false,
    near: 'heights 51–66 or 83–98 and widths 83–98 or 115–130',
    nearest: [83, 98],
    nearestExact: [66, 98],
  });
  t.deepEqual(formatInputAdvice(a).slice(3), [
    '  75x100 is not accepted: near it the net takes heights 51–66 or 83–98 and widths 83–98 or 115–130; the nearest size that works is 83x98',
    '  the nearest exact size is 66x98',
  ]);
});

test('voc-fcn8s-resnet50 has no exact side, and says which layer is to blame at every side', (t) => {
  const [h] = advise('voc-fcn8s-resnet50.fcn').axes;
  t.is(h.exact.smallest, null);
  // The trunk maps res3 pixel 0 to data 2 (pool1 3×3/2 without padding centres its first window at 1),
  // so a corner-aligned resize to the image is off by 2 pixels at every size.
  t.is(
    h.neverExact,
    "score rounds at every accepted side; at side 3: 'fuse_pool3' pixel 0 lies at 2 on 'data', not at 0, so its corners never line up",
  );
  t.is(h.exact.text, `none up to 1027 (${h.neverExact})`);
});

const flags = (limit: number, member: (n: number) => boolean) =>
  Array.from({ length: limit + 1 }, (_, n) => n >= 1 && member(n));

test('describeSides: a head before the pattern, several runs per period, a finite set, no pattern, nothing', (t) => {
  const headed = describeSides(
    flags(400, (n) => n === 5 || (n >= 9 && n <= 12) || (n >= 40 && n % 16 === 8)),
    400,
  );
  t.deepEqual(headed.head, [
    { from: 5, to: 5 },
    { from: 9, to: 12 },
  ]);
  t.deepEqual(headed.pattern, { from: 40, period: 16, runs: [{ from: 40, to: 40 }] });
  t.is(headed.text, '5, 9–12, 40, 56, 72, … (every 16 from 40)');
  t.is(
    describeSides(
      flags(400, (n) => n === 3 || n >= 7),
      400,
    ).text,
    '3 and every side from 7',
  );
  const two = describeSides(
    flags(400, (n) => n % 10 === 1 || n % 10 === 4 || n % 10 === 5),
    400,
  );
  t.is(two.text, '1, 4–5, 11, … (sides 10k+1, 10k+4 to 10k+5 from 1)');
  t.deepEqual(
    disagreements(two, (n) => [1, 4, 5].includes(n % 10), 400),
    [],
  );
  t.is(
    describeSides(
      flags(400, (n) => n >= 3 && n <= 10),
      400,
    ).text,
    '3–10 (none larger up to 400)',
  );
  // Squares: no period.
  const squares = describeSides(
    flags(400, (n) => Number.isInteger(Math.sqrt(n))),
    400,
  );
  t.is(squares.pattern, null);
  t.is(squares.text, '1, 4, 9, 16, 25, 36, … (no repeating pattern up to 400)');
  t.deepEqual(
    describeSides(
      flags(400, () => false),
      400,
    ),
    { smallest: null, head: [], pattern: null, text: 'none up to 400' },
  );
});

test('fcn inspect prints the advisor and --json carries it', async (t) => {
  const text = await run('node', ['bin/fcn.js', 'inspect', 'nets/unet.fcn', '--input', '572x572']);
  t.true(
    text.stdout.includes(
      [
        'input sizes (sides 1–1197 examined):',
        '  accepted: every side from 173',
        '  exact (no layer rounds): 188, 204, 220, … (every 16 from 188)',
        '  572x572 is accepted and exact',
      ].join('\n'),
    ),
    text.stdout,
  );
  const { stdout } = await run('node', ['bin/fcn.js', 'inspect', 'nets/deeplab-largefov.fcn', '--json']);
  const r = JSON.parse(stdout) as { inputSizes: InputAdvice };
  t.is(r.inputSizes.limit, 1025);
  t.is(r.inputSizes.axes[1].exact.text, '1, 9, 17, … (every 8 from 1)');
  t.is(r.inputSizes.input, undefined);
});

test('fcn inspect --input at a size that fails: the diagnostics, then the sizes near it, exit 1', async (t) => {
  const err = await t.throwsAsync(
    run('node', ['bin/fcn.js', 'inspect', 'nets/tiny-fcn8s-padded.fcn', '--input', '75x100']),
  );
  const e = err as unknown as { code: number; stdout: string; stderr: string };
  t.is(e.code, 1);
  t.regex(e.stderr, /error\[crop-out-of-bounds\]: crop 'score_pool3c' does not fit at input 75x100/);
  t.true(
    e.stdout.includes(
      '  75x100 is not accepted: near it the net takes heights 51–66 or 83–98 and widths 83–98 or 115–130; the nearest size that works is 83x98\n  the nearest exact size is 66x98\n',
    ),
  );
});

test('a net that accepts no side says so up to the whole search limit, and where --input fails', (t) => {
  // A 3×3 valid conv makes c two pixels smaller than data, so a crop of c to data's size never fits.
  const { analysis } = compileSource(
    'net none {\n  input data { channels: 3 }\n  c: conv { out: 4  kernel: 3 }\n  x: crop { bottom: c  like: data  offset: 0 }\n}\n',
    '/tmp/none.fcn',
  );
  const a = adviseInputSizes(analysis!.ir, analysis!.crops.offsets, [64, 64]);
  t.is(a.limit, 4096);
  t.deepEqual(a.axes[0].accepted, { smallest: null, head: [], pattern: null, text: 'none up to 4096' });
  t.deepEqual(a.axes[0].exact.text, 'none up to 4096');
  t.is(a.axes[0].neverExact, undefined);
  t.deepEqual(a.input, {
    size: [64, 64],
    accepted: false,
    exact: false,
    near: 'no side up to 4160',
    nearest: null,
    nearestExact: null,
  });
});

/** The blobs whose pixel grid is not centred on the image at side n: their first and last pixels, mapped into data, are not equally far inside its edges. */
function offCentre(name: string, n: number): string[] {
  const { analysis } = compileFile(net(name), { input: [n, n] });
  const { ir } = analysis!;
  const data = ir.inputs[0]!;
  const off: string[] = [];
  for (const node of ir.nodes) {
    const size = analysis!.shapes.shapes[node.id]![1];
    const r = relate(ir, node.id, data, (id) => analysis!.crops.offsets.get(id));
    if (r.kind !== 'related' || size === null || size === undefined) continue;
    const { a, b } = r.map[0];
    const first = b;
    const last = a.mul(size - 1).add(b);
    if (!first.add(last).equals(n - 1)) off.push(node.name);
  }
  return off;
}

test('at an exact side every blob is centred on the image; at a side that rounds some are not', (t) => {
  t.deepEqual(offCentre('unet.fcn', 572), []);
  t.deepEqual(offCentre('voc-fcn8s.fcn', 506), []);
  t.deepEqual(offCentre('deeplab-largefov.fcn', 321), []);
  t.deepEqual(offCentre('resnet50.fcn', 485), []);
  t.true(offCentre('unet.fcn', 500).length > 0);
  t.true(offCentre('voc-fcn8s.fcn', 500).includes('vgg.pool2'));
  t.true(offCentre('deeplab-largefov.fcn', 320).length > 0);
});
