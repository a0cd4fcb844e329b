// A part of a clear, and rebuilding a damaged database, in headless Chromium
// (fake backend, app CSP): the clear dialog's choice of what to clear — each
// part's consequences in both languages, a part the core refuses (old sealed
// state) with Everything still usable, the archived threads cleared and the
// other thread still listed, the radio group by keyboard — and the rebuild of a
// damaged database from its mirror files (Cancel first), never offered when a
// mirror file is unreadable. Run `npm run build` first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { clickAndWait, idle, startHarness } from './harness.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.stop();
});

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const active = (page) => page.evaluate(() => document.activeElement?.id ?? null);

async function openClear(page) {
  await clickAndWait(page, '#btn-clear');
  await page.waitForSelector('#clear-dialog[open]');
}

/** Chooses a part by clicking its label, and waits for its plan. */
async function choose(page, kind) {
  await page.click(`label[for="clear-scope-${kind}"]`);
  await idle(page);
}

const consequences = async (page) => ({
  removed: squash(await page.textContent('#consequence-removed')),
  all: squash(await page.textContent('#clear-consequences')),
});

const WORDS = {
  en: {
    legend: 'What to clear',
    labels: [
      'Everything: threads and settings',
      'Threads only (the settings stay)',
      'Settings only (the threads stay)',
      'Archived threads only',
      'Threads last updated before a date',
    ],
    all: '2 threads (5 messages), the account vector-user, and 2 gateway profiles will be removed.',
    threads: '2 threads (5 messages) will be removed.',
    settings: 'The account vector-user and 2 gateway profiles will be removed.',
    settingsAlso: '2 threads stay.',
    archived: '1 thread (3 messages) will be removed.',
    archivedAlso: '1 thread stays.',
    none: 'Nothing will be removed: no thread was last updated before that date.',
    date: 'Last updated before',
    done: 'Cleared: 1 thread removed; 1 stays.',
  },
  zh: {
    legend: '清理哪些内容',
    labels: ['全部：线程和设置', '仅线程（设置保留）', '仅设置（线程保留）', '仅已归档的线程', '最后更新早于某个日期的线程'],
    all: '将删除：2 个线程（5 条消息）、账号 vector-user 和 2 个网关配置。',
    threads: '将删除：2 个线程（5 条消息）。',
    settings: '将删除：账号 vector-user 和 2 个网关配置。',
    settingsAlso: '保留 2 个线程。',
    archived: '将删除：1 个线程（3 条消息）。',
    archivedAlso: '保留 1 个线程。',
    none: '不会删除任何内容：没有最后更新早于该日期的线程。',
    date: '最后更新早于',
    done: '已清理：删除了 1 个线程；保留 1 个。',
  },
};

