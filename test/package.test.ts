/**
 * fcn as a user installs it: `npm pack` makes the tarball, which is unpacked into
 * node_modules/fcn of a separate directory (its dependencies linked from this checkout's
 * node_modules, so nothing is downloaded). There, TypeScript type-checks a consumer and the
 * README's "Use it from code" program against the package's types (node16 and bundler
 * resolution), and Node runs that program, exactly as the README shows it, importing 'fcn' by name.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('..', import.meta.url));

/** The first js code block of the README's "Use it from code" section, as written. */
function readmeProgram(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Use it from code\n'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!section || !match) throw new Error('README.md has no js block under "## Use it from code"');
  return match[1]!;
}

const CONSUMER = `import * as fcn from 'fcn';
import { compile, type Compilation } from 'fcn/compiler';
import plugin from 'fcn/prettier';

const compiled: Compilation = compile('net a { input data { channels: 3 } }');
const errors: number = compiled.diagnostics.length;
const same: typeof fcn.compile = compile;
// @ts-expect-error: compile takes the text of a net, not a number
compile(42);
// @ts-expect-error: the model of a training run is a tf.LayersModel, not a string
const wrong: string = (await fcn.train({ net: 'a.fcn', data: 'd' })).model;
export { errors, same, wrong, plugin };
`;

/** A directory with the packed package installed under node_modules/fcn. */
let app: string;
let root: string;

test.before(async () => {
  root = mkdtempSync(join(tmpdir(), 'fcn-package-'));
  app = join(root, 'app');
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], {
    cwd: repo,
  });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const pkg = join(app, 'node_modules', 'fcn');
  mkdirSync(pkg, { recursive: true });
  await run('tar', ['-xzf', join(root, filename), '-C', pkg, '--strip-components=1']);
  symlinkSync(join(repo, 'node_modules'), join(pkg, 'node_modules'));
  // The README's program runs where nets/ is, as in a checkout: here, the nets the package ships.
  symlinkSync(join(pkg, 'nets'), join(app, 'nets'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(join(app, 'readme.mjs'), readmeProgram());
  writeFileSync(join(app, 'readme.mts'), readmeProgram());
  writeFileSync(join(app, 'consumer.mts'), CONSUMER);
});

test.after.always(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

for (const [module, resolution] of [
  ['node16', 'node16'],
  ['esnext', 'bundler'],
] as const) {
  test.serial(`import 'fcn' type-checks from another directory (moduleResolution ${resolution})`, async (t) => {
    const tsconfig = join(app, `tsconfig.${resolution}.json`);
    writeFileSync(
      tsconfig,
      JSON.stringify({
        compilerOptions: {
          module,
          moduleResolution: resolution,
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          typeRoots: [join(repo, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['readme.mts', 'consumer.mts'],
      }),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run('node', [tsc, '-p', tsconfig], { cwd: app }).then(
      () => '',
      (e: { stdout: string }) => e.stdout,
    );
    t.is(result, '', 'no type errors');
  });
}

test.serial("the README's program runs as written: FCN-8s offsets 5, 9, 31, three steps, a label map", async (t) => {
  const { stdout } = await run('node', ['readme.mjs'], { cwd: app, env: { ...process.env, TMPDIR: root } });
  const lines = stdout.trimEnd().split('\n');
  t.deepEqual(lines.slice(0, 3), ['score_pool4c: offset 5, 5', 'score_pool3c: offset 9, 9', 'score: offset 31, 31']);
  t.is(lines.length, 7, stdout);
  for (const [i, line] of lines.slice(3, 6).entries()) t.regex(line, new RegExp(`^step ${i + 1}: loss \\d+\\.\\d{3}$`));
  t.regex(lines[6]!, new RegExp(`^predicted 64x64 labels into ${root}/fcn-\\w+/run$`));
});
