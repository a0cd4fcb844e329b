// The task-first panel in headless Chromium (fake backend, app CSP): for each
// scenario in both languages, the status line and the actions present or absent
// (no recovery run while locked), status and actions on the first screen at
// 1280×800; "Details for support" folded, opened by click and by keyboard; the
// long thread list (4,500 threads) capped, with a working title filter; narrow
// windows keep the section links. Run `npm run build` first.
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

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const active = (page) => page.evaluate(() => document.activeElement?.id ?? null);
/** An attribute, or null when the element is not there (without waiting for it). */
const attr = (page, selector, name) =>
  page.evaluate(([sel, n]) => document.querySelector(sel)?.getAttribute(n) ?? null, [selector, name]);

const LOCKED = { kind: 'locked', en: 'Old data is locked', zh: '旧数据已锁定', steps: 'key' };
const DAMAGED = { kind: 'damaged', en: 'The database cannot be read', zh: '数据库无法读取', steps: 'damaged' };

/**
 * kind: #status[data-status]; en / zh: the status line; recover: Recover old
 * data under the status; exportThreads: Export N threads… among the actions;
 * steps: the "What you can do" list; safe: "nothing is lost" is said.
 */
const STATUS = {
  healthy: { kind: 'ok', en: 'Everything is readable', zh: '所有数据都可以读取', exportThreads: true },
  'keyring-down': { kind: 'ok', en: 'Everything is readable', zh: '所有数据都可以读取', exportThreads: true },
  empty: { kind: 'empty', en: 'Nothing is saved here yet', zh: '此处尚未保存任何内容' },
  sealed: { kind: 'recoverable', en: 'Old data can be recovered', zh: '旧数据可以恢复', recover: true },
  'locked-key-missing': { ...LOCKED, safe: true },
  'locked-key-mismatch': { ...LOCKED, safe: true },
  'locked-key-invalid': { ...LOCKED, safe: true },
  'locked-malformed': { ...LOCKED, steps: 'damaged-sealed', safe: true },
  corrupt: { ...DAMAGED, safe: true },
  'corrupt-mirrors': { ...DAMAGED, safe: true, exportThreads: true },
  upgraded: {
    kind: 'left-behind',
    en: 'XWorkmate 1.x doesn’t show your earlier threads',
    zh: 'XWorkmate 1.x 不显示您之前的线程',
    exportThreads: true,
    safe: true,
  },
};

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff';
const ASCII_AFTER_CJK = new RegExp(`[${CJK}][,:;()!?]`);

for (const lang of ['en', 'zh']) {
  describe(`task-first status (${lang}, 1280×800)`, () => {
    let page;
    before(async () => {
      ({ page } = await h.open(`?lang=${lang}&delay=0`, { width: 1280, height: 800 }));
    });
    after(async () => {
      await page.close();
    });

    for (const [scenario, s] of Object.entries(STATUS)) {
      test(scenario, async () => {
        const problems = [];
        const listen = (msg) => msg.type() === 'error' && problems.push(msg.text());
        page.on('console', listen);
        await page.open(`?scenario=${scenario}&lang=${lang}&delay=0`);
        assert.equal(await page.getAttribute('#status', 'data-status'), s.kind);
        assert.equal(squash(await page.textContent('#status-heading')), s[lang]);
        // The status and the actions come first: on the first screen, no scrolling.
        const [headingTop, actionsBottom, firstSection] = await page.evaluate(() => [
          document.getElementById('status-heading').getBoundingClientRect().top,
          document.getElementById('task-actions').getBoundingClientRect().bottom,
          document.querySelector('.sections > section').id,
        ]);
        assert.equal(firstSection, 'status');
        assert.ok(headingTop >= 0 && actionsBottom <= 800, `actions end at ${actionsBottom}px`);
        for (const id of ['#btn-clear', '#btn-restore', '#btn-export-report', '#btn-copy-report']) {
          assert.ok(await page.isVisible(id), `${scenario}: ${id}`);
        }
        // Recover is an action where recovering is the task; while locked there is none at all.
        assert.equal(await page.isVisible('#status #btn-recover'), Boolean(s.recover), 'Recover old data');
        if (s.kind === 'locked') assert.equal(await page.$('#btn-recover'), null, 'no recovery run while locked');
        assert.equal((await page.$('#btn-export-threads')) !== null, Boolean(s.exportThreads), 'Export threads');
        assert.equal((await page.$('#status-safe')) !== null, Boolean(s.safe), '"nothing is lost" said');
        assert.equal(await attr(page, '#status-steps', 'data-steps'), s.steps ?? null);
        if (s.kind === 'left-behind') assert.ok(await page.isVisible('#banner-export-A'));
        if (s.kind === 'damaged') {
          // A damaged database is never "0 threads — no saved threads".
          assert.notEqual(await page.textContent('#threads-count'), '0');
          assert.doesNotMatch(await page.textContent('#saved'), /No threads are saved|没有已保存的线程/);
        }
        // The details are folded.
        assert.equal(await page.getAttribute('#support-toggle', 'aria-expanded'), 'false');
        assert.ok(await page.isHidden('#support-body'));
        if (lang === 'zh') {
          const text = await page.$$eval('#status h2, #status p, #status li', (els) =>
            els.filter((e) => !e.closest('[lang="en"], code')).map((e) => e.textContent),
          );
          for (const t of text) assert.doesNotMatch(t, ASCII_AFTER_CJK, `Chinese punctuation in "${t}"`);
        }
        page.off('console', listen);
        assert.deepEqual(problems, []);
      });
    }
  });
}

