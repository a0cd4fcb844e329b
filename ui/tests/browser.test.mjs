// Headless-browser tests of the built UI (ui/dist) in Debian's Chromium, driven by
// playwright-core, under the app's CSP, with the fake backend. This file: the page
// as a whole (CSP, languages, themes, busy state, errors, accessibility basics).
// The sections have their own files: overview, recovery, cleanup.
// Run `npm run build` first. Set CHROMIUM to use another browser binary.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { clickAndWait, idle, startHarness, unfold } from './harness.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.stop();
});

const SCENARIOS = [
  'healthy',
  'empty',
  'corrupt',
  'sealed',
  'locked-key-missing',
  'locked-key-mismatch',
  'locked-key-invalid',
  'locked-malformed',
  'keyring-down',
  'corrupt-mirrors',
  'upgraded',
  'xworkmate-running',
];

describe('every scenario, both languages', () => {
  for (const lang of ['en', 'zh']) {
    test(`loads cleanly under the CSP (${lang})`, async () => {
      const { page, problems } = await h.open(`?lang=${lang}&delay=0`);
      for (const scenario of SCENARIOS) {
        await page.open(`?scenario=${scenario}&lang=${lang}&delay=0`);
        assert.equal(await page.getAttribute('html', 'lang'), lang === 'zh' ? 'zh-CN' : 'en');
        assert.equal(await page.textContent('h1'), lang === 'zh' ? '诊断' : 'Diagnostics');
        assert.equal(
          await page.textContent('#data-dir'),
          '/home/sample/.local/share/plus.svc.xworkmate/xworkmate',
        );
        // The status and the actions first, threads and settings, then the details folded.
        for (const id of ['#status', '#task-actions', '#saved', '#support']) {
          assert.ok(await page.isVisible(id), `${scenario}: ${id} visible`);
        }
        for (const id of ['#overview', '#recovery', '#locked-report']) {
          assert.ok(await page.isHidden(id), `${scenario}: ${id} folded`);
        }
        await unfold(page);
        for (const id of ['#overview', '#recovery', '#locked-report']) {
          assert.ok(await page.isVisible(id), `${scenario}: ${id} unfolded`);
        }
        assert.ok(await page.isHidden('#error'), `${scenario}: no error`);
        // The stylesheet applied (so the CSP let it through).
        const radius = await page.$eval('#status', (el) => getComputedStyle(el).borderTopLeftRadius);
        assert.equal(radius, '10px');
        // Every text comes from the dictionary of this language: no English
        // sentence in the zh page's own labels (sample data aside).
        if (lang === 'zh') {
          const labels = await page.$$eval('h2, h3, button, label, th[scope="col"]', (els) =>
            els.map((e) => e.textContent.trim()),
          );
          for (const label of labels) {
            assert.ok(!/\b(the|and|of|to)\b/i.test(label), `${scenario}: zh label "${label}" is not English`);
          }
        }
        assert.deepEqual(problems, [], `${scenario}: no console errors or CSP violations`);
      }
      await page.close();
    });
  }
});

