/**
 * chevrotain, loaded from the single-file bundle it ships. Its package entry point is ESM
 * spread over a few hundred files (lodash-es included), which takes about 200 ms to load; the
 * bundle in the same package loads in about 35 ms, and `fcn check` should answer at once.
 * The package's exports map hides the bundle, so it is found next to the entry point. Every
 * runtime use of chevrotain goes through here, so that its classes (tokens, grammar nodes)
 * all come from one copy; types still come from 'chevrotain'. Node's modules are reached through
 * `nodeBuiltin`, so that a browser bundle of the parser carries none of them.
 */
import { nodeBuiltin } from '../util/node-builtin.js';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  const [fs, module, path, url] = [
    nodeBuiltin('node:fs'),
    nodeBuiltin('node:module'),
    nodeBuiltin('node:path'),
    nodeBuiltin('node:url'),
  ];
  // In a browser there is no Node and the bundler has bundled 'chevrotain' itself.
  if (fs && module && path && url) {
    try {
      const entry = module.createRequire(import.meta.url).resolve('chevrotain');
      const bundle = path.join(path.dirname(entry), '..', 'chevrotain.mjs');
      if (fs.existsSync(bundle)) return (await import(url.pathToFileURL(bundle).href)) as Chevrotain;
    } catch {
      // An unusual layout: the regular entry point works too, only slower.
    }
  }
  return import('chevrotain');
}

export const chevrotain: Chevrotain = await load();
