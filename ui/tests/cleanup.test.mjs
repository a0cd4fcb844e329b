// Local data cleanup in headless Chromium (fake backend, app CSP): the
// confirmation dialog (Cancel focused, checkbox gate, Escape, backup on by
// default), the result (secrets verified), keyboard-only operation, both
// languages. Run `npm run build` first.
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

const squash = (s) => s.replace(/\s+/g, ' ').trim();
const active = (page) => page.evaluate(() => document.activeElement?.id ?? null);
const dialogOpen = (page) => page.$eval('#clear-dialog', (d) => d.open);

const WORDS = {
  en: {
    title: 'Clear threads and local config?',
    understand: 'I understand that this removes them from this computer',
    understandNoBackup: 'I understand this cannot be undone',
    backup: 'Save a backup first (recommended)',
    removed: '2 threads (5 messages), the account vector-user, and 2 gateway profiles will be removed.',
    kept: 'Secrets stay: gateway token and AI gateway API key.',
    cancel: 'Cancel',
    total: 'Total',
    totalSize: '6.4 KB',
    keptSecrets: 'Secrets in file fallback: 2',
    keptAudit: 'Audit trail: 1 entry',
    done: 'Cleared: 4 items removed (6.4 KB).',
    verified: 'Every secret is still there (2 checked after clearing).',
    backupSaved: 'Backup saved to /home/sample/Documents/xworkmate-backup-2025-11-14.json.',
    cancelled: 'Cancelled: nothing was removed.',
    lost: 'Some secrets are missing after clearing',
    nothing: 'There is nothing to delete.',
  },
  zh: {
    title: '清理任务线程与本地配置？',
    understand: '我明白这会从这台电脑上删除它们',
    understandNoBackup: '我明白此操作无法撤销',
    backup: '先保存备份（推荐）',
    removed: '将删除：2 个线程（5 条消息）、账号 vector-user 和 2 个网关配置。',
    kept: '密钥保持不变：网关令牌和 AI 网关 API 密钥。',
    cancel: '取消',
    total: '合计',
    totalSize: '6.4 KB',
    keptSecrets: '文件备用存储中的密钥：2 个',
    keptAudit: '审计记录：1 条',
    done: '已清理：删除了 4 项（6.4 KB）。',
    verified: '所有密钥都还在（清理后检查了 2 个）。',
    backupSaved: '备份已保存到 /home/sample/Documents/xworkmate-backup-2025-11-14.json。',
    cancelled: '已取消：未删除任何内容。',
    lost: '清理后有密钥缺失',
    nothing: '没有需要删除的内容。',
  },
};

async function openDialog(page) {
  await clickAndWait(page, '#btn-clear');
  await page.waitForSelector('#clear-dialog[open]');
}

