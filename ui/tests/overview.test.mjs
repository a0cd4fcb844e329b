// Storage overview in headless Chromium (fake backend, app CSP): each state in
// both languages. Run `npm run build` first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { clickAndWait, startHarness, unfold } from './harness.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.stop();
});

const squash = (s) => s.replace(/\s+/g, ' ').trim();

async function secrets(page) {
  return page.$$eval('#secrets-list li[data-secret]', (els) =>
    Object.fromEntries(els.map((li) => [li.dataset.secret, `${li.dataset.present}/${li.dataset.backend}`])),
  );
}

async function relations(page) {
  return page.$$eval('#storage-table tbody tr', (rows) => rows.map((r) => r.dataset.relation));
}

const WORDS = {
  en: {
    inSync: 'in sync',
    integrityOk: 'OK',
    integrityCorrupt: 'damaged',
    integrityMissing: 'not created yet',
    set: 'set',
    notSet: 'not set',
    file: 'file fallback',
    sealed: 'sealed (legacy)',
    unreadable: 'unreadable',
    dbMissing: 'database missing',
    noSettings: 'No settings are saved.',
    noThreads: 'No threads are saved.',
    noProblems: 'No problems found.',
    keyring: 'Keyring unavailable: secrets are read from the file fallback',
    dirMissing: 'The data folder does not exist',
    corrupt: 'The database is damaged',
    sealedWarning: 'still sealed',
    secretUnreadable: 'cannot be read',
  },
  zh: {
    inSync: '已同步',
    integrityOk: '正常',
    integrityCorrupt: '已损坏',
    integrityMissing: '尚未创建',
    set: '已设置',
    notSet: '未设置',
    file: '文件备用存储',
    sealed: '已加密（旧版）',
    unreadable: '无法读取',
    dbMissing: '数据库缺失',
    noSettings: '没有已保存的设置。',
    noThreads: '没有已保存的线程。',
    noProblems: '未发现问题。',
    keyring: '系统钥匙串不可用：密钥从 gateway-auth/ 中的文件备用存储读取',
    dirMissing: '数据文件夹不存在',
    corrupt: '数据库已损坏',
    sealedWarning: '仍是加密的',
    secretUnreadable: '无法读取',
  },
};

