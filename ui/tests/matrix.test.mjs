// Every state of every section, in both languages (headless Chromium, fake
// backend, app CSP): for each scenario × language, each section shows what is
// specific to that state (from the table below), in the right language; in zh no
// English sentence is left outside data and the core's labelled technical details.
// One warm page for the whole file. Run `npm run build` first.
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

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

// --- what each scenario shows -------------------------------------------------------------

const LOCKED = {
  integrity: 'missing',
  threads: ['—', '—', '—'],
  settings: false,
  secrets: { vault_token: 'file' },
  warnings: ['sealed_legacy'],
  status: 'locked_legacy_state',
  preview: 'locked_legacy_state',
  removals: 2,
  keptSecrets: 1,
  planNotes: [],
};

/**
 * integrity: #db-integrity; threads: [count, archived, messages] as shown ("—"
 * when they cannot be counted: sealed or unreadable is never "0"); settings:
 * #settings-present; secrets: the present ones and their backend (all others
 * absent); warnings: inspect codes in order; status: #recovery-status; preview:
 * the Preview result's status; locked: #locked-sources reasons; keys: [secure
 * storage, key file] states; removals / keptSecrets / planNotes: the clear plan.
 */
const SCENARIOS = {
  healthy: {
    integrity: 'ok',
    threads: ['2', '1', '5'],
    settings: true,
    secrets: { gateway_token: 'file', ai_gateway_api_key: 'file' },
    warnings: [],
    status: 'none',
    preview: 'none',
    locked: [],
    keys: ['missing', 'missing'],
    removals: 4,
    keptSecrets: 2,
    planNotes: [],
  },
  empty: {
    integrity: 'missing',
    threads: ['0', '0', '0'],
    settings: false,
    secrets: {},
    warnings: ['data_dir_missing'],
    status: 'none',
    preview: 'none',
    locked: [],
    keys: ['missing', 'missing'],
    removals: 0,
    keptSecrets: 0,
    planNotes: [],
  },
  corrupt: {
    integrity: 'corrupt',
    threads: ['—', '—', '—'],
    settings: true,
    secrets: { gateway_token: 'file' },
    unreadable: ['vault_token'],
    warnings: ['database_corrupt', 'unreadable_value', 'secret_unreadable'],
    status: 'none',
    preview: 'none',
    locked: [],
    keys: ['missing', 'missing'],
    removals: 2,
    keptSecrets: 1,
    planNotes: ['database_rows', 'secret_unchecked'],
  },
  sealed: {
    integrity: 'missing',
    threads: ['—', '—', '—'],
    settings: false,
    secrets: { gateway_token: 'file' },
    warnings: ['sealed_legacy', 'sealed_legacy'],
    status: 'recoverable',
    preview: 'migrated',
    locked: [],
    keys: ['missing', 'present'],
    removals: 2,
    keptSecrets: 1,
    planNotes: [],
  },
  'locked-key-missing': { ...LOCKED, locked: ['key_missing', 'key_missing'], keys: ['missing', 'missing'] },
  'locked-key-mismatch': { ...LOCKED, locked: ['key_mismatch', 'key_mismatch'], keys: ['missing', 'present'] },
  'locked-malformed': {
    ...LOCKED,
    secrets: { vault_token: 'file', local_state_key: 'keyring' },
    locked: ['malformed', 'malformed'],
    keys: ['present', 'missing'],
    keptSecrets: 2,
  },
  'locked-key-invalid': { ...LOCKED, locked: ['key_invalid', 'key_invalid'], keys: ['missing', 'invalid'] },
  'corrupt-mirrors': {
    integrity: 'corrupt',
    threads: ['2', '1', '5'],
    settings: true,
    secrets: { gateway_token: 'file', ai_gateway_api_key: 'file' },
    warnings: ['database_corrupt'],
    status: 'none',
    preview: 'none',
    locked: [],
    keys: ['missing', 'missing'],
    removals: 2,
    keptSecrets: 2,
    planNotes: ['database_rows'],
  },
  'keyring-down': {
    integrity: 'ok',
    threads: ['2', '1', '5'],
    settings: true,
    secrets: { gateway_token: 'file', ai_gateway_api_key: 'file', vault_token: 'file' },
    warnings: ['keyring_unavailable'],
    status: 'none',
    preview: 'none',
    locked: [],
    keys: ['missing', 'missing'],
    removals: 4,
    keptSecrets: 3,
    planNotes: [],
  },
};

// --- the words each language uses --------------------------------------------------------

