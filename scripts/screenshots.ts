/**
 * Makes the README's screenshots of `fcn viz` into docs/images/: the voc-fcn8s page answering
 * "why offset 31?", the receptive-field view on the VOC demo image, and the stride ladder.
 * Run from the repository root: `npx tsx scripts/screenshots.ts` (needs /usr/bin/chromium and
 * ../shared/data/voc-demo/image.jpg).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/chromium.js';
import { compileFile } from '../src/compiler/compile.js';
import { hasErrors, renderDiagnostics } from '../src/diagnostics/index.js';
import { writeFileAtomic } from '../src/util/index.js';
import { loadVizImage, renderHtml, toVizModel } from '../src/viz/index.js';

const NET = 'nets/voc-fcn8s.fcn';
const IMAGE = '../shared/data/voc-demo/image.jpg';
const OUT = 'docs/images';

/** The voc-fcn8s page with the demo image, written to a temporary file. */
async function buildPage(): Promise<string> {
  const image = await loadVizImage(IMAGE);
  const compiled = compileFile(NET, { input: [image.height, image.width] });
  if (hasErrors(compiled.diagnostics)) throw new Error(renderDiagnostics(compiled.diagnostics));
  const file = join(mkdtempSync(join(tmpdir(), 'fcn-screenshots-')), 'voc-fcn8s.html');
  writeFileSync(file, renderHtml(toVizModel(compiled, image)));
  return file;
}

/** Opens the page on a blob and waits until it has settled. */
async function show(page: Page, file: string, blob: string): Promise<void> {
  await page.goto(`${pathToFileURL(file).href}#${blob}`);
  await page.waitForSelector('body.ready');
  await page.waitForTimeout(500);
}

const file = await buildPage();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1.5 });

  await show(page, file, 'score');
  await writeFileAtomic(join(OUT, 'viz-voc-fcn8s.png'), await page.screenshot());

  // A unit of pool5 on the front rider: its 212-pixel window, its neighbours 32 pixels away.
  await show(page, file, 'vgg.pool5');
  await page.fill('#rf-row', '6');
  await page.fill('#rf-col', '7');
  await page.locator('#rf-col').blur();
  await page.waitForTimeout(200);
  await writeFileAtomic(join(OUT, 'viz-receptive-field.png'), await page.locator('#rf').screenshot());

  await show(page, file, 'score');
  await writeFileAtomic(join(OUT, 'viz-stride-ladder.png'), await page.locator('#ladder').screenshot());
  process.stdout.write(`wrote ${OUT}/viz-voc-fcn8s.png, viz-receptive-field.png, viz-stride-ladder.png\n`);
} finally {
  await browser.close();
}
