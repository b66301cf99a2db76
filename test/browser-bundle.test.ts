/**
 * The compiler part of the API (`fcn/compiler`, src/api/compiler.ts) runs in a browser: esbuild
 * bundles it for the browser without a single Node built-in or TensorFlow.js module, and the
 * bundle, run in Debian's Chromium, parses, formats, compiles FCN-8s from in-memory files (its
 * import included) and reports the crop offsets 5, 9 and 31.
 */
import test from 'ava';
import { build, type Metafile } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './helpers/chromium.js';

const entry = fileURLToPath(new URL('../src/api/compiler.ts', import.meta.url));

/** The bundle, built once: its code and what went into it. */
const bundled = (async () => {
  const result = await build({
    stdin: {
      contents: `import * as fcn from ${JSON.stringify(entry)};\nglobalThis.fcnCompiler = fcn;\n`,
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile as Metafile };
})();

test('esbuild bundles the compiler for the browser without Node built-ins or TensorFlow.js', async (t) => {
  const { code, metafile } = await bundled;
  t.log(`bundle: ${(code.length / 1024).toFixed(0)} KiB, ${Object.keys(metafile.inputs).length} modules`);
  const inputs = Object.keys(metafile.inputs);
  const imports = Object.values(metafile.inputs).flatMap((i) => i.imports.map((imp) => imp.path));
  t.deepEqual(
    inputs.filter((p) => /(^|\/)node_modules\/(@tensorflow|sharp|cli-table3|commander|cli-progress)\//.test(p)),
    [],
    'no TensorFlow.js, sharp or CLI library in the bundle',
  );
  t.deepEqual(
    imports.filter((p) => p.startsWith('node:') || /^(fs|path|os|module|url|tty|util|zlib|child_process)$/.test(p)),
    [],
    'no Node built-in is imported',
  );
  t.true(
    inputs.some((p) => p.endsWith('src/compiler/compile.ts')),
    'the compiler is in the bundle',
  );
  t.true(
    inputs.some((p) => /node_modules\/prettier\/standalone\.mjs$/.test(p)),
    "prettier's browser build is in the bundle",
  );
});

test('the bundle runs in Chromium: parse, format, and compile FCN-8s from in-memory files', async (t) => {
  const { code } = await bundled;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><title>fcn</title>');
    await page.addScriptTag({ content: code, type: 'module' });
    await page.waitForFunction(() => 'fcnCompiler' in globalThis);
    const files = {
      '/nets/vgg16.fcn': readFileSync('nets/vgg16.fcn', 'utf8'),
      '/nets/voc-fcn8s.fcn': readFileSync('nets/voc-fcn8s.fcn', 'utf8'),
    };
    const result = await page.evaluate(async (files) => {
      type Api = typeof import('../src/api/compiler.js');
      const fcn = (globalThis as unknown as { fcnCompiler: Api }).fcnCompiler;
      const compiled = fcn.compile(files['/nets/voc-fcn8s.fcn'], {
        fileName: '/nets/voc-fcn8s.fcn',
        files,
        input: [500, 500],
      });
      const report = fcn.inspectReport(fcn.compileOrThrow('/nets/voc-fcn8s.fcn', { files, input: [500, 500] }));
      const missing = fcn.compile('import "nowhere.fcn"\nnet a { input data { channels: 3 } }', { fileName: '/a.fcn' });
      return {
        hasNode: typeof (globalThis as { process?: unknown }).process !== 'undefined',
        parsed: fcn.parse('net a { input data { channels: 3 } }').diagnostics.length,
        syntax: fcn.parse('net a { input data { channels: 3 }').diagnostics.map((d) => d.message),
        formatted: await fcn.format('net a{input data{channels:3}}'),
        errors: compiled.diagnostics.filter((d) => d.severity === 'error').length,
        offsets: report.crops.map((c) => [c.name, c.offset]),
        pool5: report.blobs.find((b) => b.name === 'vgg.pool5')?.shape,
        missing: missing.diagnostics.map((d) => `${d.code}: ${d.message}`),
      };
    }, files);
    t.deepEqual(errors, []);
    t.false(result.hasNode, 'the page has no Node');
    t.is(result.parsed, 0);
    t.is(result.syntax.length, 1);
    t.is(result.formatted, 'net a {\n  input data { channels: 3 }\n}\n');
    t.is(result.errors, 0);
    t.deepEqual(result.offsets, [
      ['score_pool4c', [5, 5]],
      ['score_pool3c', [9, 9]],
      ['score', [31, 31]],
    ]);
    t.deepEqual(result.pool5, [512, 22, 22]);
    t.deepEqual(result.missing, ["import-not-found: cannot find 'nowhere.fcn' (looked for /nowhere.fcn)"]);
  } finally {
    await browser.close();
  }
});