const WORDS = {
  en: {
    overview: 'Storage overview',
    recovery: 'Legacy recovery',
    report: 'Recovery report',
    clearButton: 'Clear threads and local config…',
    dialog: 'Clear threads and local config?',
    tech: 'Details:',
    integrity: { ok: 'OK', corrupt: 'damaged', missing: 'not created yet' },
    status: { none: 'nothing to recover', recoverable: 'can be recovered', locked_legacy_state: 'locked' },
    preview: 'Preview: nothing was written',
    reason: {
      key_missing: 'key missing',
      key_mismatch: 'key doesn’t match',
      key_invalid: 'key is not valid',
      malformed: 'damaged data',
    },
    keyState: { present: 'found', missing: 'not found', invalid: 'found, not a valid key' },
    banner: 'Old data is locked',
    noneLocked: 'Nothing is locked: every source that was found can be read.',
    never: 'Recovery has not been run on this folder.',
    nothingToDelete: 'There is nothing to delete.',
  },
  zh: {
    overview: '存储概览',
    recovery: '旧版数据恢复',
    report: '恢复报告',
    clearButton: '清理任务线程与本地配置…',
    dialog: '清理任务线程与本地配置？',
    tech: '技术细节（英文）：',
    integrity: { ok: '正常', corrupt: '已损坏', missing: '尚未创建' },
    status: { none: '无需恢复', recoverable: '可以恢复', locked_legacy_state: '已锁定' },
    preview: '预览：未写入任何内容',
    reason: { key_missing: '缺少解密密钥', key_mismatch: '解密密钥不匹配', key_invalid: '解密密钥无效', malformed: '数据已损坏' },
    keyState: { present: '已找到', missing: '未找到', invalid: '已找到，但不是有效的解密密钥' },
    banner: '旧数据已锁定',
    noneLocked: '没有锁定的内容：找到的每个来源都可以读取。',
    never: '尚未对此文件夹运行过恢复。',
    nothingToDelete: '没有需要删除的内容。',
  },
};

/** Each section's own sentences (not data, not the core's details). */
const MAIN_TEXTS = {
  overview: [
    '#status-heading',
    '#status-explain',
    '#status-notes .callout-body > p:first-child',
    '#task-actions button',
    '#saved h2',
    '#saved .lead',
    '#threads-none',
    '#overview h3',
    '#overview .lead',
    '#warnings .callout-body > p:first-child',
    '#no-warnings',
    '#settings-present',
    '#db-integrity',
    '#keyring-health .pill',
    '#secrets-list li[data-secret] .pill',
  ],
  recovery: [
    '#recovery h3',
    '#recovery .lead',
    '#recovery-status',
    '#recovery .status-explain',
    '#recovery-result h3',
    '#recovery-result .result-box > p:not(.tech-detail)',
    '#key-heading',
  ],
  report: [
    '#locked-report h3',
    '#status-heading',
    '#status-steps li',
    '#locked-sources .locked-title',
    '#locked-sources .pill',
    '#locked-sources .next',
    '#locked-report .all-good',
    '#key-locations dt',
    '#key-locations .pill',
    '#last-recovery .empty',
  ],
  cleanup: [
    '#btn-clear',
    '#clear-title',
    '#clear-consequences p',
    '#clear-intro',
    '#clear-dialog h3',
    '#plan-warnings .callout-body > p:first-child',
    '#plan-kept > li',
    '#plan-empty',
    'label[for="clear-understand"]',
  ],
};

const CJK = /[\u4e00-\u9fff]/;

/** The texts of `selectors` that are not in `lang` (zh: no CJK; en: any CJK). */
async function wrongLanguage(page, selectors, lang) {
  const texts = await page.$$eval(selectors.join(', '), (els) => els.map((e) => e.textContent));
  assert.ok(texts.length > 0, `found ${selectors.join(', ')}`);
  return texts.map(squash).filter((text) => text && (lang === 'zh' ? !CJK.test(text) : CJK.test(text)));
}

/**
 * Text under `selector` that reads as an English phrase (three words or more),
 * skipping data (code, masks, names, thread titles) and the core's English
 * details (lang="en").
 */
function englishPhrases(page, selector) {
  return page.$$eval(selector, (roots) => {
    const skip = 'code, [lang="en"], .thread-title, [hidden]';
    const found = [];
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest(skip)) continue;
        const text = node.textContent.replace(/\s+/g, ' ').trim();
        if (/[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}/.test(text)) found.push(text);
      }
    }
    return found;
  });
}

