import { launchChromium } from '../test/helpers/chromium.js';
const b = await launchChromium();
const p = await b.newPage();
p.on('console', (m) => console.log('console', m.type(), m.text()));
p.on('pageerror', (e) => console.log('pageerror', e.message));
p.on('request', (r) => console.log('request', r.url().slice(0, 80)));
await p.goto('file://' + process.argv[2] + '/index.html');
await p.waitForTimeout(5000);
console.log('status', await p.locator('#status').innerText(), await p.evaluate(() => document.body.className));
console.log(await p.locator('#offset-list').innerText());
const f = p.frameLocator('#viz');
console.log(
  'frame body class',
  await f
    .locator('body')
    .getAttribute('class')
    .catch((e) => String(e)),
);
await b.close();
