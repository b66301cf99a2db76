/**
 * The `fcn viz` page in a real browser: Debian's Chromium (installed by .ci/run), driven by
 * playwright-core, never a downloaded browser. Pages come from the built CLI (`npm run build`
 * first, as `npm run test:slow` does). Serial: one browser, and the machine has two cores.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.js';
import sharp from 'sharp';

const run = promisify(execFile);
const NET = 'nets/voc-fcn8s.fcn';
const tmp = mkdtempSync(join(tmpdir(), 'fcn-viz-browser-'));
const pages = {
  voc: join(tmp, 'voc.html'),
  image: join(tmp, 'voc-image.html'),
  googlenet: join(tmp, 'googlenet.html'),
  svg: join(tmp, 'voc.svg'),
  broken: join(tmp, 'broken.html'),
  unresolved: join(tmp, 'unresolved.html'),
};

let browser: Browser;
/** How long any wait on a page may take: long enough that only a hang, never a slow machine, reaches it. */
const HANG_MS = 120_000;

test.before(async () => {
  // A synthetic 500×334 (H×W) photo stand-in: a colour gradient, so the image test needs no data files.
  const w = 334;
  const h = 500;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([(x * 255) / w, (y * 255) / h, 128], (y * w + x) * 3);
  const image = join(tmp, 'image.png');
  await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(image);
  const viz = (args: string[]) => run('node', ['bin/fcn.js', 'viz', ...args]);
  await Promise.all([
    viz([NET, '--input', '500x500', '-o', pages.voc]),
    viz([NET, '--image', image, '-o', pages.image]),
    viz(['nets/voc-fcn-googlenet.fcn', '--input', '500x500', '-o', pages.googlenet]),
    viz([NET, '--input', '500x500', '-o', pages.svg]),
    // A size at which one crop does not fit: drawn with the error, exit 1.
    viz(['nets/tiny-fcn8s-padded.fcn', '--input', '75x100', '-o', pages.broken]).catch((e: { code?: number }) => {
      if (e.code !== 1) throw e;
    }),
    // A blob that does not exist: drawn as a missing node, exit 1.
    viz(['test/fixtures/viz/broken/unknown-blob.fcn', '-o', pages.unresolved]).catch((e: { code?: number }) => {
      if (e.code !== 1) throw e;
    }),
  ]);
  browser = await launchChromium();
});

test.after.always(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
}

/** Opens a page, recording every request and every console error or uncaught exception. */
async function open(file: string, hash = ''): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(HANG_MS);
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(file).href + hash);
  await page.waitForSelector('body.ready');
  return { page, requests, errors };
}

/** The text of a fact in the blob panel. */
async function fact(page: Page, key: string): Promise<string> {
  return page.locator(`#blob .fact[data-key="${key}"] dd`).innerText();
}

test.serial('the page loads offline: no console error and no request but the file itself', async (t) => {
  const { page, requests, errors } = await open(pages.voc);
  await page.waitForTimeout(400);
  t.deepEqual(errors, []);
  t.deepEqual(requests, [pathToFileURL(pages.voc).href]);
  await page.close();
});

test.serial('every layer of voc-fcn8s (as fcn inspect --json lists them) is on the page', async (t) => {
  const { stdout } = await run('node', ['bin/fcn.js', 'inspect', NET, '--json']);
  const names = (JSON.parse(stdout) as { blobs: Array<{ name: string }> }).blobs.map((b) => b.name);
  const { page } = await open(pages.voc);
  const drawn = await page.$$eval('#viewport g.node', (gs) =>
    gs.map((g) => [(g as SVGGElement).dataset.name!, g.querySelector('text.name')!.textContent!]),
  );
  t.deepEqual(
    drawn.map(([name]) => name),
    names,
  );
  // The visible label is the full name (the scope prefix drawn muted).
  for (const [name, text] of drawn) t.is(text, name);
  // With an input size, edges carry their blob's shape.
  t.is(
    await page.locator('#viewport g.edge[data-from="vgg.pool5"][data-to="vgg.fc6"] text').textContent(),
    '512×22×22',
  );
  await page.close();
});

