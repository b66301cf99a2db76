/**
 * The playground without a browser: one round of it (check, then draw) on the nets of nets/
 * in memory, the frame's page, the browser bundle, and `fcn playground`'s output rules.
 * The browser itself is tested in playground-browser.test.ts (slow suite).
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { framePage, playgroundRound } from '../src/playground/compile.js';
import { packagedNets } from '../src/playground/site.js';
import { fcn } from './helpers/cli.js';

const scripts = { dagre: '/* dagre */', client: '/* client */' };
const VOC = '/nets/voc-fcn8s.fcn';
const nets = packagedNets();
const offsets = (files: Record<string, string>) =>
  playgroundRound(files, VOC, [500, 500], scripts).model?.crops.map((c) => c.offset);

test('the nets of nets/ are there by their page path', (t) => {
  t.is(nets[VOC], readFileSync('nets/voc-fcn8s.fcn', 'utf8'));
  t.is(nets['/nets/vgg16.fcn'], readFileSync('nets/vgg16.fcn', 'utf8'));
});

test('voc-fcn8s in memory, its import followed: offsets 5, 9 and 31; with pad 99: 5, 9 and 30', (t) => {
  t.deepEqual(offsets(nets), [
    [5, 5],
    [9, 9],
    [31, 31],
  ]);
  t.deepEqual(offsets({ ...nets, [VOC]: nets[VOC]!.replace('conv1_1.pad: 100', 'conv1_1.pad: 99') }), [
    [5, 5],
    [9, 9],
    [30, 30],
  ]);
});

test('a syntax error: fcn check’s diagnostic at its offsets, and nothing drawn', (t) => {
  const text = nets[VOC]!.replace('conv1_1.pad: 100', 'conv1_1.pad: ');
  const round = playgroundRound({ ...nets, [VOC]: text }, VOC, [500, 500], scripts);
  t.is(round.model, undefined);
  t.is(round.html, undefined);
  t.is(round.diagnostics.length, 1);
  const d = round.diagnostics[0]!;
  t.is(d.code, 'unexpected-token');
  t.is(d.from, text.indexOf('pad:  }') + 6);
  t.is(d.to, d.from + 1);
  t.is(d.message, "expected a value (a number, string, name, list or call), found '}'\nhelp: a value is missing here");
});

test('an error in the imported file shows at the import line, naming the place', (t) => {
  const round = playgroundRound(
    { ...nets, '/nets/vgg16.fcn': nets['/nets/vgg16.fcn']!.replace('fc6: conv', 'fc6: cnov') },
    VOC,
    [500, 500],
    scripts,
  );
  const d = round.diagnostics[0]!;
  t.is(d.message, "in nets/vgg16.fcn:20: unknown layer type 'cnov'\nhelp: did you mean 'conv'?");
  t.deepEqual([d.from, d.to], [nets[VOC]!.indexOf('import'), nets[VOC]!.indexOf('import "vgg16.fcn"') + 18]);
});

test('a net that declares its input size is drawn at it, whatever the size box says', (t) => {
  const text = nets[VOC]!.replace('input data { channels: 3', 'input data { size: 384  channels: 3');
  const round = playgroundRound({ ...nets, [VOC]: text }, VOC, [500, 500], scripts);
  t.deepEqual(round.size, [384, 384]);
  t.true(round.declared);
  t.deepEqual(round.model!.inputSize, [384, 384]);
});

test('the frame page keeps its fragment in the frame, and the selection across redraws', (t) => {
  const page = framePage('<html><head><title>x</title></head></html>', '#vgg.pool5');
  t.is(
    page,
    `<html><head>\n<base href="about:srcdoc"><script>history.replaceState(null, '', "#vgg.pool5")</script><title>x</title></head></html>`,
  );
  t.false(framePage('<head>', '#</script><script>alert(1)').includes('alert'));
});

test('the browser bundle built by npm run build has the compiler and no Node module', (t) => {
  const bundle = readFileSync('dist/playground/app.js', 'utf8');
  t.true(bundle.includes('unknown layer type'));
  t.false(/require\(["']node:/.test(bundle));
  t.false(bundle.includes('import.meta'));
});

test('fcn playground -o: writes index.html and its marker; again replaces it; a foreign directory is refused unless --force', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fcn-pg-cli-'));
  const out = join(dir, 'site');
  const first = await fcn('playground', '-o', out);
  t.is(first.code, 0);
  t.is(first.stdout, `wrote ${join(out, 'index.html')} (open it in a browser; it works offline)\n`);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  t.true(html.includes(`default-src 'none'`));
  t.true(html.includes('"start":"/nets/voc-fcn8s.fcn"'));
  t.deepEqual(JSON.parse(readFileSync(join(out, 'fcn-playground.json'), 'utf8')), {
    generator: 'fcn playground',
    files: ['index.html'],
  });
  t.is((await fcn('playground', '-o', out)).code, 0);
  const mine = join(dir, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'mine\n');
  const refused = await fcn('playground', '-o', mine);
  t.is(refused.code, 1);
  t.is(
    refused.stderr,
    `fcn: -o ${mine}: exists and is not an fcn playground (no fcn-playground.json from fcn), so fcn will not replace it; choose another -o, or pass --force to replace it\n`,
  );
  t.is(readFileSync(join(mine, 'notes.txt'), 'utf8'), 'mine\n');
  t.is((await fcn('playground', '-o', mine, '--force')).code, 0);
  const none = await fcn('playground');
  t.is(none.code, 2);
  t.is(none.stderr, 'fcn: give -o DIR to write the playground, or --serve\n');
});

test('fcn playground --serve: the page on 127.0.0.1, 404 for anything else, stopped by SIGTERM', async (t) => {
  const child = spawn(process.execPath, ['bin/fcn.js', 'playground', '--serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve(out);
    });
  });
  const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)?.[0];
  t.truthy(url, line);
  const page = await fetch(url!);
  t.is(page.status, 200);
  t.true((await page.text()).includes('<title>fcn playground</title>'));
  t.is((await fetch(`${url}nets/x.fcn`)).status, 404);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  t.is(await exited, 0);
});