for (const lang of ['en', 'zh']) {
  const w = WORDS[lang];
  describe(`overview (${lang})`, () => {
    test('healthy', async () => {
      const { page, problems } = await h.open(`?scenario=healthy&lang=${lang}&delay=0`);
      await unfold(page);
      assert.equal(await page.getAttribute('#db-integrity', 'data-integrity'), 'ok');
      assert.equal(squash(await page.textContent('#db-integrity')), w.integrityOk);
      assert.equal(await page.textContent('#threads-count'), '2');
      assert.equal(await page.textContent('#threads-archived'), '1');
      assert.equal(await page.textContent('#messages-count'), '5');
      assert.equal(await page.getAttribute('#settings-present', 'data-present'), 'true');
      assert.deepEqual(await relations(page), ['in_sync', 'in_sync', 'no_mirror']);
      assert.match(await page.textContent('#storage-table'), new RegExp(w.inSync));
      const s = await secrets(page);
      assert.equal(Object.keys(s).length, 9);
      assert.equal(s.gateway_token, 'true/file');
      assert.equal(s.ai_gateway_api_key, 'true/file');
      assert.equal(s.gateway_password, 'false/none');
      const token = squash(await page.textContent('#secrets-list li[data-secret="gateway_token"]'));
      assert.equal(token, `gateway_token ${w.set} ${w.file} sam••••001`);
      const unset = squash(await page.textContent('#secrets-list li[data-secret="vault_token"]'));
      assert.equal(unset, `vault_token ${w.notSet} —`);
      assert.equal(await page.$('#keyring-warning'), null);
      assert.match(await page.textContent('#overview'), new RegExp(w.noProblems));
      // Settings summary: language, account, gateways, AI gateway.
      const settings = squash(await page.textContent('#settings-box'));
      assert.match(settings, /vector-user/);
      assert.match(settings, /127\.0\.0\.1:18789/);
      assert.match(settings, /gateway\.example\.com:9443/);
      assert.match(settings, /https:\/\/api\.example\.com\/v1/);
      assert.match(settings, /中文/);
      // Files with sizes in human units.
      const files = await page.$$eval('#files-table tbody tr', (rows) =>
        rows.map((r) => [r.dataset.file, r.dataset.exists, r.children[1].textContent.trim()]),
      );
      assert.deepEqual(files.slice(0, 4), [
        ['config-store.sqlite3', 'true', '12 KB'],
        ['settings-snapshot.json', 'true', '1.8 KB'],
        ['assistant-threads.json', 'true', '1.4 KB'],
        ['assistant-state-backup.json', 'false', '—'],
      ]);
      // Threads: titles and counts, never message texts.
      assert.match(await page.textContent('#thread-list'), /本地线程/);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('empty (fresh install)', async () => {
      const { page } = await h.open(`?scenario=empty&lang=${lang}&delay=0`);
      assert.equal(await page.getAttribute('#db-integrity', 'data-integrity'), 'missing');
      assert.equal(squash(await page.textContent('#db-integrity')), w.integrityMissing);
      assert.equal(await page.textContent('#threads-count'), '0');
      assert.equal(await page.textContent('#messages-count'), '0');
      assert.equal(await page.getAttribute('#settings-present', 'data-present'), 'false');
      assert.equal(squash(await page.textContent('#settings-present')), w.noSettings);
      assert.match(await page.textContent('#saved'), new RegExp(w.noThreads));
      assert.match(await page.textContent('#warnings'), new RegExp(w.dirMissing));
      assert.ok(await page.isDisabled('#btn-open-folder'), 'nothing to open');
      assert.ok(Object.values(await secrets(page)).every((v) => v === 'false/none'));
      await page.close();
    });

    test('corrupt database', async () => {
      const { page } = await h.open(`?scenario=corrupt&lang=${lang}&delay=0`);
      assert.equal(await page.getAttribute('#db-integrity', 'data-integrity'), 'corrupt');
      assert.equal(squash(await page.textContent('#db-integrity')), w.integrityCorrupt);
      assert.match(await page.textContent('#overview'), /database disk image is malformed/);
      assert.deepEqual(await relations(page), ['database_missing', 'unreadable', 'no_mirror']);
      const table = await page.textContent('#storage-table');
      assert.match(table, new RegExp(w.dbMissing));
      assert.match(table, new RegExp(w.unreadable));
      const codes = await page.$$eval('#warnings [data-code]', (els) => els.map((e) => e.dataset.code));
      assert.deepEqual(codes, ['database_corrupt', 'unreadable_value', 'secret_unreadable']);
      const vault = '#secrets-list li[data-secret="vault_token"]';
      assert.equal(await page.getAttribute(vault, 'data-problem'), 'true');
      assert.match(await page.textContent(vault), new RegExp(w.secretUnreadable));
      assert.match(await page.textContent('#warnings'), new RegExp(w.corrupt));
      assert.equal(await page.getAttribute('#settings-present', 'data-present'), 'true');
      await page.close();
    });

    test('sealed legacy values', async () => {
      const { page } = await h.open(`?scenario=sealed&lang=${lang}&delay=0`);
      assert.deepEqual(await relations(page), ['sealed_legacy', 'sealed_legacy', 'no_mirror']);
      assert.match(await page.textContent('#storage-table'), new RegExp(w.sealed.replace(/[()（）]/g, '.')));
      assert.match(await page.textContent('#warnings'), new RegExp(w.sealedWarning));
      await page.close();
    });

    test('keyring down: the warning is visible, secrets in the file fallback', async () => {
      const { page, problems } = await h.open(`?scenario=keyring-down&lang=${lang}&delay=0`);
      assert.ok(await page.isVisible('#keyring-warning'));
      assert.match(await page.textContent('#keyring-warning'), new RegExp(w.keyring));
      assert.equal(await page.getAttribute('#keyring-health', 'data-reachable'), 'false');
      const s = await secrets(page);
      assert.equal(s.vault_token, 'true/file');
      // The warning is near the top of the panel: visible without scrolling far.
      const top = await page.$eval('#keyring-warning', (el) => el.getBoundingClientRect().top);
      assert.ok(top < 760, `keyring warning at ${top}px`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}

describe('data folder actions', () => {
  test('copy path, open folder, open another folder (and cancel)', async () => {
    const { page, problems } = await h.open('?lang=en&delay=0');
    await unfold(page);
    await clickAndWait(page, '#btn-copy-path');
    assert.match(await page.textContent('#folder-notice'), /copied to the clipboard/);
    await clickAndWait(page, '#btn-open-folder');
    assert.match(await page.textContent('#folder-notice'), /opened in your file manager/);
    await clickAndWait(page, '#btn-choose-dir');
    assert.equal(await page.textContent('#data-dir'), '/media/support/ticket-4711/xworkmate');
    assert.match(await page.textContent('#data-dir-origin'), /you/);
    assert.match(await page.textContent('#folder-notice'), /Now showing/);
    // The copied folder is a locked one: everything was reloaded.
    assert.equal(await page.getAttribute('#status', 'data-status'), 'locked');
    assert.equal(await page.getAttribute('#recovery-status', 'data-status'), 'locked_legacy_state');
    assert.deepEqual(problems, []);
    await page.close();

    const cancelled = await h.open('?lang=en&delay=0&choose=cancel');
    await unfold(cancelled.page);
    await clickAndWait(cancelled.page, '#btn-choose-dir');
    assert.equal(
      await cancelled.page.textContent('#data-dir'),
      '/home/sample/.local/share/plus.svc.xworkmate/xworkmate',
    );
    assert.ok(await cancelled.page.isHidden('#error'));
    await cancelled.page.close();
  });

  test('refresh reloads everything', async () => {
    const { page } = await h.open('?lang=zh&delay=0');
    await clickAndWait(page, '#btn-refresh');
    assert.equal(await page.textContent('#threads-count'), '2');
    assert.match(await page.textContent('.checked'), /检查于/);
    await page.close();
  });
});