test.serial('the offsets 5, 9 and 31 are shown, and clicking 31 explains it', async (t) => {
  const { page } = await open(pages.voc, '#upscore8');
  t.deepEqual(await page.$$eval('#viewport g.chip text', (ts) => ts.map((x) => x.textContent)), [
    'offset 5',
    'offset 9',
    'offset 31',
  ]);
  t.true(await page.locator('#crop').isHidden());
  await page.locator('#viewport g.node[data-name="score"] g.chip').click();
  t.is(await page.locator('#crop h2').innerText(), 'Why offset 31?');
  t.is(await page.locator('#crop .formula').innerText(), '(0 − (−31)) / 1 = 31');
  t.is(await page.locator('#crop ul.lands b.a').innerText(), 'x − 31');
  t.is(await page.locator('#crop .contrib tr.total td.num').innerText(), '31');
  // Both paths are marked on the graph, and the ancestor.
  t.is(await page.locator('#viewport g.node.ancestor').getAttribute('data-name'), 'data');
  t.true((await page.locator('#viewport g.node.path-a').count()) > 30);
  await page.close();
});

test.serial('selecting a blob shows its numbers and its source line', async (t) => {
  // Opened on a neighbour, so that the blob to click is in view.
  const { page } = await open(pages.voc, '#vgg.relu5_3');
  await page.locator('#viewport g.node[data-name="vgg.pool5"]').click();
  t.is(await page.locator('#blob h2').innerText(), 'vgg.pool5');
  t.is(await fact(page, 'shape'), '512 × 22 × 22');
  t.is(await fact(page, 'stride'), '32');
  t.is(await fact(page, 'rf'), '212 × 212');
  t.is(await fact(page, 'padding'), '189');
  t.is(await fact(page, 'params'), '0');
  await page.goto(pathToFileURL(pages.voc).href + '#vgg.relu1_1');
  await page.waitForSelector('body.ready');
  await page.locator('#viewport g.node[data-name="vgg.conv1_1"]').click();
  t.is(await fact(page, 'params'), '1,792');
  t.is(await fact(page, 'flops'), '1.7 G');
  t.deepEqual(await page.$$eval('#blob .src .loc', (ls) => ls.map((l) => l.textContent)), [
    'nets/vgg16.fcn:7',
    'via nets/vgg16.fcn:15',
    'via nets/voc-fcn8s.fcn:10',
  ]);
  t.is(await page.locator('#blob .src.via code').last().innerText(), 'vgg: vgg16 { bottom: data  conv1_1.pad: 100 }');
  t.is(await page.locator('#viewport g.node.selected').getAttribute('data-name'), 'vgg.conv1_1');
  await page.close();
});

test.serial('the receptive-field view draws the window of a known unit on the image', async (t) => {
  const { page, errors, requests } = await open(pages.image, '#vgg.pool5');
  t.regex((await page.locator('#rf-svg image.rf-image').getAttribute('href'))!, /^data:image\/jpeg;base64,/);
  await page.fill('#rf-row', '5');
  await page.fill('#rf-col', '7');
  const box = page.locator('#rf-svg rect.rf-box');
  // Unit (5, 7) of pool5: rows 32·5 − 189 = −29 …, columns 32·7 − 189 = 35 …, 212 pixels each way.
  t.deepEqual(await Promise.all(['x', 'y', 'width', 'height'].map((a) => box.getAttribute(a))), [
    '35',
    '-29',
    '212',
    '212',
  ]);
  t.deepEqual(await Promise.all(['cx', 'cy'].map((a) => page.locator('#rf-svg circle.rf-centre').getAttribute(a))), [
    '141',
    '77',
  ]);
  // The neighbour to the right starts one stride further.
  t.is(await page.locator('#rf-svg rect.rf-neighbour.right').getAttribute('x'), '67');
  t.regex(
    await page.locator('#rf-readout').innerText(),
    /^Unit \(5, 7\) of vgg\.pool5 sees rows −29 … 182 and columns 35 … 246 of data/,
  );
  t.deepEqual(errors, []);
  // The image is inlined: still no request but the page.
  t.deepEqual(
    requests.filter((r) => !r.startsWith('data:')),
    [pathToFileURL(pages.image).href],
  );
  await page.close();
});