describe('the clear dialog: what to clear', () => {
  for (const lang of ['en', 'zh']) {
    const w = WORDS[lang];
    test(`each part, and its consequences (${lang})`, async () => {
      const { page, problems } = await h.open(`?scenario=healthy&lang=${lang}&delay=0`, { width: 1280, height: 800 });
      await openClear(page);
      assert.equal(squash(await page.textContent('#clear-scope > legend')), w.legend);
      const labels = await page.$$eval('#clear-scope input[type="radio"]', (radios) =>
        radios.map((r) => document.querySelector(`label[for="${r.id}"]`).textContent.trim()),
      );
      assert.deepEqual(labels, w.labels);
      assert.ok(await page.isChecked('#clear-scope-all'), 'everything by default');
      assert.equal((await consequences(page)).removed, w.all);

      await choose(page, 'threads');
      assert.equal((await consequences(page)).removed, w.threads);
      await choose(page, 'settings');
      let c = await consequences(page);
      assert.equal(c.removed, w.settings);
      assert.ok(c.all.includes(w.settingsAlso), c.all);
      await choose(page, 'archivedThreads');
      c = await consequences(page);
      assert.equal(c.removed, w.archived);
      assert.ok(c.all.includes(w.archivedAlso), c.all);
      // A rewrite deletes no file, and the dialog never says "nothing will be removed".
      assert.equal(await page.$('#plan-empty'), null);
      await choose(page, 'threadsBefore');
      assert.equal(squash(await page.textContent('label[for="clear-before"]')), w.date);
      await page.fill('#clear-before', '2025-11-12');
      await idle(page);
      assert.equal((await consequences(page)).removed, w.archived);
      await page.fill('#clear-before', '2000-01-01');
      await idle(page);
      assert.equal((await consequences(page)).removed, w.none);
      await page.check('#clear-understand');
      assert.ok(await page.isDisabled('#clear-confirm'), 'nothing to clear: Clear stays off');

      await choose(page, 'all');
      assert.equal((await consequences(page)).removed, w.all);
      assert.equal(await page.isChecked('#clear-understand'), false, 'a new plan is not confirmed yet');
      // The dialog still fits: its buttons are on the screen.
      const bottom = await page.$eval('#clear-confirm', (b) => b.getBoundingClientRect().bottom);
      assert.ok(bottom <= 800, `Clear at ${bottom}px`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test('a part the core refuses (old sealed state): its words in the dialog; Everything still clears', async () => {
    for (const [lang, refused] of [
      ['en', 'Only a part cannot be cleared here'],
      ['zh', '这里不能只清理一部分'],
    ]) {
      const { page, problems } = await h.open(`?scenario=sealed&lang=${lang}&delay=0`);
      await openClear(page);
      await choose(page, 'archivedThreads');
      assert.equal(await page.getAttribute('#clear-refused', 'data-code'), 'selective_clear_unavailable');
      const text = squash(await page.textContent('#clear-refused'));
      assert.ok(text.includes(refused), text);
      assert.ok(text.includes('old sealed state is still here'), 'the core’s message as a detail');
      assert.ok(await page.isHidden('#error'), 'said in the dialog, not behind it');
      await page.check('#clear-understand');
      assert.ok(await page.isDisabled('#clear-confirm'));
      // Everything: usable.
      assert.ok(await page.isEnabled('#clear-scope-all'));
      await choose(page, 'all');
      assert.equal(await page.$('#clear-refused'), null);
      await page.check('#clear-understand');
      await page.uncheck('#clear-backup');
      await clickAndWait(page, '#clear-confirm');
      assert.equal(await page.getAttribute('#clear-result', 'data-scope'), 'all');
      assert.equal(await page.getAttribute('#clear-result', 'data-removed'), '2');
      assert.deepEqual(problems, []);
      await page.close();
    }
  });

  test('clearing the archived threads leaves the other thread in the list', async () => {
    for (const lang of ['en', 'zh']) {
      const { page, problems } = await h.open(`?scenario=healthy&lang=${lang}&delay=0`);
      await openClear(page);
      await choose(page, 'archivedThreads');
      await page.check('#clear-understand');
      await clickAndWait(page, '#clear-confirm');
      assert.equal(squash(await page.textContent('#clear-result h3')), WORDS[lang].done);
      assert.equal(await page.getAttribute('#clear-result', 'data-rewritten'), '1/1');
      assert.ok((await page.$('#backup-saved')) !== null, 'the backup was saved first');
      assert.equal(await page.textContent('#threads-count'), '1');
      assert.equal(await page.textContent('#threads-archived'), '0');
      const titles = await page.$$eval('#thread-list .thread-title', (els) => els.map((e) => e.textContent));
      assert.deepEqual(titles, ['本地线程']);
      // The settings stayed.
      assert.equal(await page.getAttribute('#settings-present', 'data-present'), 'true');
      assert.equal(await active(page), 'btn-clear');
      assert.deepEqual(problems, []);
      await page.close();
    }
  });

  test('the radio group by keyboard: one Tab stop, arrow keys choose, the date by typing', async () => {
    const { page, problems } = await h.open('?scenario=healthy&lang=en&delay=0');
    await openClear(page);
    assert.equal(await active(page), 'clear-cancel');
    // Clear is off (not understood yet): Tab from Cancel wraps to the dialog's start, the checked radio.
    await page.keyboard.press('Tab');
    assert.equal(await active(page), 'clear-scope-all');
    await page.keyboard.press('ArrowDown');
    await idle(page);
    assert.equal(await active(page), 'clear-scope-threads', 'the focus moves with the choice');
    assert.ok(await page.isChecked('#clear-scope-threads'));
    assert.equal(squash(await page.textContent('#consequence-removed')), WORDS.en.threads);
    await page.keyboard.press('ArrowDown');
    await idle(page);
    await page.keyboard.press('ArrowDown');
    await idle(page);
    assert.equal(await active(page), 'clear-scope-archivedThreads');
    assert.equal(squash(await page.textContent('#consequence-removed')), WORDS.en.archived);
    // Tab leaves the group (the other radios are not Tab stops) for the next control.
    await page.keyboard.press('Tab');
    const next = await active(page);
    assert.ok(!String(next).startsWith('clear-scope-'), `Tab went to ${next}`);
    await page.keyboard.press('Shift+Tab');
    assert.equal(await active(page), 'clear-scope-archivedThreads', 'back to the checked radio');
    // The last one: a date field follows, and is typed into.
    await page.keyboard.press('ArrowDown');
    await idle(page);
    assert.equal(await active(page), 'clear-scope-threadsBefore');
    await page.keyboard.press('Tab');
    assert.equal(await active(page), 'clear-before');
    await page.keyboard.type('11122025');
    await idle(page);
    assert.equal(await page.inputValue('#clear-before'), '2025-11-12');
    assert.equal(squash(await page.textContent('#consequence-removed')), WORDS.en.archived);
    // Arrow up wraps back to everything.
    await page.focus('#clear-scope-threadsBefore');
    for (let n = 0; n < 4; n += 1) {
      await page.keyboard.press('ArrowUp');
      await idle(page);
    }
    assert.ok(await page.isChecked('#clear-scope-all'));
    assert.equal(squash(await page.textContent('#consequence-removed')), WORDS.en.all);
    // Tab wraps inside the dialog and never leaves it.
    for (let n = 0; n < 12; n += 1) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement.closest('#clear-dialog')));
    }
    await page.keyboard.press('Escape');
    assert.equal(await active(page), 'btn-clear');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a later version: its threads or its settings; archived and older threads only for 0.6.1', async () => {
    const { page } = await h.open('?scenario=upgraded&lang=en&delay=0');
    await openClear(page);
    const offered = () => page.$$eval('#clear-scope input', (inputs) => inputs.map((i) => i.value));
    assert.deepEqual(await offered(), ['all', 'threads', 'settings']);
    await page.check('#clear-scope-settings');
    await idle(page);
    assert.equal(squash(await page.textContent('#consequence-removed')), 'The settings will be removed.');
    await page.selectOption('#clear-generation-select', 'A');
    await idle(page);
    assert.deepEqual(await offered(), ['all', 'threads', 'settings', 'archivedThreads', 'threadsBefore']);
    await page.close();
  });
});

describe('rebuilding a damaged database', () => {
  for (const [lang, w] of [
    ['en', { button: 'Rebuild the database…', title: 'Rebuild the database?', ok: 'Everything is readable' }],
    ['zh', { button: '重建数据库…', title: '重建数据库？', ok: '所有数据都可以读取' }],
  ]) {
    test(`corrupt-mirrors: Cancel first, then the rebuild makes everything readable (${lang})`, async () => {
      const { page, problems } = await h.open(`?scenario=corrupt-mirrors&lang=${lang}&delay=0`, { width: 1280, height: 800 });
      assert.equal(await page.getAttribute('#status', 'data-status'), 'damaged');
      assert.equal(squash(await page.textContent('#btn-rebuild')), w.button);
      assert.match(await page.getAttribute('#btn-rebuild', 'class'), /btn-primary/);
      // Cancel: nothing changes, the focus comes back.
      await clickAndWait(page, '#btn-rebuild');
      await page.waitForSelector('#rebuild-dialog[open]');
      assert.equal(await active(page), 'rebuild-cancel');
      assert.equal(squash(await page.textContent('#rebuild-title')), w.title);
      const order = await page.$$eval('#rebuild-dialog button', (bs) => bs.map((b) => b.id));
      assert.deepEqual(order, ['rebuild-cancel', 'rebuild-confirm']);
      assert.equal(await page.$$eval('#rebuild-items li', (els) => els.length), 2);
      assert.match(await page.textContent('#rebuild-kept'), /\.xworkmate-diagnostics\/\s*damaged-\d+-config-store\.sqlite3/);
      await page.keyboard.press('Enter');
      assert.equal(await page.$('#rebuild-dialog[open]'), null, 'Enter on Cancel closes');
      assert.equal(await active(page), 'btn-rebuild');
      assert.equal(await page.getAttribute('#status', 'data-status'), 'damaged');
      // Rebuild.
      await clickAndWait(page, '#btn-rebuild');
      await page.waitForSelector('#rebuild-dialog[open]');
      await clickAndWait(page, '#rebuild-confirm');
      assert.equal(await page.getAttribute('#status', 'data-status'), 'ok');
      assert.equal(squash(await page.textContent('#status-heading')), w.ok);
      assert.equal(await page.getAttribute('#rebuild-result', 'data-executed'), 'true');
      assert.equal(await active(page), 'rebuild-result');
      assert.equal(await page.$('#btn-rebuild'), null);
      assert.equal(await page.textContent('#threads-count'), '2');
      assert.equal(await page.getAttribute('#settings-present', 'data-present'), 'true');
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test('corrupt (the threads’ mirror file unreadable): no rebuild button; wait for support', async () => {
    for (const [lang, wait] of [
      ['en', 'Don’t clear anything before support has looked'],
      ['zh', '在技术支持查看之前，请不要清理任何内容'],
    ]) {
      const { page, problems } = await h.open(`?scenario=corrupt&lang=${lang}&delay=0`);
      assert.equal(await page.getAttribute('#status', 'data-status'), 'damaged');
      assert.equal(await page.$('#btn-rebuild'), null);
      assert.ok(squash(await page.textContent('#status-steps')).includes(wait));
      assert.ok(await page.isVisible('#btn-export-report'));
      assert.deepEqual(problems, []);
      await page.close();
    }
  });
});
