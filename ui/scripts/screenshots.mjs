// Renders each section of the Diagnostics panel, in both languages (and dark
// mode), from the built UI (ui/dist) with the fake backend, into
// docs/screenshots/*.png. Run through scripts/screenshots (which builds first).
// Chinese needs a CJK font (Debian: fonts-noto-cjk).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { clickAndWait, FAKE_KEY, idle, startHarness, ui, unfold } from '../tests/harness.mjs';

const out = process.argv[2] ?? join(ui, '..', 'docs', 'screenshots');
await mkdir(out, { recursive: true });

/** Scrolls the panel so that `selector` is at the top, under the header. */
async function scrollTo(page, selector) {
  await page.$eval(selector, (el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(50);
}

async function openDialog(page) {
  await clickAndWait(page, '#btn-clear');
  await page.waitForSelector('#clear-dialog[open]');
}

/** The time the pictures show (local time of the machine that renders them). */
const CLOCK = new Date('2025-11-14T09:30:00');

// Every picture is a window of 1280×800 unless it says otherwise; the first
// screen (no steps) shows the status and the actions without scrolling.
const shots = [];
for (const lang of ['en', 'zh']) {
  shots.push(
    { name: `overview-${lang}`, query: `?scenario=healthy&lang=${lang}` },
    {
      name: `overview-details-${lang}`,
      query: `?scenario=healthy&lang=${lang}`,
      steps: async (page) => {
        await unfold(page);
        await scrollTo(page, '#support');
      },
    },
    {
      name: `secrets-${lang}`,
      query: `?scenario=healthy&lang=${lang}`,
      steps: async (page) => {
        await unfold(page);
        await scrollTo(page, '#secrets-heading');
      },
    },
    { name: `keyring-down-${lang}`, query: `?scenario=keyring-down&lang=${lang}` },
    { name: `corrupt-${lang}`, query: `?scenario=corrupt&lang=${lang}` },
    { name: `corrupt-mirrors-${lang}`, query: `?scenario=corrupt-mirrors&lang=${lang}` },
    {
      // What a rebuild will do (its dry run), Cancel first.
      name: `rebuild-dialog-${lang}`,
      query: `?scenario=corrupt-mirrors&lang=${lang}`,
      steps: async (page) => {
        await clickAndWait(page, '#btn-rebuild');
        await page.waitForSelector('#rebuild-dialog[open]');
      },
    },
    {
      name: `recovery-preview-${lang}`,
      query: `?scenario=sealed&lang=${lang}`,
      steps: async (page) => {
        await clickAndWait(page, '#btn-preview');
        await scrollTo(page, '#task-actions');
      },
    },
    {
      name: `recovery-done-${lang}`,
      query: `?scenario=sealed&lang=${lang}`,
      steps: async (page) => {
        await clickAndWait(page, '#btn-recover');
      },
    },
    { name: `locked-banner-${lang}`, query: `?scenario=locked-key-missing&lang=${lang}` },
    {
      name: `recovery-locked-${lang}`,
      query: `?scenario=locked-key-missing&lang=${lang}`,
      steps: async (page) => {
        await page.fill('#key-input', FAKE_KEY);
        await clickAndWait(page, '#btn-test-key');
        await scrollTo(page, '#steps-heading');
      },
    },
    {
      name: `locked-report-${lang}`,
      query: `?scenario=locked-key-mismatch&lang=${lang}`,
      steps: async (page) => {
        await page.click('#btn-show-report');
        await scrollTo(page, '#locked-report');
      },
    },
    {
      name: `clear-dialog-${lang}`,
      query: `?scenario=healthy&lang=${lang}`,
      steps: openDialog,
    },
    {
      // A part: the threads last updated before a date (one of the two goes).
      name: `clear-parts-${lang}`,
      query: `?scenario=healthy&lang=${lang}`,
      steps: async (page) => {
        await openDialog(page);
        await page.check('#clear-scope-threadsBefore');
        await idle(page);
        await page.fill('#clear-before', '2025-11-12');
        await idle(page);
        await page.focus('#clear-scope-threadsBefore');
      },
    },
    { name: `upgraded-${lang}`, query: `?scenario=upgraded&lang=${lang}` },
    {
      name: `restore-dialog-${lang}`,
      query: `?scenario=healthy&lang=${lang}`,
      steps: async (page) => {
        await page.click('#btn-restore');
        await page.waitForSelector('#restore-dialog[open]');
      },
    },
    {
      name: `opened-report-${lang}`,
      query: `?scenario=healthy&lang=${lang}`,
      steps: async (page) => {
        await unfold(page);
        await page.click('#btn-open-report');
        await page.waitForSelector('#opened-report');
        await scrollTo(page, '#opened-report');
      },
    },
    {
      name: `upgraded-clear-${lang}`,
      query: `?scenario=upgraded&lang=${lang}`,
      steps: openDialog,
    },
    {
      name: `clear-done-${lang}`,
      query: `?scenario=healthy&lang=${lang}`,
      steps: async (page) => {
        await openDialog(page);
        await page.check('#clear-understand');
        await clickAndWait(page, '#clear-confirm');
      },
    },
    {
      name: `threads-long-${lang}`,
      query: `?scenario=healthy&lang=${lang}&threads=4500`,
      steps: async (page) => {
        await page.click('#btn-all-threads');
        await page.fill('#thread-filter', 'Gateway setup 4');
        await scrollTo(page, '#saved');
      },
    },
    { name: `narrow-${lang}`, query: `?scenario=locked-key-mismatch&lang=${lang}`, size: { width: 700, height: 900 } },
  );
}
shots.push(
  { name: 'dark-en', query: '?scenario=healthy&lang=en&theme=dark' },
  { name: 'dark-locked-zh', query: '?scenario=locked-key-mismatch&lang=zh&theme=dark' },
  {
    name: 'dark-clear-dialog-en',
    query: '?scenario=healthy&lang=en&theme=dark',
    steps: openDialog,
  },
);

const only = process.argv.slice(3);
const h = await startHarness();
try {
  for (const shot of shots) {
    if (only.length > 0 && !only.includes(shot.name)) continue;
    const { page, problems } = await h.open(`${shot.query}&delay=0`, {
      clock: CLOCK,
      ...(shot.size ?? { width: 1280, height: 800 }),
    });
    await shot.steps?.(page);
    await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
    // No caret blinking or spinner in the pictures.
    await page.addStyleTag({ content: '*{caret-color:transparent!important}' }).catch(() => undefined);
    const file = join(out, `${shot.name}.png`);
    await page.screenshot({ path: file });
    if (problems.length > 0) throw new Error(`${shot.name}: ${problems.join('; ')}`);
    console.log(`wrote ${file}`);
    await page.close();
  }
} finally {
  await h.stop();
}