test.serial('search finds a layer among GoogLeNet’s and pans the graph to it', async (t) => {
  const { page, errors } = await open(pages.googlenet);
  t.true((await page.locator('#viewport g.node').count()) > 140);
  await page.fill('#search', 'inception_4e.3x3');
  t.is(await page.locator('#search-results li').first().getAttribute('data-name'), 'goog.inception_4e.3x3');
  await page.keyboard.press('Enter');
  t.is(await page.locator('#blob h2').innerText(), 'goog.inception_4e.3x3');
  // The pan is animated: wait until it has brought the node into view (a slow machine takes more frames).
  await page
    .waitForFunction((name) => {
      const node = document.querySelector(`#viewport g.node[data-name="${name}"]`)!.getBoundingClientRect();
      const pane = document.querySelector('#graph')!.getBoundingClientRect();
      return node.left >= pane.left && node.right <= pane.right && node.top >= pane.top && node.bottom <= pane.bottom;
    }, 'goog.inception_4e.3x3')
    .catch(() => {}); // the assertions below say what is wrong
  const node = (await page.locator('#viewport g.node[data-name="goog.inception_4e.3x3"]').boundingBox())!;
  const pane = (await page.locator('#graph').boundingBox())!;
  t.true(node.x >= pane.x && node.x + node.width <= pane.x + pane.width, 'in view horizontally');
  t.true(node.y >= pane.y && node.y + node.height <= pane.y + pane.height, 'in view vertically');
  t.deepEqual(errors, []);
  await page.close();
});

test.serial('a screenshot of the page is saved and is not blank', async (t) => {
  const { page } = await open(pages.voc, '#score');
  await page.waitForTimeout(400);
  mkdirSync('test-artifacts', { recursive: true });
  const file = join('test-artifacts', 'viz-voc-fcn8s.png');
  await page.screenshot({ path: file });
  const stats = await sharp(file).stats();
  for (const c of stats.channels.slice(0, 3)) t.true(c.stdev > 20, `channel stdev ${c.stdev}`);
  await page.close();
});

test.serial('the SVG output opens as an SVG document with every node', async (t) => {
  const { stdout } = await run('node', ['bin/fcn.js', 'inspect', NET, '--json']);
  const count = (JSON.parse(stdout) as { blobs: unknown[] }).blobs.length;
  const page = await browser.newPage();
  await page.goto(pathToFileURL(pages.svg).href);
  t.is(await page.evaluate(() => document.documentElement.nodeName), 'svg');
  t.is(await page.locator('parsererror').count(), 0);
  t.is(await page.locator('g.node').count(), count);
  await page.close();
});

test.serial('a net that does not resolve: the page opens on the missing blob, in red, with the message', async (t) => {
  const { page, errors } = await open(pages.unresolved);
  t.deepEqual(errors, []);
  t.is(await page.locator('#blob .blob-name').innerText(), 'conv9?');
  t.is(await page.locator('#blob .verdict.error').innerText(), "unknown blob 'conv9'; did you mean 'conv1'?");
  t.deepEqual(await page.locator('#viewport g.node').evaluateAll((g) => g.map((n) => n.getAttribute('data-name'))), [
    'data',
    'conv9?',
    'conv1',
    'conv2',
  ]);
  t.is(await page.locator('#viewport g.node.error').getAttribute('data-name'), 'conv9?');
  // Selecting the blob that reads it: no numbers to show, and no error either.
  await page.locator('#viewport g.node[data-name="conv2"]').click();
  t.is(await page.locator('#blob .blob-name').innerText(), 'conv2');
  t.is(await page.locator('#blob .verdict.error').count(), 0);
  t.deepEqual(errors, []);
  await page.close();
});

test.serial('a net with an error: the page opens on the layer at fault, drawn in red, with the message', async (t) => {
  const { page, errors } = await open(pages.broken);
  t.deepEqual(errors, []);
  const message =
    "crop 'score_pool3c' does not fit at input 75x100: it takes 14x18 at offset 1 from 'score_pool3', which is only 14x17; the next larger input that works is 83x115";
  t.is(await page.locator('#blob .blob-name').innerText(), 'score_pool3c');
  t.is(await page.locator('#blob .verdict.error').innerText(), message);
  t.is(await page.locator('#viewport g.node.error').count(), 1);
  t.is(await page.locator('#viewport g.node.error').getAttribute('data-name'), 'score_pool3c');
  t.is(await page.locator('#viewport g.node.error rect.box').getAttribute('stroke'), '#dc2626');
  t.regex(await page.locator('section.errors pre').innerText(), /^error\[crop-out-of-bounds\]: /);
  await page.close();
});
