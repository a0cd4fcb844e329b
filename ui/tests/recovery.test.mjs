// Legacy recovery and the locked-recovery report in headless Chromium (fake
// backend, app CSP): sealed-recoverable (Preview, then Run), locked for each
// reason (banner, reason words, test-key flow), both languages.
// Run `npm run build` first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { clickAndWait, FAKE_KEY, startHarness, unfold, WRONG_KEY } from './harness.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.stop();
});

const squash = (s) => s.replace(/\s+/g, ' ').trim();

const WORDS = {
  en: {
    recoverable: 'can be recovered',
    wouldRecover: 'would be recovered',
    recovered: 'recovered',
    nothing: 'nothing to recover',
    locked: 'locked',
    preview: 'Preview: nothing was written',
    finished: 'Recovery finished',
    withKey: 'Recovery with your key finished',
    invalid: 'This is not a key: a key is 43 characters of letters, digits, - and _.',
    opens: 'This key opens 2 of the locked sources.',
    opensNone: 'This key is valid, but it opens none of the locked sources.',
    fromFile: 'Key read from local-state-key.txt.',
    banner: 'Old data is locked',
    safe: 'Nothing is lost if you wait',
    reasons: {
      key_missing: 'key missing',
      key_mismatch: 'key doesn’t match',
      key_invalid: 'key is not valid',
      malformed: 'damaged data',
    },
    next: {
      key_missing: 'No key was found on this computer',
      key_mismatch: 'another installation wrote it',
      key_invalid: 'is damaged or holds no key',
      malformed: 'no key can open it',
    },
    keyFound: 'found',
    keyMissing: 'not found',
    keyInvalid: 'found, not a valid key',
    copied: 'The report was copied to the clipboard.',
    exported: 'The report was saved to /home/sample/Desktop/xworkmate-support-report.json.',
    never: 'Recovery has not been run on this folder.',
    noneLocked: 'Nothing is locked',
  },
  zh: {
    recoverable: '可以恢复',
    wouldRecover: '将被恢复',
    recovered: '已恢复',
    nothing: '无需恢复',
    locked: '已锁定',
    preview: '预览：未写入任何内容',
    finished: '恢复已完成',
    withKey: '使用您的解密密钥恢复已完成',
    invalid: '这不是解密密钥：解密密钥由 43 个字母、数字、“-”或“_”组成。',
    opens: '此解密密钥可以打开 2 个锁定的来源。',
    opensNone: '此解密密钥有效，但无法打开任何锁定的来源。',
    fromFile: '已从 local-state-key.txt 读取解密密钥。',
    banner: '旧数据已锁定',
    safe: '等待不会丢失任何内容',
    reasons: {
      key_missing: '缺少解密密钥',
      key_mismatch: '解密密钥不匹配',
      key_invalid: '解密密钥无效',
      malformed: '数据已损坏',
    },
    next: {
      key_missing: '在此电脑上未找到解密密钥',
      key_mismatch: '由另一个安装写入',
      key_invalid: '已损坏或不含解密密钥',
      malformed: '任何解密密钥都无法打开',
    },
    keyFound: '已找到',
    keyMissing: '未找到',
    keyInvalid: '已找到，但不是有效的解密密钥',
    copied: '报告已复制到剪贴板。',
    exported: '报告已保存到 /home/sample/Desktop/xworkmate-support-report.json。',
    never: '尚未对此文件夹运行过恢复。',
    noneLocked: '没有锁定的内容',
  },
};

async function typeKey(page, key) {
  await page.fill('#key-input', key);
  await clickAndWait(page, '#btn-test-key');
}

