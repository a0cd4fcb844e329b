// Shared by the headless-browser tests and the screenshot script: serves the built
// UI (ui/dist) with the app's Content-Security-Policy (src-tauri/tauri.conf.json) and opens
// pages in Debian's Chromium through playwright-core. Outside the app the UI uses
// its fake backend, chosen by URL parameters (see src/fake-backend.ts).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const ui = fileURLToPath(new URL('..', import.meta.url));
export const dist = join(ui, 'dist');
const config = JSON.parse(await readFile(join(ui, '..', 'src-tauri', 'tauri.conf.json'), 'utf8'));
export const csp = config.app.security.csp;

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The correct key of the fake's sealed data. */
export const FAKE_KEY = 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA';
/** A valid key (32 bytes) that opens nothing. */
export const WRONG_KEY = 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8';

/** Starts the server and the browser; `stop()` ends both. */
export async function startHarness() {
  await readFile(join(dist, 'index.html')).catch(() => {
    throw new Error('ui/dist/index.html is missing: run `npm run build` first');
  });
  const server = createServer(async (req, res) => {
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
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
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
      '--font-render-hinting=none',
    ],
  });

  /** A fresh browser context and page; `problems` collects console errors and CSP violations. */
  async function fresh({ width = 1100, height = 760, colorScheme = 'light' } = {}) {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme, locale: 'en-US' });
    const page = await context.newPage();
    const sink = { problems: [] };
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') sink.problems.push(msg.text());
    });
    page.on('pageerror', (error) => sink.problems.push(error.message));
    page.close = async () => context.close();
    // The app's CSP allows no inline <style>: extra CSS (the screenshots' hidden
    // caret) goes in as a constructed stylesheet, which the CSP does not block.
    const addStyleTag = page.addStyleTag.bind(page);
    page.addStyleTag = async (options = {}) => {
      if (options.content === undefined) return addStyleTag(options);
      await page.evaluate((css) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }, options.content);
      return null;
    };
    /** Loads another query in the same page (and browser context). */
    page.open = async (next) => {
      await page.goto(base + next);
      await idle(page);
    };
    return { page, sink };
  }

  let shared = null;

  /**
   * Opens the page with `query` (e.g. `?scenario=sealed&lang=en`) and waits for
   * the first load. Returns the page and the console problems seen from then on.
   * `clock` fixes the page's Date.now. Without other options it reuses one warm page (a new load resets the fake backend;
   * `close()` is then a no-op); with options (or `fresh: true`) it makes a new
   * browser context.
   */
  async function open(query = '', options = {}) {
    // scripts/screenshots sets UI_EXTRA_QUERY=screenshot=1 (pictures without the sample-data note).
    const extra = process.env.UI_EXTRA_QUERY;
    if (extra) query = `${query}${query.includes('?') ? '&' : '?'}${extra}`;
    const { wait = true, fresh: isFresh = false, clock = null, ...contextOptions } = options;
    let page;
    let sink;
    if (isFresh || Object.keys(contextOptions).length > 0) {
      ({ page, sink } = await fresh(contextOptions));
    } else {
      shared ??= await fresh();
      ({ page, sink } = shared);
      page.close = async () => undefined;
    }
    sink.problems = [];
    // A fixed clock (Date.now) for pictures that do not change from run to run.
    if (clock) await page.clock.setFixedTime(clock);
    await page.goto(base + query);
    if (wait) await idle(page);
    return { page, problems: sink.problems };
  }

  async function stop() {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  }

  return { base, browser, open, stop };
}

/** Waits until no backend call is in flight. */
export async function idle(page) {
  await page.waitForSelector('body[data-busy="false"]', { timeout: 10_000 });
}

/** Clicks `selector` and waits for the call it starts to finish. */
export async function clickAndWait(page, selector) {
  await page.click(selector);
  await idle(page);
}

/** Unfolds "Details for support" (a no-op when it is open). */
export async function unfold(page) {
  if ((await page.getAttribute('#support-toggle', 'aria-expanded')) !== 'true') {
    await page.click('#support-toggle');
  }
  await page.waitForSelector('#support-body:not([hidden])');
}
