// Headless-browser test of the built UI (ui/dist) in Debian's Chromium, driven by
// playwright-core. Outside the app the UI uses its fake backend, so this checks
// the page as a person sees it: it loads under the app's CSP, renders, and shows
// errors. Run `npm run build` first. Set CHROMIUM to use another browser binary,
// UI_SCREENSHOT=FILE to keep a screenshot.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const ui = fileURLToPath(new URL('..', import.meta.url));
const dist = join(ui, 'dist');
const config = JSON.parse(await readFile(join(ui, '..', 'tauri.conf.json'), 'utf8'));
const csp = config.app.security.csp;
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

let server;
let base;
let browser;

before(async () => {
  await readFile(join(dist, 'index.html')).catch(() => {
    throw new Error('ui/dist/index.html is missing: run `npm run build` first');
  });
  // Serves ui/dist with the app's Content-Security-Policy, as the app does.
  server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

/** Opens `query` on the served page; returns the page and its console problems. */
async function open(query = '') {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(base + query);
  await page.waitForSelector('#data-dir:not([aria-busy])');
  return { page, problems };
}

test('shows the data folder (sample data) under the app CSP', async () => {
  const { page, problems } = await open();
  assert.equal(await page.textContent('h1'), 'Diagnostics');
  assert.equal(
    await page.textContent('#data-dir'),
    '/home/sample/.local/share/plus.svc.xworkmate/xworkmate',
  );
  assert.equal(await page.textContent('#data-dir-origin'), "XWorkmate's default location");
  assert.ok(await page.isVisible('#backend-note'), 'the sample-data note is shown');
  assert.ok(await page.isHidden('#error'));
  // The stylesheet applied (so the CSP let it through).
  const color = await page.$eval('h1', (h) => getComputedStyle(h).color);
  assert.equal(color, 'rgb(15, 118, 110)');
  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  if (process.env.UI_SCREENSHOT) await page.screenshot({ path: process.env.UI_SCREENSHOT });
  await page.close();
});

test('shows a backend failure with its code', async () => {
  const { page } = await open('?fail=no_data_dir');
  assert.ok(await page.isVisible('#error'));
  assert.match(await page.textContent('#error'), /\[no_data_dir\]/);
  assert.equal(await page.textContent('#data-dir'), 'unknown');
  await page.close();
});
