/**
 * Property tests over random conv/pool/deconv chains. The analyses compose affine maps and
 * recurrences; the oracles here work pixel by pixel instead:
 * - crop offsets: track the position (in input pixels) of each output pixel's centre
 *   through the chain, layer by layer, from the taps each pixel actually reads;
 * - receptive fields: collect, for a unit, the input pixels it depends on, by recursion over
 *   the taps of every layer.
 */
import test from 'ava';
import fc from 'fast-check';
import { analyze, inferCrops, Rational } from '../src/compiler/analysis/index.js';
import { IRBuilder } from './helpers/ir.js';

interface Layer {
  op: 'conv' | 'pool' | 'deconv';
  k: number;
  s: number;
  p: number;
  d: number;
}

const downLayer: fc.Arbitrary<Layer> = fc
  .record({
    op: fc.constantFrom('conv' as const, 'pool' as const),
    k: fc.integer({ min: 1, max: 7 }),
    s: fc.integer({ min: 1, max: 3 }),
    p: fc.integer({ min: 0, max: 4 }),
    d: fc.integer({ min: 1, max: 3 }),
  })
  // Caffe pools have no dilation and a pad smaller than the kernel.
  .map((l) => (l.op === 'pool' ? { ...l, d: 1, p: Math.min(l.p, l.k - 1) } : l));

const upLayer = (s: number): fc.Arbitrary<Layer> =>
  fc
    .record({
      k: fc.integer({ min: s, max: 2 * s + 2 }),
      p: fc.integer({ min: 0, max: 3 }),
      d: fc.integer({ min: 1, max: 2 }),
    })
    .map((l) => ({ op: 'deconv' as const, s, ...l }));

/** A chain down (conv/pool), a tap somewhere on it, then deconvs undoing the strides after the tap (sometimes one too many). */
const skipNet = fc
  .record({
    down: fc.array(downLayer, { minLength: 1, maxLength: 5 }),
    tapAt: fc.nat(),
    extra: fc.constantFrom(1, 1, 1, 2, 3),
  })
  .chain(({ down, tapAt, extra }) => {
    const tap = tapAt % (down.length + 1);
    const strides = down.slice(tap).map((l) => l.s);
    strides.reverse();
    if (extra > 1) strides.push(extra);
    return fc.tuple(fc.constant(down), fc.constant(tap), fc.tuple(...strides.map(upLayer)));
  })
  .map(([down, tap, up]) => ({ down, tap, up: up as Layer[] }));

const N = 6;

/** Position, in input pixels, of pixel j of a blob whose pixels 0…N−1 sit at `pos` (evenly spaced, extended beyond). */
function at(pos: Rational[], j: number): Rational {
  return pos[0]!.add(pos[1]!.sub(pos[0]!).mul(j));
}

/** Pixel centres of a layer's output 0…N−1, from the taps each one reads (or, for a deconv, writes). */
function centres(pos: Rational[], l: Layer): Rational[] {
  const taps = (i: number) => Array.from({ length: l.k }, (_, t) => l.s * i - l.p + l.d * t);
  const mean = (xs: Rational[]) => xs.reduce((a, x) => a.add(x), Rational.ZERO).div(xs.length);
  if (l.op !== 'deconv') return Array.from({ length: N }, (_, i) => mean(taps(i).map((j) => at(pos, j))));
  // A deconv input pixel i sits at the centre of the output pixels it writes.
  const c = [0, 1].map((i) => mean(taps(i).map((o) => Rational.of(o))));
  const slope = pos[1]!.sub(pos[0]!).div(c[1]!.sub(c[0]!));
  return Array.from({ length: N }, (_, o) => pos[0]!.add(slope.mul(Rational.of(o).sub(c[0]!))));
}

function build({ down, tap, up }: { down: Layer[]; tap: number; up: Layer[] }) {
  const b = new IRBuilder('random');
  let last = b.input('data');
  const names = [last];
  const add = (l: Layer, i: number) => {
    const params =
      l.op === 'pool'
        ? { kernel: l.k, stride: l.s, pad: l.p }
        : { out: 2, kernel: l.k, stride: l.s, pad: l.p, dilation: l.d };
    last = b.layer(`${l.op}${i}`, l.op, [last], params);
    names.push(last);
  };
  down.forEach(add);
  up.forEach((l, i) => add(l, down.length + i));
  b.layer('crop', 'crop', [last, names[tap]!]);
  return b.build();
}

