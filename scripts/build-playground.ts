/**
 * Bundles the playground's browser side (src/playground/client/main.ts, with the compiler, the
 * viz page renderer and CodeMirror) into dist/playground/app.js with esbuild; `npm run build`
 * runs it after tsc. Node's modules are replaced by the small shims in src/playground/shims/
 * (the compiler reads its files from memory there), and src/parser/chevrotain.ts, which finds
 * chevrotain's single-file build on disk, by a plain import of the package.
 */
import { build, type Plugin } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shims = join(root, 'src/playground/shims');
const NODE_SHIMS: Record<string, string> = {
  'node:fs': 'fs.ts',
  'node:path': 'path.ts',
  'node:module': 'module.ts',
  'node:url': 'url.ts',
};

const browserShims: Plugin = {
  name: 'fcn-browser-shims',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      const shim = NODE_SHIMS[args.path];
      if (!shim) return { errors: [{ text: `${args.path} has no browser shim (imported by ${args.importer})` }] };
      return { path: join(shims, shim) };
    });
    b.onResolve({ filter: /\/chevrotain\.js$/ }, (args) =>
      args.importer.includes(`${join('src', 'parser')}`) ? { path: join(shims, 'chevrotain.ts') } : undefined,
    );
  },
};

/** Writes the bundle; returns its path. */
export async function buildPlayground(outFile = join(root, 'dist/playground/app.js')): Promise<string> {
  mkdirSync(dirname(outFile), { recursive: true });
  await build({
    entryPoints: [join(root, 'src/playground/client/main.ts')],
    outfile: outFile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    minify: true,
    legalComments: 'inline',
    // Only viz's dagreBundle reads it, which runs in Node; the page is handed dagre instead.
    define: { 'import.meta.url': '""' },
    plugins: [browserShims],
    logLevel: 'warning',
  });
  return outFile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildPlayground();
  process.stdout.write(`wrote ${out}\n`);
}
