/**
 * The playground in a real browser (Debian's Chromium through playwright-core): it opens on
 * voc-fcn8s with the offsets 5, 9 and 31; typing conv1_1's pad from 100 to 99 passes through a
 * syntax error (underlined, the last good graph kept) to 5, 9 and 30, and back. No console
 * error, and no request leaves the page: every request is intercepted, and any that is not the
 * page itself fails the test. Pages come from the built CLI (`npm run build` first).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.js';

const run = promisify(execFile);
const site = join(mkdtempSync(join(tmpdir(), 'fcn-playground-')), 'site');
const url = pathToFileURL(join(site, 'index.html')).href;
/** What `fcn check` says of `conv1_1.pad:  }` (the pad's digits deleted). */
const ERROR_LINE = "error[unexpected-token]: expected a value (a number, string, name, list or call), found '}'";
/** Long enough that only a hang, never a slow machine, reaches it. */
const HANG_MS = 120_000;

let browser: Browser;

test.before(async () => {
  await run(process.execPath, ['bin/fcn.js', 'playground', '-o', site]);
  browser = await launchChromium();
});

test.after.always(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  errors: string[];
  /** Requests for anything but the page's own file (all refused). */
  outside: string[];
}

async function open(): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.setDefaultTimeout(HANG_MS);
  const errors: string[] = [];
  const outside: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    outside.push(u);
    return route.abort();
  });
  await page.goto(url);
  await page.waitForSelector('body.ready');
  await page.frameLocator('#viz').locator('body.ready').waitFor();
  return { page, errors, outside };
}

const offsets = (page: Page) => page.$$eval('#offset-list .offset', (xs) => xs.map((x) => x.textContent));
const chips = (page: Page) => page.frameLocator('#viz').locator('#viewport g.chip text').allTextContents();

/** Waits until the compiler has run on the text as it is now (the round counter moved on and settled). */
async function settled(page: Page, state: 'ok' | 'error'): Promise<void> {
  await page.waitForFunction((s) => document.getElementById('status')!.dataset.state === s, state);
}

test.serial('it opens on voc-fcn8s with vgg16 beside it in the menu, and shows the offsets 5, 9 and 31', async (t) => {
  const { page, errors, outside } = await open();
  t.is(await page.locator('#file').inputValue(), '/nets/voc-fcn8s.fcn');
  const files = await page.$$eval('#file option', (os) => os.map((o) => o.textContent));
  t.true(
    files.includes('nets/vgg16.fcn') &&
      files.includes('nets/tiny-fcn8s.fcn') &&
      files.includes('nets/siftflow-fcn8s.fcn'),
  );
  t.deepEqual(await offsets(page), ['5', '9', '31']);
  t.deepEqual(await chips(page), ['offset 5', 'offset 9', 'offset 31']);
  t.is(await page.locator('#status').innerText(), 'net voc_fcn8s at 500×500');
  t.is(await page.locator('#problem-list').innerText(), 'no problems');
  t.is(
    await page
      .locator('.cm-content')
      .innerText()
      .then((s) => s.split('\n')[2]),
    'import "vgg16.fcn"',
  );
  t.deepEqual(errors, []);
  t.deepEqual(outside, []);
  await page.close();
});

test.serial(
  'typing conv1_1’s pad from 100 to 99: an error on the way (last graph kept), then offsets 5, 9, 30; and back to 31',
  async (t) => {
    const { page, errors, outside } = await open();
    // To the end of `vgg: vgg16 { bottom: data  conv1_1.pad: 100 }` (line 10), before ` }`.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
    await settled(page, 'error');
    t.is(await page.locator('#status').innerText(), '1 error: showing the last good graph');
    t.is((await page.locator('#problem-list').innerText()).split('\n')[0], ERROR_LINE);
    t.is(await page.locator('.cm-lintRange-error').count(), 1);
    t.true(await page.locator('#offsets').evaluate((e) => e.classList.contains('stale')));
    t.deepEqual(await offsets(page), ['5', '9', '31'], 'the last good offsets stay');
    t.deepEqual(await chips(page), ['offset 5', 'offset 9', 'offset 31'], 'and the last good graph');

    await page.keyboard.type('99');
    await settled(page, 'ok');
    await page.waitForFunction(() => document.querySelectorAll('#offset-list .offset')[2]?.textContent === '30');
    t.deepEqual(await offsets(page), ['5', '9', '30']);
    await page.frameLocator('#viz').locator('body.ready').waitFor();
    t.deepEqual(await chips(page), ['offset 5', 'offset 9', 'offset 30']);
    t.is(await page.locator('.cm-lintRange-error').count(), 0);
    t.false(await page.locator('#offsets').evaluate((e) => e.classList.contains('stale')));

    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('100');
    await page.waitForFunction(() => document.querySelectorAll('#offset-list .offset')[2]?.textContent === '31');
    await settled(page, 'ok');
    t.deepEqual(await offsets(page), ['5', '9', '31']);
    await page.frameLocator('#viz').locator('body.ready').waitFor();
    t.deepEqual(await chips(page), ['offset 5', 'offset 9', 'offset 31']);
    t.deepEqual(errors, []);
    t.deepEqual(outside, []);
    await page.close();
  },
);

test.serial('a misspelt layer type is underlined where fcn check points, with its message', async (t) => {
  const { page, errors } = await open();
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
  // `  score_fr: conv { … }`: swap the o and the n of conv (Home goes to the first non-blank).
  for (let i = 0; i < 'score_fr: c'.length; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Delete');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type('o');
  await settled(page, 'error');
  t.is(await page.locator('.cm-lintRange-error').innerText(), 'cnov');
  t.is(
    (await page.locator('#problem-list').innerText()).split('\n')[0],
    "error[unknown-layer-type]: unknown layer type 'cnov'",
  );
  t.deepEqual(errors, []);
  await page.close();
});

test.serial('the menu opens another net of nets/: siftflow-fcn8s with its own offsets', async (t) => {
  const { page, errors, outside } = await open();
  await page.locator('#file').selectOption('/nets/siftflow-fcn8s.fcn');
  await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('net siftflow'));
  await page.frameLocator('#viz').locator('body.ready').waitFor();
  const { stdout } = await run(process.execPath, [
    'bin/fcn.js',
    'inspect',
    'nets/siftflow-fcn8s.fcn',
    '--input',
    '500x500',
    '--json',
  ]);
  const crops = (JSON.parse(stdout) as { crops: Array<{ offset: [number, number] }> }).crops.map((c) =>
    String(c.offset[0]),
  );
  t.deepEqual(await offsets(page), crops);
  t.deepEqual(errors, []);
  t.deepEqual(outside, []);
  await page.close();
});