test('random conv/pool/deconv skips: inferred crop offsets match tracked pixel centres', (t) => {
  fc.assert(
    fc.property(skipNet, (net) => {
      let pos = Array.from({ length: N }, (_, i) => Rational.of(i));
      const tracked = [pos];
      for (const l of [...net.down, ...net.up]) tracked.push((pos = centres(pos, l)));
      const top = tracked[tracked.length - 1]!;
      const ref = tracked[net.tap]!;
      const step = top[1]!.sub(top[0]!);
      const offset = ref[0]!.sub(top[0]!).div(step);
      const expected = !step.equals(ref[1]!.sub(ref[0]!))
        ? 'scale-mismatch'
        : offset.sign() < 0
          ? 'negative-offset'
          : !offset.isInteger()
            ? 'fractional-offset'
            : offset.toNumber();
      if (typeof expected === 'number' && expected < N) t.true(top[expected]!.equals(ref[0]!));

      const crop = inferCrops(build(net)).crops[0]!;
      const actual = crop.failure ?? crop.offset?.[0];
      if (actual !== expected) t.log(JSON.stringify(net));
      t.is(actual, expected);
      if (crop.offset) t.is(crop.offset[1], crop.offset[0]);
    }),
    { numRuns: 300, seed: 20151 },
  );
});

/** Input pixel interval [lo, hi] that unit `i` of blob `level` depends on (hull over every tap; padding included). */
function support(
  layers: Layer[],
  level: number,
  i: number,
  memo = new Map<string, [number, number]>(),
): [number, number] {
  if (level === 0) return [i, i];
  const key = `${level}:${i}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const l = layers[level - 1]!;
  const sources: number[] = [];
  for (let t = 0; t < l.k; t++) {
    if (l.op !== 'deconv') sources.push(l.s * i - l.p + l.d * t);
    else if ((i + l.p - l.d * t) % l.s === 0) sources.push((i + l.p - l.d * t) / l.s);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const j of sources) {
    const [a, b] = support(layers, level - 1, j, memo);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  const out: [number, number] = [lo, hi];
  memo.set(key, out);
  return out;
}

function fieldOfLast(layers: Layer[]) {
  const ir = build({ down: layers, tap: 0, up: [] });
  const a = analyze(ir);
  return a.fields[ir.nodes.length - 2]!.get(0)![0];
}

test('random conv/pool chains: RF, stride and padding equal the pixels a unit depends on', (t) => {
  fc.assert(
    fc.property(fc.array(downLayer, { minLength: 1, maxLength: 5 }), (layers) => {
      const f = fieldOfLast(layers);
      const [lo0, hi0] = support(layers, layers.length, 0);
      const [lo1] = support(layers, layers.length, 1);
      t.is(f.rf.toNumber(), hi0 - lo0 + 1);
      t.is(f.padding.toNumber(), 0 - lo0);
      t.is(f.stride.toNumber(), lo1 - lo0);
    }),
    { numRuns: 300, seed: 20152 },
  );
});

test('random chains with deconvolutions: every unit depends only on pixels inside its field', (t) => {
  fc.assert(
    fc.property(skipNet, ({ down, up }) => {
      const layers = [...down, ...up];
      const f = fieldOfLast(layers);
      for (let i = 0; i < N; i++) {
        const [lo, hi] = support(layers, layers.length, i);
        if (lo > hi) continue; // a unit no input reaches (a deconv with a sparse kernel)
        const start = f.stride.mul(i).sub(f.padding);
        t.true(
          start.compare(lo) <= 0 && start.add(f.rf).sub(1).compare(hi) >= 0,
          `unit ${i}: [${lo}, ${hi}] vs ${start} + ${f.rf}`,
        );
      }
    }),
    { numRuns: 200, seed: 20153 },
  );
});
