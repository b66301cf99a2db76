#!/usr/bin/env node
/**
 * `npm install`'s step for the native backend: builds the oneDNN addon with node-gyp when
 * oneDNN's headers are on this machine, and otherwise says in one line how to get it. It never
 * fails the install: without the addon, fcn runs on wasm. Nothing is downloaded: node-gyp
 * builds against the Node headers next to this node binary (or nodedir from .npmrc).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Why the last build did not happen, for `fcn backends` (native/build/skipped.txt). */
const skippedFile = join(here, 'build', 'skipped.txt');
export const HINT =
  'for the fast native backend install oneDNN (Debian/Ubuntu: `sudo apt-get install -y libdnnl-dev`), then `npm run build:native`';

function skip(reason) {
  mkdirSync(dirname(skippedFile), { recursive: true });
  writeFileSync(skippedFile, reason + '\n');
  console.log(`fcn: native backend not built (${reason}); ${HINT}`);
}

const headers = ['/usr/include/oneapi/dnnl/dnnl.hpp', '/usr/local/include/oneapi/dnnl/dnnl.hpp'];
if (process.env['FCN_SKIP_NATIVE']) skip('FCN_SKIP_NATIVE is set');
else if (!headers.some((h) => existsSync(h))) skip("oneDNN's headers (oneapi/dnnl/dnnl.hpp) are not installed");
else build();

function build() {
  const gyp = nodeGyp();
  if (!gyp) return skip('node-gyp was not found');
  // The headers of the running node, so node-gyp never downloads them.
  const prefix = dirname(dirname(process.execPath));
  const nodedir =
    process.env['npm_config_nodedir'] ??
    (existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined);
  if (!nodedir) return skip(`no Node headers under ${prefix}/include/node (set nodedir in .npmrc)`);
  const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--loglevel=warn'], {
    cwd: here,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) return skip(`node-gyp failed with exit code ${r.status ?? r.signal}; see the output above`);
  console.log('fcn: native backend built (oneDNN)');
}

/** node-gyp's script: npm's own (npm passes its path to install scripts), or one that resolves from here. */
function nodeGyp() {
  const fromNpm = process.env['npm_config_node_gyp'];
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const require = createRequire(import.meta.url);
  for (const base of [here, dirname(process.execPath) + '/../lib/node_modules/npm']) {
    try {
      return require.resolve('node-gyp/bin/node-gyp.js', { paths: [base] });
    } catch {
      // try the next place
    }
  }
  return undefined;
}
