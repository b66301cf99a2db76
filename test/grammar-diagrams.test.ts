/**
 * The generated grammar artifacts (railroad diagrams, their local assets, CST typings) must
 * match what scripts/diagrams.ts makes from the parser now; `npm run diagrams` refreshes them.
 * The language reference must cover every layer type and parameter of the schema.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAM_ASSETS, generateArtifacts } from '../scripts/diagrams.js';
import { INPUT_PARAMS, LAYER_SCHEMAS, SOLVER_PARAMS } from '../src/compiler/layers/index.js';

const ROOT = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

test('the committed diagrams, assets and CST typings are up to date (run `npm run diagrams`)', async (t) => {
  const artifacts = await generateArtifacts();
  t.deepEqual(
    [...artifacts.keys()].sort(),
    ['grammar/diagrams.html', ...DIAGRAM_ASSETS.map((a) => `grammar/diagrams/${a}`), 'src/parser/cst.ts'].sort(),
  );
  for (const [path, content] of artifacts) t.is(read(path), content, `${path} is stale: run npm run diagrams`);
});

test('the diagrams page loads only local files', (t) => {
  const html = read('grammar/diagrams.html');
  t.notRegex(html, /https?:\/\//);
  const sources = [...html.matchAll(/(?:src|href)='([^']+)'/g)].map((m) => m[1]);
  t.deepEqual(
    sources,
    DIAGRAM_ASSETS.map((a) => `./diagrams/${a}`),
  );
  t.regex(html, /"name": "document"/);
});

test('the language reference documents every layer type, parameter, input property and solver key', (t) => {
  const readme = read('grammar/README.md');
  for (const [type, schema] of Object.entries(LAYER_SCHEMAS)) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${type}\``));
    t.truthy(row, `no table row for ${type}`);
    if (type === 'deconv') continue; // "as conv"
    for (const p of schema.params)
      if (p.name !== 'bottom') t.true(row!.includes(`\`${p.name}\``), `${type}.${p.name} undocumented`);
  }
  for (const p of [...INPUT_PARAMS, ...SOLVER_PARAMS])
    t.true(readme.includes(`| \`${p.name}\``), `${p.name} undocumented`);
});