for (const lang of ['en', 'zh']) {
  const w = WORDS[lang];
  describe(`cleanup (${lang})`, () => {
    test('the dialog shows the plan; Cancel is focused; confirm waits for the checkbox', async () => {
      const { page, problems } = await h.open(`?scenario=healthy&lang=${lang}&delay=0`);
      await openDialog(page);
      assert.equal(await active(page), 'clear-cancel', 'Cancel is focused on open');
      assert.equal(squash(await page.textContent('#clear-title')), w.title);
      assert.equal(await page.isChecked('#clear-understand'), false);
      assert.equal(await page.isChecked('#clear-backup'), true, 'backup on by default');
      assert.ok(await page.isDisabled('#clear-confirm'));
      assert.equal(squash(await page.textContent('label[for="clear-understand"]')), w.understand);
      assert.equal(squash(await page.textContent('label[for="clear-backup"]')), w.backup);
      // Consequences first, in words; the storage rows are folded for support.
      assert.equal(squash(await page.textContent('#consequence-removed')), w.removed);
      assert.equal(squash(await page.textContent('#consequence-kept')), w.kept);
      assert.ok(await page.isHidden('#plan-table'), 'the rows are folded');
      await page.click('#clear-storage summary');
      assert.ok(await page.isVisible('#plan-table'));
      // Unticking the backup: now it cannot be undone, and the box says so.
      await page.uncheck('#clear-backup');
      assert.equal(squash(await page.textContent('label[for="clear-understand"]')), w.understandNoBackup);
      await page.check('#clear-backup');
      // What will be deleted, with sizes and a total.
      const rows = await page.$$eval('#plan-table tbody tr', (trs) => trs.map((tr) => tr.dataset.kind));
      assert.deepEqual(rows, ['file', 'file', 'sqlite_row', 'sqlite_row']);
      assert.equal(await page.textContent('#plan-total'), w.totalSize);
      const plan = squash(await page.textContent('#plan-table'));
      assert.match(plan, /settings-snapshot\.json/);
      assert.match(plan, /xworkmate\.assistant\.threads/);
      assert.match(plan, /1\.8 KB/);
      // What is kept: secrets by backend with names, the audit trail, gateway-auth.
      const kept = squash(await page.textContent('#plan-kept'));
      assert.match(kept, new RegExp(w.keptSecrets));
      assert.match(kept, /gateway_token/);
      assert.match(kept, /ai_gateway_api_key/);
      assert.match(kept, new RegExp(w.keptAudit));
      assert.match(kept, /gateway-auth/);
      // The rest of the page is inert while the dialog is open.
      assert.equal(await page.$eval('#clear-dialog', (d) => d.matches(':modal')), true);

      await page.check('#clear-understand');
      assert.ok(await page.isEnabled('#clear-confirm'));
      await page.uncheck('#clear-understand');
      assert.ok(await page.isDisabled('#clear-confirm'));
      await page.click('#clear-cancel');
      assert.equal(await dialogOpen(page), false);
      assert.equal(await active(page), 'btn-clear');
      assert.equal(await page.textContent('#threads-count'), '2', 'nothing removed');
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('Escape cancels', async () => {
      const { page } = await h.open(`?scenario=healthy&lang=${lang}&delay=0`);
      await openDialog(page);
      await page.check('#clear-understand');
      await page.keyboard.press('Escape');
      assert.equal(await dialogOpen(page), false);
      assert.equal(await active(page), 'btn-clear');
      assert.equal(await page.textContent('#threads-count'), '2');
      // Opening again starts unchecked.
      await openDialog(page);
      assert.equal(await page.isChecked('#clear-understand'), false);
      assert.equal(await page.isChecked('#clear-backup'), true);
      await page.keyboard.press('Escape');
      await page.close();
    });

    test('clearing removes settings and threads, and every secret is still there', async () => {
      const { page, problems } = await h.open(`?scenario=healthy&lang=${lang}&delay=0`);
      await openDialog(page);
      await page.check('#clear-understand');
      await clickAndWait(page, '#clear-confirm');
      assert.equal(await dialogOpen(page), false);
      assert.equal(await page.getAttribute('#clear-result', 'data-verified'), 'true');
      assert.equal(await page.getAttribute('#clear-result', 'data-removed'), '4');
      const result = squash(await page.textContent('#clear-result'));
      assert.match(result, new RegExp(w.done.replace(/[().（）]/g, '.')));
      assert.match(result, new RegExp(w.verified.replace(/[().（）]/g, '.')));
      assert.match(result, new RegExp(w.backupSaved.replace(/[().（）]/g, '.')));
      // The overview was refreshed: settings and threads gone, secrets kept.
      assert.equal(await page.getAttribute('#settings-present', 'data-present'), 'false');
      assert.equal(await page.textContent('#threads-count'), '0');
      assert.equal(
        await page.getAttribute('#secrets-list li[data-secret="gateway_token"]', 'data-present'),
        'true',
      );
      assert.equal(
        await page.getAttribute('#secrets-list li[data-secret="ai_gateway_api_key"]', 'data-present'),
        'true',
      );
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('a cancelled backup dialog removes nothing', async () => {
      const { page } = await h.open(`?scenario=healthy&lang=${lang}&delay=0&backup=cancel`);
      await openDialog(page);
      await page.check('#clear-understand');
      await clickAndWait(page, '#clear-confirm');
      assert.equal(await page.getAttribute('#clear-result', 'data-cancelled'), 'true');
      assert.equal(await page.getAttribute('#clear-result', 'data-removed'), '0');
      assert.equal(squash(await page.textContent('#clear-result')), w.cancelled);
      assert.equal(await page.textContent('#threads-count'), '2');
      await page.close();
    });

    test('a lost secret is an error', async () => {
      const { page } = await h.open(`?scenario=healthy&lang=${lang}&delay=0&secrets=lost`);
      await openDialog(page);
      await page.uncheck('#clear-backup');
      await page.check('#clear-understand');
      await clickAndWait(page, '#clear-confirm');
      assert.equal(await page.getAttribute('#clear-result', 'data-verified'), 'false');
      assert.ok(await page.isVisible('#secrets-lost'));
      assert.equal(await page.getAttribute('#secrets-lost', 'role'), 'alert');
      assert.match(await page.textContent('#secrets-lost'), new RegExp(w.lost));
      assert.match(await page.textContent('#secrets-lost'), /gateway_token/);
      assert.equal(await page.$('#backup-saved'), null, 'no backup was asked for');
      await page.close();
    });

    test('empty: nothing to delete', async () => {
      const { page } = await h.open(`?scenario=empty&lang=${lang}&delay=0`);
      await openDialog(page);
      assert.equal(squash(await page.textContent('#plan-empty')), w.nothing);
      await page.check('#clear-understand');
      assert.ok(await page.isDisabled('#clear-confirm'));
      await page.keyboard.press('Escape');
      await page.close();
    });
  });
}

describe('cleanup by keyboard only', () => {
  test('Tab to the button, Enter, Space on the checkbox, Tab wraps inside the dialog, Enter clears', async () => {
    const { page, problems } = await h.open('?scenario=keyring-down&lang=en&delay=60');
    // Reach the button with Tab alone.
    await page.click('h1');
    let presses = 0;
    while ((await active(page)) !== 'btn-clear') {
      await page.keyboard.press('Tab');
      presses += 1;
      assert.ok(presses < 80, 'the clear button is reachable with Tab');
    }
    const outline = await page.$eval('#btn-clear', (b) => getComputedStyle(b).outlineStyle);
    assert.equal(outline, 'solid', 'focus is visible');
    await page.keyboard.press('Enter');
    await idle(page);
    await page.waitForSelector('#clear-dialog[open]');
    assert.equal(await active(page), 'clear-cancel');

    // Shift+Tab: the "I understand" checkbox; Space ticks it.
    await page.keyboard.press('Shift+Tab');
    assert.equal(await active(page), 'clear-understand');
    await page.keyboard.press('Space');
    assert.equal(await page.isChecked('#clear-understand'), true);
    // Tab: Cancel, then Clear (now enabled), then around to the first control.
    await page.keyboard.press('Tab');
    assert.equal(await active(page), 'clear-cancel');
    await page.keyboard.press('Tab');
    assert.equal(await active(page), 'clear-confirm');
    await page.keyboard.press('Tab');
    const wrapped = await active(page);
    assert.ok(
      await page.$eval('#clear-dialog', (d) => d.contains(document.activeElement)),
      `focus stays in the dialog (at ${wrapped})`,
    );
    await page.keyboard.press('Shift+Tab');
    assert.equal(await active(page), 'clear-confirm');

    await page.keyboard.press('Enter');
    await idle(page);
    assert.equal(await dialogOpen(page), false);
    assert.equal(await page.getAttribute('#clear-result', 'data-verified'), 'true');
    assert.equal(await page.getAttribute('#clear-result', 'data-removed'), '4');
    assert.equal(await active(page), 'btn-clear', 'focus returns to the button');
    assert.match(squash(await page.textContent('#clear-result')), /Every secret is still there \(3 checked/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