describe('Details for support: a disclosure', () => {
  test('opens and closes by click and by keyboard; its contents are reachable only when open', async () => {
    const { page, problems } = await h.open('?scenario=locked-key-mismatch&lang=en&delay=0');
    const toggle = '#support-toggle';
    assert.equal(await page.$eval(toggle, (b) => b.tagName), 'BUTTON');
    assert.equal(await page.$eval(toggle, (b) => b.parentElement.tagName), 'H2');
    assert.equal(await page.getAttribute(toggle, 'aria-controls'), 'support-body');
    assert.equal(squash(await page.textContent(toggle)), 'Details for support');
    assert.ok(await page.isHidden('#locked-sources'));
    // Click.
    await page.click(toggle);
    assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'true');
    assert.ok(await page.isVisible('#locked-sources'));
    await page.click(toggle);
    assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'false');
    // Keyboard: Enter opens, Space closes, the focus stays on the button.
    await page.focus(toggle);
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'true');
    assert.ok(await page.isVisible('#overview'));
    assert.equal(await active(page), 'support-toggle');
    // Tab goes into the unfolded details next.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('#support-body')));
    await page.focus(toggle);
    await page.keyboard.press('Space');
    assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'false');
    assert.ok(await page.isHidden('#overview'));
    // Folded, Tab skips the details.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !document.activeElement.closest('#support-body')));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('"Show why it is locked" unfolds them and takes the focus to the report', async () => {
    for (const lang of ['en', 'zh']) {
      const { page } = await h.open(`?scenario=locked-key-missing&lang=${lang}&delay=0`);
      await page.click('#btn-show-report');
      assert.equal(await page.getAttribute('#support-toggle', 'aria-expanded'), 'true');
      assert.equal(await active(page), 'locked-report-heading');
      assert.ok(await page.isVisible('#locked-sources'));
      await page.close();
    }
  });
});