for (const lang of ['en', 'zh']) {
  const w = WORDS[lang];

  describe(`legacy recovery (${lang})`, () => {
    test('healthy: nothing to recover, nothing locked, no key box', async () => {
      const { page, problems } = await h.open(`?scenario=healthy&lang=${lang}&delay=0`);
      assert.equal(await page.getAttribute('#status', 'data-status'), 'ok');
      // Recovery is no task here: its buttons are in the details, for support.
      assert.equal(await page.$('#status #btn-recover'), null);
      await unfold(page);
      assert.equal(await page.getAttribute('#recovery-status', 'data-status'), 'none');
      assert.equal(squash(await page.textContent('#recovery-status')), w.nothing);
      assert.equal(await page.$('#key-input'), null);
      assert.ok(await page.isHidden('#locked-sources'));
      assert.match(await page.textContent('#locked-report'), new RegExp(w.noneLocked));
      assert.match(await page.textContent('#last-recovery'), new RegExp(w.never));
      await clickAndWait(page, '#btn-preview');
      assert.equal(await page.getAttribute('#recovery-result', 'data-status'), 'none');
      assert.equal(await page.getAttribute('#recovery-result', 'data-dry-run'), 'true');
      // The result shows under the status; the keyboard is taken there.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'recovery-result');
      assert.deepEqual(problems, []);
      await page.close();
    });

    test('sealed-recoverable: Preview, then Recover old data, both under the status', async () => {
      const { page, problems } = await h.open(`?scenario=sealed&lang=${lang}&delay=0`);
      assert.equal(await page.getAttribute('#status', 'data-status'), 'recoverable');
      assert.ok(await page.isVisible('#status #btn-recover'));
      assert.ok(await page.isVisible('#status #btn-preview'));
      assert.equal(await page.getAttribute('#recovery-status', 'data-status'), 'recoverable');
      assert.equal(squash(await page.textContent('#recovery-status')), w.recoverable);

      await clickAndWait(page, '#btn-preview');
      assert.equal(await page.getAttribute('#recovery-result', 'data-status'), 'migrated');
      assert.equal(await page.getAttribute('#recovery-result', 'data-dry-run'), 'true');
      const preview = squash(await page.textContent('#recovery-result'));
      assert.match(preview, new RegExp(w.preview));
      assert.match(preview, new RegExp(w.wouldRecover));
      // From where, and how many threads.
      assert.match(preview, /settings-snapshot\.json/);
      assert.match(preview, /assistant-threads\.json/);
      const threadRow = await page.$eval('#recovery-result tr[data-document="threads"]', (r) =>
        r.lastElementChild.textContent.trim(),
      );
      assert.equal(threadRow, '2');
      // A preview changes nothing.
      assert.equal(await page.getAttribute('#recovery-status', 'data-status'), 'recoverable');
      assert.equal(await page.textContent('#threads-count'), '—', 'sealed threads are not "0"');

      await clickAndWait(page, '#btn-recover');
      assert.equal(await page.getAttribute('#recovery-result', 'data-status'), 'migrated');
      assert.equal(await page.getAttribute('#recovery-result', 'data-dry-run'), 'false');
      assert.match(await page.textContent('#recovery-result'), new RegExp(w.finished));
      // Everything was refreshed: plain and in sync now.
      assert.equal(await page.getAttribute('#recovery-status', 'data-status'), 'none');
      assert.equal(await page.textContent('#threads-count'), '2');
      assert.equal(await page.getAttribute('#db-integrity', 'data-integrity'), 'ok');
      const rel = await page.$$eval('#storage-table tbody tr', (rows) => rows.map((r) => r.dataset.relation));
      assert.deepEqual(rel.slice(0, 2), ['in_sync', 'in_sync']);
      assert.equal(await page.getAttribute('#last-recovery', 'data-status'), 'migrated');
      assert.equal(
        await page.getAttribute('#secrets-list li[data-secret="local_state_key"]', 'data-backend'),
        'keyring',
      );
      assert.deepEqual(problems, []);
      await page.close();
    });

    for (const [scenario, reason] of [
      ['locked-key-missing', 'key_missing'],
      ['locked-key-mismatch', 'key_mismatch'],
      ['locked-key-invalid', 'key_invalid'],
    ]) {
      test(`${scenario}: status, reason, test a key, recover with it`, async () => {
        const { page, problems } = await h.open(`?scenario=${scenario}&lang=${lang}&delay=0`);
        assert.equal(await page.getAttribute('#status', 'data-status'), 'locked');
        assert.equal(squash(await page.textContent('#status-heading')), w.banner);
        assert.match(await page.textContent('#status-safe'), new RegExp(w.safe));
        // One story: no recovery run while locked, anywhere.
        assert.equal(await page.$('#btn-recover'), null);
        assert.ok(await page.isVisible('#key-input'), 'the key field is among the steps');
        assert.equal(await page.getAttribute('#recovery-status', 'data-status'), 'locked_legacy_state');
        assert.equal(squash(await page.textContent('#recovery-status')), w.locked);
        const items = await page.$$eval('#locked-sources li', (els) => els.map((e) => e.dataset.reason));
        assert.deepEqual(items, [reason, reason]);
        const report = squash(await page.textContent('#locked-sources'));
        assert.match(report, new RegExp(w.reasons[reason]));
        assert.match(report, new RegExp(w.next[reason]));
        assert.match(report, /assistant-state-backup\.json/);
        // Where the key was looked for.
        const keys = squash(await page.textContent('#key-locations'));
        assert.match(keys, /gateway-auth\/\s?local-state-key\.txt/);
        const fileState = await page.getAttribute('#key-locations [data-where="key-file"]', 'data-state');
        assert.equal(fileState, { key_missing: 'missing', key_mismatch: 'present', key_invalid: 'invalid' }[reason]);

        // The key field is a password field, and the recover button waits for a test.
        assert.equal(await page.getAttribute('#key-input', 'type'), 'password');
        assert.ok(await page.isDisabled('#btn-test-key'));
        assert.ok(await page.isDisabled('#btn-recover-with-key'));

        await typeKey(page, 'abc');
        assert.equal(await page.getAttribute('#key-test-result', 'data-valid'), 'false');
        assert.equal(squash(await page.textContent('#key-test-result')), w.invalid);
        assert.ok(await page.isDisabled('#btn-recover-with-key'));

        await typeKey(page, WRONG_KEY);
        assert.equal(await page.getAttribute('#key-test-result', 'data-valid'), 'true');
        assert.equal(await page.getAttribute('#key-test-result', 'data-opens'), '0');
        assert.match(await page.textContent('#key-test-result'), new RegExp(w.opensNone));
        assert.ok(await page.isDisabled('#btn-recover-with-key'));

        // Enter in the field tests the key too.
        await page.fill('#key-input', FAKE_KEY);
        await page.press('#key-input', 'Enter');
        await page.waitForSelector('#key-test-result[data-opens="2"]');
        await page.waitForSelector('body[data-busy="false"]');
        assert.match(await page.textContent('#key-test-result'), new RegExp(w.opens));
        // The key is never echoed anywhere in the page.
        assert.ok(!(await page.content()).includes(FAKE_KEY));
        // Testing wrote nothing.
        assert.equal(await page.getAttribute('#recovery-status', 'data-status'), 'locked_legacy_state');

        await clickAndWait(page, '#btn-recover-with-key');
        assert.equal(await page.getAttribute('#recovery-result', 'data-status'), 'migrated');
        assert.match(await page.textContent('#recovery-result'), new RegExp(w.withKey));
        assert.ok(await page.isVisible('#recovery-result'));
        assert.equal(await page.getAttribute('#status', 'data-status'), 'ok');
        assert.equal(await page.getAttribute('#recovery-status', 'data-status'), 'none');
        assert.equal(await page.textContent('#threads-count'), '2');
        assert.equal(await page.getAttribute('#last-recovery', 'data-status'), 'migrated');
        assert.ok(!(await page.content()).includes(FAKE_KEY));
        assert.deepEqual(problems, []);
        await page.close();
      });
    }

    test('locked-malformed: damaged data, no key helps', async () => {
      const { page, problems } = await h.open(`?scenario=locked-malformed&lang=${lang}&delay=0`);
      assert.equal(await page.getAttribute('#status', 'data-status'), 'locked');
      // No key can help: no key field, but what to do instead.
      assert.equal(await page.$('#key-input'), null);
      assert.equal(await page.getAttribute('#status-steps', 'data-steps'), 'damaged-sealed');
      const items = await page.$$eval('#locked-sources li', (els) => els.map((e) => e.dataset.reason));
      assert.deepEqual(items, ['malformed', 'malformed']);
      assert.match(await page.textContent('#locked-sources'), new RegExp(w.reasons.malformed));
      assert.match(squash(await page.textContent('#locked-sources')), new RegExp(w.next.malformed));
      assert.equal(
        await page.getAttribute('#key-locations [data-where="secure-storage"]', 'data-state'),
        'present',
      );
      assert.deepEqual(problems, []);
      await page.close();
    });
  });

  describe(`locked-recovery report (${lang})`, () => {
    test('pick a key file, preview without a key, copy and export the report', async () => {
      const { page, problems } = await h.open(`?scenario=locked-key-missing&lang=${lang}&delay=0`);
      await clickAndWait(page, '#btn-pick-key-file');
      assert.equal(await page.getAttribute('#key-test-result', 'data-opens'), '2');
      assert.match(await page.textContent('#key-test-result'), new RegExp(w.fromFile.replace(/\./g, '\\.')));
      assert.ok(await page.isEnabled('#btn-recover-with-key'));

      // Support can still preview what recovery finds (it writes nothing); there is no run.
      await unfold(page);
      assert.equal(await page.$('#btn-recover'), null);
      await clickAndWait(page, '#btn-preview');
      assert.equal(await page.getAttribute('#recovery-result', 'data-status'), 'locked_legacy_state');
      assert.equal(await page.getAttribute('#recovery-result', 'data-dry-run'), 'true');
      assert.equal(await page.getAttribute('#last-recovery', 'data-status'), null);
      assert.equal(await page.getAttribute('#status', 'data-status'), 'locked');

      await clickAndWait(page, '#btn-copy-report');
      assert.equal(squash(await page.textContent('#report-notice')), w.copied);
      await clickAndWait(page, '#btn-export-report');
      assert.equal(squash(await page.textContent('#report-notice')), w.exported);
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}

describe('export cancelled', () => {
  test('shows nothing', async () => {
    const { page } = await h.open('?scenario=locked-key-missing&lang=en&delay=0&export=cancel');
    await clickAndWait(page, '#btn-export-report');
    assert.equal(squash(await page.textContent('#report-notice')), '');
    assert.ok(await page.isHidden('#error'));
    await page.close();
  });

  test('a cancelled key-file dialog changes nothing', async () => {
    const { page } = await h.open('?scenario=locked-key-missing&lang=en&delay=0&pick=cancel');
    await clickAndWait(page, '#btn-pick-key-file');
    assert.equal(await page.getAttribute('#key-test-result', 'data-valid'), null);
    assert.ok(await page.isHidden('#error'));
    await page.close();
  });
});
