/**
 * chevrotain, loaded from the single-file bundle it ships. Its package entry point is ESM
 * spread over a few hundred files (lodash-es included), which takes about 200 ms to load; the
 * bundle in the same package loads in about 35 ms, and `fcn check` should answer at once.
 * The package's exports map hides the bundle, so it is found next to the entry point. Every
 * runtime use of chevrotain goes through here, so that its classes (tokens, grammar nodes)
 * all come from one copy; types still come from 'chevrotain'.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    const bundle = join(dirname(entry), '..', 'chevrotain.mjs');
    if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  } catch {
    // An unusual layout: the regular entry point works too, only slower.
  }
  return import('chevrotain');
}

export const chevrotain: Chevrotain = await load();