describe('language', () => {
  test('follows the system locale (zh → zh; en, C, POSIX and others → en)', async () => {
    const { page } = await h.open('?delay=0', { wait: false });
    for (const [locale, h1] of [
      ['zh_CN.UTF-8', '诊断'],
      ['en_US.UTF-8', 'Diagnostics'],
      ['C.UTF-8', 'Diagnostics'],
      ['POSIX', 'Diagnostics'],
      ['de_DE.UTF-8', 'Diagnostics'],
      ['ja_JP.UTF-8', 'Diagnostics'],
      ['zh_TW.UTF-8', '诊断'],
    ]) {
      await page.open(`?locale=${locale}&delay=0`);
      assert.equal(await page.textContent('h1'), h1, locale);
    }
    await page.close();
  });

  test('switches with the select and remembers the choice', async () => {
    const { page, problems } = await h.open('?locale=en_US.UTF-8&delay=0', { fresh: true });
    assert.equal(await page.textContent('h1'), 'Diagnostics');
    assert.equal(await page.$eval('#lang-select', (s) => s.value), 'en');
    assert.ok(await page.isVisible('label[for="lang-select"]'));
    await page.selectOption('#lang-select', 'zh');
    assert.equal(await page.textContent('h1'), '诊断');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.match(await page.textContent('#saved h2'), /线程与设置/);
    await page.reload();
    await idle(page);
    assert.equal(await page.textContent('h1'), '诊断', 'remembered over the system locale');
    // ?lang= wins over the remembered choice.
    await page.goto(page.url().replace('?', '?lang=en&'));
    await idle(page);
    assert.equal(await page.textContent('h1'), 'Diagnostics');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('sample-data note', () => {
  test('shown outside the app, left out of screenshots (?screenshot=1)', async () => {
    const { page } = await h.open('?lang=en&delay=0');
    assert.ok(await page.isVisible('#backend-note'));
    assert.match(await page.textContent('#backend-note'), /Preview with sample data/);
    await page.open('?lang=en&delay=0&screenshot=1');
    assert.ok(await page.isHidden('#backend-note'));
    await page.close();
  });
});

describe('theme', () => {
  test('follows prefers-color-scheme, and ?theme= overrides it', async () => {
    const bg = (page) => page.$eval('body', (b) => getComputedStyle(b).backgroundColor);
    let { page } = await h.open('?delay=0&lang=en', { colorScheme: 'dark' });
    assert.equal(await bg(page), 'rgb(22, 24, 27)');
    await page.close();
    ({ page } = await h.open('?delay=0&lang=en&theme=light', { colorScheme: 'dark' }));
    assert.equal(await bg(page), 'rgb(242, 243, 245)');
    await page.close();
    ({ page } = await h.open('?delay=0&lang=en&theme=dark'));
    assert.equal(await bg(page), 'rgb(22, 24, 27)');
    await page.close();
  });
});

describe('progress and errors', () => {
  test('a call in flight shows progress and disables buttons; the page stays responsive', async () => {
    const { page, problems } = await h.open('?lang=en&delay=400');
    await page.click('#btn-refresh');
    assert.equal(await page.getAttribute('body', 'data-busy'), 'true');
    assert.ok(await page.isDisabled('#btn-refresh'));
    assert.ok(await page.isDisabled('#btn-clear'));
    assert.equal(await page.getAttribute('#saved', 'aria-busy'), 'true');
    assert.ok(await page.isVisible('#btn-refresh .spinner'));
    assert.match(await page.textContent('.checked'), /Refreshing/);
    // The window is not frozen: script runs while the call is pending.
    assert.equal(await page.evaluate(() => 6 * 7), 42);
    await idle(page);
    assert.ok(await page.isEnabled('#btn-refresh'));
    assert.equal(await page.getAttribute('#saved', 'aria-busy'), 'false');
    assert.match(await page.textContent('.checked'), /Checked/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a failing backend shows the error in words, with its code (en, zh)', async () => {
    for (const [lang, words] of [
      ['en', 'Permission denied'],
      ['zh', '权限不足'],
    ]) {
      const { page } = await h.open(`?lang=${lang}&delay=0&fail=permission_denied`);
      assert.ok(await page.isVisible('#error'));
      assert.equal(await page.getAttribute('#error', 'role'), 'alert');
      assert.equal(await page.getAttribute('#error', 'data-code'), 'permission_denied');
      assert.match(await page.textContent('#error'), new RegExp(words));
      assert.match(await page.textContent('#error'), /\[permission_denied\]/);
      assert.equal(await page.textContent('#data-dir'), lang === 'en' ? 'unknown' : '未知');
      await page.close();
    }
  });

  test('an error of one action can be dismissed; the next action clears it', async () => {
    const { page } = await h.open('?lang=en&delay=0&fail=io_error&failOn=exportReport');
    assert.ok(await page.isHidden('#error'));
    await clickAndWait(page, '#btn-export-report');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'io_error');
    assert.match(await page.textContent('#error'), /A file could not be read or written/);
    await page.click('#btn-dismiss-error');
    assert.ok(await page.isHidden('#error'));
    await clickAndWait(page, '#btn-export-report');
    assert.ok(await page.isVisible('#error'));
    await clickAndWait(page, '#btn-refresh');
    assert.ok(await page.isHidden('#error'));
    await page.close();
  });

  test('unknown codes get a generic text with the code', async () => {
    const { page } = await h.open('?lang=en&delay=0&fail=quota_exceeded');
    assert.match(await page.textContent('#error'), /An error happened \(quota_exceeded\)/);
    await page.close();
  });
});

describe('accessibility basics', () => {
  test('labels, headings, buttons and visible focus', async () => {
    const { page } = await h.open('?lang=en&delay=0&scenario=locked-key-missing');
    // Every form control has a label.
    const unlabelled = await page.$$eval('input, select', (els) =>
      els.filter((el) => !document.querySelector(`label[for="${el.id}"]`)).map((el) => el.outerHTML),
    );
    assert.deepEqual(unlabelled, []);
    // Headings go down one level at a time; one h1.
    const levels = await page.$$eval('h1, h2, h3, h4', (els) =>
      els.filter((e) => !e.closest('dialog')).map((e) => Number(e.tagName[1])),
    );
    assert.equal(levels.filter((l) => l === 1).length, 1);
    for (let n = 1; n < levels.length; n += 1) {
      assert.ok(levels[n] - levels[n - 1] <= 1, `heading jump ${levels[n - 1]} → ${levels[n]}`);
    }
    // Actions are real buttons.
    assert.equal(await page.$$eval('[onclick], div[role="button"], a:not([href])', (e) => e.length), 0);
    // Results and notices are live regions.
    for (const id of ['#recovery-result', '#key-test-result', '#clear-result', '#report-notice', '#folder-notice']) {
      assert.equal(await page.getAttribute(id, 'role'), 'status', id);
    }
    // Keyboard focus is visible.
    await page.focus('#lang-select');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return `${s.outlineStyle} ${s.outlineWidth}`;
    });
    assert.equal(outline, 'solid 2px');
    await page.close();
  });

  test('"Show why it is locked" takes the keyboard to the report, unfolded', async () => {
    const { page } = await h.open('?lang=en&delay=0&scenario=locked-key-missing');
    await page.focus('#btn-show-report');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'locked-report-heading');
    await page.close();
  });
});