describe('a long thread list (4,500 threads)', () => {
  for (const [lang, w] of [
    ['en', { newest: 'The newest 5 of 4,500 threads.', all: 'Show all 4,500 threads', filter: 'Filter by title' }],
    ['zh', { newest: '最新的 5 个线程（共 4,500 个）。', all: '显示全部 4,500 个线程', filter: '按标题筛选' }],
  ]) {
    test(`the newest 5, then all with a working filter (${lang})`, async () => {
      const { page, problems } = await h.open(`?scenario=healthy&lang=${lang}&delay=0&threads=4500`, {
        width: 1280,
        height: 800,
      });
      const items = () => page.$$eval('#thread-list li', (els) => els.length);
      assert.equal(await page.textContent('#threads-count'), '4,500');
      assert.equal(await items(), 5);
      assert.equal(squash(await page.textContent('#thread-list-count')), w.newest);
      // The list does not push the rest away: the details heading is near.
      const below = await page.$eval('#support', (el) => el.getBoundingClientRect().top);
      assert.ok(below < 2000, `the details start at ${below}px`);
      // Show all, by keyboard: the filter has a label and takes the focus.
      assert.equal(squash(await page.textContent('#btn-all-threads')), w.all);
      await page.focus('#btn-all-threads');
      await page.keyboard.press('Enter');
      assert.equal(await page.getAttribute('#btn-all-threads', 'aria-expanded'), 'true');
      assert.equal(await active(page), 'thread-filter');
      assert.equal(squash(await page.textContent('label[for="thread-filter"]')), w.filter);
      assert.equal(await items(), 200, 'capped');
      await page.keyboard.type('Bug triage 44');
      const titles = await page.$$eval('#thread-list .thread-title', (els) => els.map((e) => e.textContent));
      assert.ok(titles.length > 0 && titles.length < 20, `${titles.length} matches`);
      assert.ok(titles.every((t) => t.startsWith('Bug triage 44')));
      assert.equal(await page.getAttribute('#thread-list', 'data-matching'), String(titles.length));
      assert.equal(await page.getAttribute('#thread-list-count', 'role'), 'status');
      await page.fill('#thread-filter', 'no such thread');
      assert.equal(await items(), 0);
      await page.fill('#thread-filter', '');
      assert.equal(await items(), 200);
      await page.click('#btn-all-threads');
      assert.equal(await items(), 5);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});

describe('narrow windows', () => {
  test('at 700 px the section links stay, in a row, usable by keyboard', async () => {
    for (const lang of ['en', 'zh']) {
      const { page, problems } = await h.open(`?scenario=locked-key-mismatch&lang=${lang}&delay=0`, {
        width: 700,
        height: 900,
      });
      const links = await page.$$eval('.nav-sub a', (els) =>
        els.map((a) => {
          const r = a.getBoundingClientRect();
          return { href: a.getAttribute('href'), visible: r.width > 0 && r.height > 0, top: Math.round(r.top) };
        }),
      );
      assert.deepEqual(
        links.map((l) => [l.href, l.visible]),
        [
          ['#status', true],
          ['#saved', true],
          ['#support', true],
        ],
      );
      assert.equal(new Set(links.map((l) => l.top)).size, 1, 'one row');
      // Nothing is wider than the window.
      const overflow = await page.evaluate(() => document.getElementById('content').scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${overflow}px too wide`);
      // Status and actions still on the first screen.
      const actionsBottom = await page.$eval('#task-actions', (el) => el.getBoundingClientRect().bottom);
      assert.ok(actionsBottom <= 900, `actions end at ${actionsBottom}px`);
      // Tab to the "Details for support" link, Enter: the details unfold.
      await page.focus('.nav-sub a[href="#saved"]');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#support');
      await page.keyboard.press('Enter');
      assert.equal(await page.getAttribute('#support-toggle', 'aria-expanded'), 'true');
      assert.deepEqual(problems, []);
      await page.close();
    }
  });
});

describe('the clear dialog', () => {
  test('consequences first; Cancel focused; the backup is the safe default, apart from "I understand"', async () => {
    const { page, problems } = await h.open('?scenario=upgraded&lang=en&delay=0');
    await clickAndWait(page, '#btn-clear');
    await page.waitForSelector('#clear-dialog[open]');
    assert.equal(await active(page), 'clear-cancel');
    assert.equal(
      squash(await page.textContent('#consequence-removed')),
      '3 threads (6 messages) and the settings will be removed.',
    );
    assert.equal(squash(await page.textContent('#consequence-kept')), 'Secrets stay: token of gateway profile 1.');
    // Another version's data: what XWorkmate shows does not change.
    await page.selectOption('#clear-generation-select', 'A');
    await idle(page);
    assert.equal(
      squash(await page.textContent('#consequence-afterwards')),
      'The XWorkmate in use (1.0.0-beta.2 – 1.1.7) does not read this data, so what it shows does not change.',
    );
    const [backupBox, understandBox] = await page.evaluate(() =>
      ['clear-backup', 'clear-understand'].map((id) => document.getElementById(id).getBoundingClientRect()),
    );
    assert.ok(understandBox.top - backupBox.bottom > 40, 'the two choices are apart');
    assert.ok(await page.isHidden('#plan-table'));
    await page.keyboard.press('Escape');
    assert.equal(await active(page), 'btn-clear');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('Traditional Chinese', () => {
  test('zh_TW gets Simplified Chinese, and says so once', async () => {
    const { page, problems } = await h.open('?locale=zh_TW.UTF-8&delay=0', { fresh: true });
    assert.equal(await page.textContent('h1'), '诊断');
    assert.ok(await page.isVisible('#hant-note'));
    assert.match(await page.textContent('#hant-note'), /本应用以简体中文显示/);
    await page.reload();
    await idle(page);
    assert.equal(await page.textContent('h1'), '诊断');
    assert.equal(await page.$('#hant-note'), null, 'said once');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('forced colours', () => {
  test('the status edge and the disclosure stay visible', async () => {
    const { page } = await h.open('?scenario=locked-key-missing&lang=en&delay=0', { fresh: true });
    await page.emulateMedia({ forcedColors: 'active' });
    const [edge, toggleBorder] = await page.evaluate(() => [
      getComputedStyle(document.getElementById('status')).borderLeftWidth,
      getComputedStyle(document.getElementById('support-toggle')).borderTopStyle,
    ]);
    assert.equal(edge, '5px');
    assert.equal(toggleBorder, 'solid');
    await unfold(page);
    await page.close();
  });
});
