/**
 * Mutation fuzzing of `check`: valid nets with characters, lines and tokens dropped, stray
 * tokens inserted, and truncated. Whatever the damage, checking must not throw, every
 * diagnostic must point inside the file it names, and no check may blow up (see SLOW_MS).
 * Seeded, so a failure replays; the seed and the mutated text are in the failure message.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile } from '../src/compiler/resolve/index.js';
import type { Diagnostic } from '../src/diagnostics/index.js';

const NETS = join(import.meta.dirname, '..', 'nets');
const FILES = ['voc-fcn8s.fcn', 'vgg16.fcn', 'googlenet.fcn', 'siftflow-fcn8s.fcn'].map((f) => join(NETS, f));
const STRAY = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ':',
  ',',
  '.',
  '..',
  '=',
  ';',
  '"',
  "'",
  '#',
  '-',
  '*',
  '/',
  '\n',
  'net',
  'block',
  'input',
  'repeat',
  'in',
  'import "x.fcn"',
  'conv',
  'crop(x)',
  '{i}',
  '0',
  '-1',
  '1e9',
  '@',
];
const RUNS_PER_MUTATION = 150;
/**
 * A check that takes this long has blown up (a recovery loop, an exponential expansion): the
 * slowest seen is about 140 ms on a loaded 2-core machine, 70 times less, so only a
 * pathology fails it, never a slow machine.
 */
const SLOW_MS = 10_000;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (text: string, random: () => number) => string;
const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const at = (text: string, random: () => number) => Math.floor(random() * (text.length + 1));

const MUTATIONS: Record<string, Mutation> = {
  'drop characters': (text, random) => {
    const i = at(text, random);
    return text.slice(0, i) + text.slice(i + 1 + Math.floor(random() * 8));
  },
  'drop a line': (text, random) => {
    const lines = text.split('\n');
    lines.splice(Math.floor(random() * lines.length), 1);
    return lines.join('\n');
  },
  'drop a token': (text, random) => {
    const parts = text.split(/(\s+|[{}[\](),:])/).filter((p) => p !== '');
    parts.splice(Math.floor(random() * parts.length), 1);
    return parts.join('');
  },
  'insert a stray token': (text, random) => {
    const i = at(text, random);
    return `${text.slice(0, i)} ${pick(STRAY, random)} ${text.slice(i)}`;
  },
  'swap two tokens': (text, random) => {
    const parts = text.split(/(\s+)/);
    const i = Math.floor(random() * parts.length);
    const j = Math.floor(random() * parts.length);
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
    return parts.join('');
  },
  truncate: (text, random) => text.slice(0, at(text, random)),
};

/** Why a diagnostic is out of bounds, or undefined when it is fine. */
function outOfBounds(d: Diagnostic): string | undefined {
  if (!d.span) return `${d.code} has no place`;
  const { start, end, source } = d.span;
  if (!(start >= 0 && start <= end && end <= source.body.length))
    return `${d.code} span ${start}..${end} outside 0..${source.body.length}`;
  const { line } = source.location(start);
  if (line > source.lineCount) return `${d.code} on line ${line} of ${source.lineCount}`;
  return undefined;
}

for (const [name, mutate] of Object.entries(MUTATIONS)) {
  test(`check survives: ${name}`, (t) => {
    const seed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    const random = prng(seed);
    let slowest = 0;
    let withErrors = 0;
    for (let run = 0; run < RUNS_PER_MUTATION; run++) {
      const file = pick(FILES, random);
      let text = readFileSync(file, 'utf8');
      const times = 1 + Math.floor(random() * 3);
      for (let k = 0; k < times; k++) text = mutate(text, random);
      const started = performance.now();
      let diagnostics: Diagnostic[];
      try {
        diagnostics = checkFile(file, { files: { [file]: text } }).diagnostics;
      } catch (e) {
        t.fail(`seed ${seed} run ${run}: check threw ${(e as Error).stack}\n--- text ---\n${text}`);
        return;
      }
      const took = performance.now() - started;
      slowest = Math.max(slowest, took);
      const bad = diagnostics.map(outOfBounds).find((m) => m !== undefined);
      if (bad) t.fail(`seed ${seed} run ${run}: ${bad}\n--- text ---\n${text}`);
      if (took >= SLOW_MS) t.fail(`seed ${seed} run ${run}: check took ${Math.round(took)} ms\n--- text ---\n${text}`);
      if (diagnostics.some((d) => d.severity === 'error')) withErrors++;
    }
    t.log(`${RUNS_PER_MUTATION} runs, ${withErrors} with errors, slowest ${Math.round(slowest)} ms`);
    t.pass();
  });
}