/** Every core text on the page sits under the label of `lang`. */
async function techLabels(page, selector) {
  const details = selector
    .split(',')
    .map((root) => `${root.trim()} .tech-detail`)
    .join(', ');
  return page.$$eval(details, (els) =>
    els.map((e) => [e.querySelector('.tech-label')?.textContent.trim(), e.querySelector('.tech-text')?.lang]),
  );
}

async function checkLanguage(page, section, lang, roots) {
  assert.deepEqual(await wrongLanguage(page, MAIN_TEXTS[section], lang), [], `${section}: main texts in ${lang}`);
  if (lang === 'zh') assert.deepEqual(await englishPhrases(page, roots), [], `${section}: no English sentence`);
  for (const [label, textLang] of await techLabels(page, roots)) {
    assert.equal(label, WORDS[lang].tech, `${section}: the technical-detail label`);
    assert.equal(textLang, 'en');
  }
}

// --- the matrix -------------------------------------------------------------------------

for (const lang of ['en', 'zh']) {
  const w = WORDS[lang];
  for (const [scenario, s] of Object.entries(SCENARIOS)) {
    const isLocked = s.status === 'locked_legacy_state';
    describe(`${scenario} (${lang})`, () => {
      let page;
      let problems;
      before(async () => {
        ({ page, problems } = await h.open(`?scenario=${scenario}&lang=${lang}&delay=0`));
      });
      after(() => {
        assert.deepEqual(problems, [], 'no console errors or CSP violations');
      });

      test('overview', async () => {
        assert.equal(squash(await page.textContent('#overview h3')), w.overview);
        assert.equal(await page.getAttribute('#db-integrity', 'data-integrity'), s.integrity);
        assert.equal(squash(await page.textContent('#db-integrity')), w.integrity[s.integrity]);
        const counts = await Promise.all(
          ['#threads-count', '#threads-archived', '#messages-count'].map((id) => page.textContent(id)),
        );
        assert.deepEqual(counts.map(squash), s.threads);
        assert.equal(await page.getAttribute('#settings-present', 'data-present'), String(s.settings));
        const secrets = await page.$$eval('#secrets-list li[data-secret]', (els) =>
          els.map((li) => [li.dataset.secret, li.dataset.present, li.dataset.backend, li.dataset.problem ?? null]),
        );
        assert.equal(secrets.length, 9);
        const present = Object.fromEntries(secrets.filter(([, p]) => p === 'true').map(([name, , backend]) => [name, backend]));
        assert.deepEqual(present, s.secrets);
        const unreadable = secrets.filter(([, , , problem]) => problem === 'true').map(([name]) => name);
        assert.deepEqual(unreadable, s.unreadable ?? []);
        const keyringDown = s.warnings.includes('keyring_unavailable');
        assert.equal(await page.isVisible('#keyring-warning'), keyringDown, 'keyring warning only when it is down');
        assert.equal(await page.getAttribute('#keyring-health', 'data-reachable'), String(!keyringDown));
        const codes = await page.$$eval('#warnings [data-code]', (els) => els.map((e) => e.dataset.code));
        assert.deepEqual(codes, s.warnings);
        assert.equal((await page.$('#no-warnings')) !== null, s.warnings.length === 0);
        // Every warning: a sentence in the language, then the core's message as a detail.
        const detailed = await page.$$eval('#warnings .callout-body', (els) => els.filter((e) => e.querySelector('.tech-detail')).length);
        assert.equal(detailed, s.warnings.length);
        await checkLanguage(page, 'overview', lang, '#status, #saved, #overview');
      });

      test('legacy recovery', async () => {
        await unfold(page);
        assert.equal(squash(await page.textContent('#recovery h3')), w.recovery);
        assert.equal(await page.getAttribute('#recovery-status', 'data-status'), s.status);
        assert.equal(squash(await page.textContent('#recovery-status')), w.status[s.status]);
        assert.ok(await page.isEnabled('#btn-preview'));
        // One story: recovery runs where it is the task (under the status, the main
        // action), for support in the details otherwise, and never while locked.
        assert.equal((await page.$('#btn-recover')) !== null, !isLocked, 'no recovery run while locked');
        if (!isLocked) {
          assert.ok(await page.isEnabled('#btn-recover'));
          const primary = await page.$eval('#btn-recover', (b) => b.classList.contains('btn-primary'));
          assert.equal(primary, s.status === 'recoverable', 'Recover is the main action only when recoverable');
          assert.equal(await page.$eval('#btn-recover', (b) => !!b.closest('#status')), s.status === 'recoverable');
        }
        // The key field when a key can help (locked, not only damaged).
        const keyHelps = isLocked && !s.locked.every((r) => r === 'malformed');
        for (const id of ['#key-input', '#btn-test-key', '#btn-pick-key-file', '#btn-recover-with-key']) {
          assert.equal((await page.$(id)) !== null, keyHelps, `${id} only when a key can help`);
        }
        if (keyHelps) {
          assert.equal(await page.getAttribute('#key-input', 'type'), 'password');
          assert.ok(await page.isDisabled('#btn-test-key'));
          assert.ok(await page.isDisabled('#btn-recover-with-key'));
        }
        await clickAndWait(page, '#btn-preview');
        assert.equal(await page.getAttribute('#recovery-result', 'data-status'), s.preview);
        assert.equal(await page.getAttribute('#recovery-result', 'data-dry-run'), 'true');
        assert.equal(squash(await page.textContent('#recovery-result h3')), w.preview);
        assert.ok(await page.isVisible('#recovery-details'), "the core's details as a technical detail");
        assert.equal(await page.getAttribute('#recovery-status', 'data-status'), s.status, 'a preview changes nothing');
        await checkLanguage(page, 'recovery', lang, '#recovery, #recovery-result, #status .steps');
      });

      test('recovery report', async () => {
        await unfold(page);
        assert.equal(squash(await page.textContent('#locked-report h3')), w.report);
        assert.equal(await page.getAttribute('#status', 'data-status') === 'locked', isLocked, 'locked status only when locked');
        if (isLocked) assert.equal(squash(await page.textContent('#status-heading')), w.banner);
        const reasons = await page.$$eval('#locked-sources li', (els) => els.map((e) => e.dataset.reason));
        assert.deepEqual(reasons, s.locked);
        assert.equal(await page.isHidden('#locked-sources'), s.locked.length === 0);
        if (s.locked.length === 0) {
          assert.equal(squash(await page.textContent('#locked-report .all-good')), w.noneLocked);
        } else {
          const pills = await page.$$eval('#locked-sources .pill', (els) => els.map((e) => e.textContent.trim()));
          assert.deepEqual(pills, s.locked.map((r) => w.reason[r]));
          // The core's detail of each source, under the label.
          assert.equal(await page.$$eval('#locked-sources li .tech-detail', (e) => e.length), s.locked.length);
        }
        const keys = await page.$$eval('#key-locations [data-where]', (els) =>
          els.map((e) => [e.dataset.where, e.dataset.state, e.querySelector('.pill').textContent.trim()]),
        );
        assert.deepEqual(keys, [
          ['secure-storage', s.keys[0], w.keyState[s.keys[0]]],
          ['key-file', s.keys[1], w.keyState[s.keys[1]]],
        ]);
        assert.match(squash(await page.textContent('#key-locations')), /gateway-auth\/ ?local-state-key\.txt/);
        assert.equal(await page.getAttribute('#last-recovery', 'data-status'), null);
        assert.equal(squash(await page.textContent('#last-recovery')), w.never);
        await checkLanguage(page, 'report', lang, '#locked-report, #status');
      });

      test('local data cleanup', async () => {
        assert.equal(squash(await page.textContent('#btn-clear')), w.clearButton);
        assert.ok(await page.isVisible('#btn-clear'), 'Clear is among the first actions');
        await clickAndWait(page, '#btn-clear');
        await page.waitForSelector('#clear-dialog[open]');
        assert.equal(squash(await page.textContent('#clear-title')), w.dialog);
        const rows = await page.$$eval('#plan-table tbody tr', (trs) => trs.length);
        assert.equal(rows, s.removals, 'planned removals');
        assert.equal((await page.$('#plan-empty')) !== null, s.removals === 0);
        if (s.removals === 0) assert.equal(squash(await page.textContent('#plan-empty')), w.nothingToDelete);
        assert.ok(await page.isDisabled('#clear-confirm'));
        assert.equal(await page.getAttribute('#plan-kept', 'data-secret-count'), String(s.keptSecrets));
        const kept = await page.$$eval('#plan-kept li[data-backend] .chip', (els) => els.map((e) => e.textContent));
        assert.deepEqual(kept.sort(), Object.keys(s.secrets).sort(), 'the kept secrets by name');
        const notes = await page.$$eval('#plan-warnings li', (els) => els.map((e) => e.dataset.note));
        assert.deepEqual(notes, s.planNotes);
        await checkLanguage(page, 'cleanup', lang, '#task-actions, #clear-dialog');
        await page.click('#clear-cancel');
        assert.equal(await page.$eval('#clear-dialog', (d) => d.open), false);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'btn-clear');
        assert.equal(await page.getAttribute('#clear-result', 'data-verified'), null, 'nothing was cleared');
      });
    });
  }
}
