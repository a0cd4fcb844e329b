import type { NoticeCode } from './bindings/NoticeCode';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { App, LANG_STORAGE_KEY, optionsFromUrl, render } from './app';
import { type AppInfo, type Backend, BackendError, inTauri } from './backend';
import { FAKE_KEY, FakeBackend, SAMPLE_APP_INFO, type Scenario } from './fake-backend';
import { TauriBackend } from './tauri-backend';
import { majorOf, pathText, withNames } from './view';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const $ = (selector: string) => document.querySelector<HTMLElement>(selector);
const text = (selector: string) => $(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    map,
  };
}

function fake(scenario: Scenario = 'healthy', info: Partial<AppInfo> = {}, failWith?: string) {
  return new FakeBackend({ ...SAMPLE_APP_INFO, ...info }, failWith, { scenario, delayMs: 0 });
}

/** Waits for every pending backend call of `app`. */
async function settle(app: App) {
  for (let n = 0; n < 50 && (n < 2 || app.state.busy > 0); n += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

beforeEach(() => {
  document.body.innerHTML = '<div id="root"></div>';
  document.documentElement.removeAttribute('lang');
  invoke.mockReset();
});

describe('render', () => {
  it('shows the data dir, its origin, the version, and the heading', async () => {
    await render(document, fake(), { urlLang: 'en' });
    expect(text('h1')).toBe('Diagnostics');
    expect(text('#data-dir')).toBe(SAMPLE_APP_INFO.dataDir);
    expect($('#data-dir')!.hasAttribute('aria-busy')).toBe(false);
    expect(text('#data-dir-origin')).toBe("XWorkmate's usual location");
    expect(text('#app-version')).toBe(`Version ${SAMPLE_APP_INFO.version} (${SAMPLE_APP_INFO.commit})`);
    expect($('#error')!.hidden).toBe(true);
    expect(document.body.dataset.busy).toBe('false');
    expect(document.documentElement.lang).toBe('en');
  });

  it('tells the shell once, after the first load is painted', async () => {
    const backend = fake();
    const app = await render(document, backend, { urlLang: 'en' });
    expect(backend.paintedCalls).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(backend.paintedCalls).toBe(1);
    // A refresh is not a first paint.
    await app.run('refresh', () => Promise.resolve());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(backend.paintedCalls).toBe(1);
  });

  it('fills the overview ids the e2e tests read', async () => {
    await render(document, fake(), { urlLang: 'en' });
    expect($('#db-integrity')!.dataset.integrity).toBe('ok');
    expect(text('#threads-count')).toBe('2');
    expect(text('#threads-archived')).toBe('1');
    expect(text('#messages-count')).toBe('5');
    expect($('#settings-present')!.dataset.present).toBe('true');
    const secrets = document.querySelectorAll<HTMLElement>('#secrets-list li[data-secret]');
    expect(secrets).toHaveLength(9);
    const token = $('#secrets-list li[data-secret="gateway_token"]')!;
    expect(token.dataset.present).toBe('true');
    expect(token.dataset.backend).toBe('file');
    expect(token.textContent).toContain('sam••••001');
    expect($('#secrets-list li[data-secret="vault_token"]')!.dataset.backend).toBe('none');
    expect($('#keyring-warning')).toBeNull();
    expect($('#status')!.dataset.status).toBe('ok');
    expect(text('#status-heading')).toBe('Everything is readable');
    expect($('#recovery-status')!.dataset.status).toBe('none');
    expect($('#locked-sources')!.hidden).toBe(true);
    expect($('#backend-note')!.hidden).toBe(false);
  });

  it('says when the data is sample data', async () => {
    const real: Backend = Object.assign(Object.create(FakeBackend.prototype), fake(), { isFake: false });
    await render(document, real, { urlLang: 'en' });
    expect($('#backend-note')!.hidden).toBe(true);
  });

  it('leaves the sample-data note out of screenshots', async () => {
    await render(document, fake(), { urlLang: 'en', screenshot: true });
    expect($('#backend-note')!.hidden).toBe(true);
  });

  it('shows a failure with its code, worded in the language', async () => {
    await render(document, fake('healthy', {}, 'no_data_dir'), { urlLang: 'en' });
    const error = $('#error')!;
    expect(error.hidden).toBe(false);
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.dataset.code).toBe('no_data_dir');
    expect(error.textContent).toContain('[no_data_dir]');
    expect(error.textContent).toContain('The data folder cannot be found');
    expect(text('#data-dir')).toBe('unknown');
  });

  it('words an unknown code generically', async () => {
    await render(document, fake('healthy', {}, 'weird_code'), { urlLang: 'zh' });
    expect(text('#error')).toContain('发生错误（weird_code）');
    expect(text('#data-dir')).toBe('未知');
  });

  it('blocks every write while XWorkmate runs on the folder, and Check again looks again', async () => {
    const backend = fake('xworkmate-running');
    const app = await render(document, backend, { urlLang: 'en' });
    expect(text('#running-banner-text')).toContain('XWorkmate is running (process 4242)');
    expect($('#running-banner')?.getAttribute('role')).toBe('alert');
    for (const id of ['#btn-recover', '#btn-clear']) {
      expect(($(id) as HTMLButtonElement).disabled, id).toBe(true);
    }
    // Looking still works: Preview is enabled.
    expect(($('#btn-preview') as HTMLButtonElement).disabled).toBe(false);
    // Still running: Check again keeps the banner.
    $('#btn-check-again')?.click();
    await settle(app);
    expect($('#running-banner')).not.toBeNull();
    // Quit, then Check again: the banner goes and the buttons come back.
    backend.quitXWorkmate();
    $('#btn-check-again')?.click();
    await settle(app);
    expect($('#running-banner')).toBeNull();
    expect(($('#btn-recover') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a long recovery\'s progress, and Cancel while it reads stops it with nothing changed', async () => {
    const backend = new FakeBackend(SAMPLE_APP_INFO, undefined, { scenario: 'sealed', delayMs: 0 });
    const app = await render(document, backend, { urlLang: 'en' });
    expect($('#status')!.dataset.status).toBe('recoverable');
    backend.slowDown(1600);
    $('#btn-recover')!.click();
    await new Promise((resolve) => setTimeout(resolve, 650));
    expect($('#op-progress')!.dataset.writing).toBe('false');
    expect(text('#op-progress-words')).toMatch(/^Reading and checking the old data… \d+%$/);
    expect(($('#op-progress-bar') as HTMLProgressElement).value).toBeGreaterThan(0);
    // Cancel stays usable while the rest of the page is busy, and has the focus.
    expect(document.body.dataset.busy).toBe('true');
    expect(($('#btn-cancel-op') as HTMLButtonElement).disabled).toBe(false);
    expect(document.activeElement?.id).toBe('btn-cancel-op');
    // Escape is Cancel.
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(text('#op-progress-words')).toBe('Cancelling… Nothing has been changed.');
    await settle(app);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect($('#op-progress')).toBeNull();
    expect(text('#op-notice')).toBe('Recovery cancelled: nothing was changed.');
    expect($('#error')!.hidden).toBe(true);
    expect(app.state.recoveryResult).toBeNull();
    // Nothing changed: the old data is still there to recover.
    backend.slowDown(0);
    $('#btn-refresh')!.click();
    await settle(app);
    expect($('#status')!.dataset.status).toBe('recoverable');
  });

  it('says a recovery that writes already can no longer be cancelled, and finishes it', async () => {
    const backend = new FakeBackend(SAMPLE_APP_INFO, undefined, { scenario: 'sealed', delayMs: 0 });
    const app = await render(document, backend, { urlLang: 'zh' });
    backend.slowDown(800);
    $('#btn-recover')!.click();
    // Reading takes 4 × 200 ms; then it writes for 800 ms.
    await new Promise((resolve) => setTimeout(resolve, 1250));
    expect($('#op-progress')!.dataset.writing).toBe('true');
    expect(text('#op-progress-words')).toBe('正在写入恢复的数据。此步骤已无法取消，请稍候。');
    expect($('#btn-cancel-op')).toBeNull();
    expect(await backend.cancel()).toBe(false);
    for (let i = 0; i < 20 && app.state.busy > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect($('#op-progress')).toBeNull();
    expect(app.state.recoveryResult?.report.status).toBe('migrated');
  });

  it('shows a clear\'s backup being saved, and Cancel then removes nothing', async () => {
    const backend = fake('healthy');
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-clear')!.click();
    await settle(app);
    app.actions.setUnderstand(true);
    backend.slowDown(1600);
    $('#clear-confirm')!.click();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect($('#op-progress')!.dataset.kind).toBe('clear');
    expect(text('#op-progress-words')).toMatch(/^Saving the backup… \d+%$/);
    $('#btn-cancel-op')!.click();
    for (let i = 0; i < 30 && app.state.busy > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect($('#op-progress')).toBeNull();
    expect(app.state.clearResult).toEqual({ cancelled: true });
    expect(text('#clear-result')).toBe('Cancelled: nothing was removed.');
    // Everything is still there.
    backend.slowDown(0);
    $('#btn-refresh')!.click();
    await settle(app);
    expect(text('#threads-count')).toBe('2');
  });

  it('words a write refused because XWorkmate runs, in both languages', async () => {
    const backend = fake('xworkmate-running');
    await expect(backend.recover({ dryRun: false, useCandidateKey: false })).rejects.toMatchObject({
      code: 'xworkmate_running',
    });
    await render(document, backend, { urlLang: 'zh' });
    expect(text('#running-banner-text')).toContain('XWorkmate 正在运行（进程 4242）');
    expect(text('#btn-check-again')).toBe('重新检查');
  });

  it('shows the keyring warning only when the keyring is down', async () => {
    await render(document, fake('keyring-down'), { urlLang: 'en' });
    expect(text('#keyring-warning')).toContain('Keyring unavailable: secrets are read from the file fallback');
  });

  it('says the data is locked, offers no recovery run, and shows each locked source with its reason', async () => {
    await render(document, fake('locked-key-mismatch'), { urlLang: 'en' });
    expect($('#status')!.dataset.status).toBe('locked');
    expect(text('#status-heading')).toBe('Old data is locked');
    expect(text('#status-explain')).toContain('A key was found on this computer, but not that one');
    expect(text('#status-safe')).toMatch(/^Nothing is lost if you wait/);
    expect($('#btn-recover')).toBeNull();
    expect($('#status-steps')!.dataset.steps).toBe('key');
    const items = document.querySelectorAll<HTMLElement>('#locked-sources li');
    expect(items).toHaveLength(2);
    expect([...items].map((li) => li.dataset.reason)).toEqual(['key_mismatch', 'key_mismatch']);
    expect(items[0]!.textContent).toContain('key doesn’t match');
    expect($('#key-input')!.getAttribute('type')).toBe('password');
  });

  it('never puts a key into the page', async () => {
    const app = await render(document, fake('locked-key-missing'), { urlLang: 'en' });
    const input = $('#key-input') as HTMLInputElement;
    input.value = FAKE_KEY;
    app.actions.keyInput(true);
    app.actions.testKey();
    await settle(app);
    expect($('#key-test-result')!.dataset.opens).toBe('2');
    expect(document.body.innerHTML).not.toContain(FAKE_KEY);
    app.actions.recoverWithKey();
    await settle(app);
    expect($('#recovery-result')!.dataset.status).toBe('migrated');
    expect(document.body.innerHTML).not.toContain(FAKE_KEY);
    expect($('#status')!.dataset.status).toBe('ok');
  });

  it('turns a key_invalid error into an invalid-key result', async () => {
    const backend = fake('locked-key-missing');
    backend.testKey = async () => {
      throw new BackendError('key_invalid', 'bad key');
    };
    const app = await render(document, backend, { urlLang: 'en' });
    ($('#key-input') as HTMLInputElement).value = 'abc';
    app.actions.keyInput(true);
    app.actions.testKey();
    await settle(app);
    expect($('#key-test-result')!.dataset.valid).toBe('false');
    expect(text('#key-test-result')).toContain('This is not a key: a key is 43 characters');
    expect($('#error')!.hidden).toBe(true);
  });

  it('forgets a tested key when the field changes', async () => {
    const backend = fake('locked-key-missing');
    const forget = vi.spyOn(backend, 'forgetCandidateKey');
    const app = await render(document, backend, { urlLang: 'en' });
    ($('#key-input') as HTMLInputElement).value = FAKE_KEY;
    app.actions.keyInput(true);
    app.actions.testKey();
    await settle(app);
    expect(forget).not.toHaveBeenCalled();
    app.actions.keyInput(true);
    expect(forget).toHaveBeenCalledOnce();
    expect($('#key-test-result')!.hasAttribute('data-valid')).toBe(false);
    expect(($('#btn-recover-with-key') as HTMLButtonElement).disabled).toBe(true);
  });

  it('marks the page busy while a call runs', async () => {
    const backend = new FakeBackend(SAMPLE_APP_INFO, undefined, { delayMs: 20 });
    const app = new App(document, backend, { urlLang: 'en' });
    const started = app.start();
    expect(document.body.dataset.busy).toBe('true');
    expect(($('#btn-refresh') as HTMLButtonElement).disabled).toBe(true);
    expect($('#data-dir')!.getAttribute('aria-busy')).toBe('true');
    await started;
    expect(document.body.dataset.busy).toBe('false');
    expect(($('#btn-refresh') as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('texts from the core (English only)', () => {
  const CJK = /[\u4e00-\u9fff]/;

  it('shows them as labelled details under a sentence in the current language', async () => {
    const backend = fake('corrupt');
    const app = await render(document, backend, { urlLang: 'zh' });
    // Inspect warnings: the worded code first, the core's message as a detail.
    const warnings = [...document.querySelectorAll<HTMLElement>('#warnings .callout-body')];
    expect(warnings).toHaveLength(3);
    for (const body of warnings) {
      expect(body.querySelector('p')!.textContent).toMatch(CJK);
      expect(body.querySelector('.tech-label')!.textContent).toBe('技术细节（英文）：');
      expect(body.querySelector('.tech-text')!.getAttribute('lang')).toBe('en');
    }
    expect(text('#db-problem')).toBe('技术细节（英文）：database disk image is malformed');
    // Clear plan warnings: recognised, worded, and the English text kept.
    app.actions.openClear();
    await settle(app);
    const notes = [...document.querySelectorAll<HTMLElement>('#plan-warnings li')];
    expect(notes.map((li) => li.dataset.note)).toEqual(['database_rows', 'secret_unchecked']);
    expect(text('#plan-warnings li:first-child .callout-body > p:first-child')).toBe(
      '无法读取数据库，因此无法删除其中的行。该文件保持原样。',
    );
    expect(text('#plan-warnings li:last-child .callout-body > p:first-child')).toContain('vault_token');
    expect(text('#plan-warnings li:first-child .tech-detail')).toBe(
      '技术细节（英文）：the database cannot be read, so its rows cannot be removed: database disk image is malformed',
    );
  });

  it('words recovery warnings and keeps the report details as a detail', async () => {
    const backend = fake('sealed');
    const recover = backend.recover.bind(backend);
    backend.recover = async (options) => ({
      ...(await recover(options)),
      warnings: [
        {
          code: 'legacy_file_kept',
          message: 'the key was stored in the file fallback because the keyring is unavailable: no answer',
        },
        {
          code: 'legacy_file_conflict',
          subject: 'vault_token',
          message: 'the legacy file of vault_token holds a different value than secure storage, so it was left in place',
        },
        // A code from a newer core: worded generically, its message kept.
        { code: 'something_new' as NoticeCode, message: 'something new' },
      ],
    });
    const app = await render(document, backend, { urlLang: 'zh' });
    app.actions.recover();
    await settle(app);
    const notes = [...document.querySelectorAll<HTMLElement>('#recovery-warnings li')];
    expect(notes.map((li) => li.dataset.note)).toEqual(['legacy_file_kept', 'legacy_file_conflict', 'something_new']);
    expect(notes[1]!.querySelector('p')!.textContent).toBe('vault_token 的旧文件与安全存储中的值不同，因此保留在原处。');
    for (const li of notes) expect(li.querySelector('p')!.textContent).toMatch(CJK);
    expect(text('#recovery-details')).toMatch(/^技术细节（英文）：The settings and threads were recovered/);
  });

  it('shows the reason of a locked source in words, its detail as a detail', async () => {
    await render(document, fake('locked-key-missing'), { urlLang: 'en' });
    const item = $('#locked-sources li')!;
    expect(item.querySelector('.tech-detail')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(
      'Details: the sealed value cannot be opened',
    );
  });

  it('words an unreadable last-run record, with the reason as a detail', async () => {
    const backend = fake('healthy');
    const report = await backend.lockedReport();
    backend.lockedReport = async () => ({ ...report, lastRecoveryError: 'expected value at line 1 column 1' });
    await render(document, backend, { urlLang: 'zh' });
    expect(text('#last-recovery')).toContain('无法读取上次运行的记录。');
    expect(text('#last-recovery .tech-detail')).toBe('技术细节（英文）：expected value at line 1 column 1');
  });

  it('shows an error message as a detail with its code', async () => {
    await render(document, fake('healthy', {}, 'io_error'), { urlLang: 'zh' });
    expect(text('#error .toast-title')).toBe('无法读取或写入文件。');
    expect(text('#error .tech-detail')).toBe('技术细节（英文）：sample failure (io_error) in appInfo [io_error]');
  });
});

describe('clear dialog', () => {
  it('lists everything that is kept, and disables Clear until "I understand"', async () => {
    const backend = fake('healthy');
    const plan = await backend.clearPlan();
    backend.clearPlan = async () => ({
      ...plan,
      kept: {
        ...plan.kept,
        secrets: [
          { backend: 'keyring', count: 1, names: ['device_id'] },
          { backend: 'file', count: 2, names: ['gateway_token', 'ai_gateway_api_key'] },
        ],
        secretCount: 3,
        otherSqliteKeys: ['xworkmate.future.flag'],
        otherPreferences: 4,
      },
      leftInPlace: ['/home/sample/.local/state/plus.svc.xworkmate/xworkmate/assistant-state-backup.json'],
      warnings: [{ code: 'from_a_newer_core' as NoticeCode, message: 'a plan warning' }],
    });
    const app = await render(document, backend, { urlLang: 'en' });
    app.actions.openClear();
    await settle(app);
    const kept = text('#plan-kept')!;
    expect(kept).toContain('Secrets in keyring: 1');
    expect(kept).toContain('Secrets in file fallback: 2');
    expect(kept).toContain('Audit trail: 1 entry');
    expect(kept).toContain('Other database values: xworkmate.future.flag');
    expect(kept).toContain('Other preferences: 4');
    expect(kept).toContain('The folder gateway-auth and everything in it');
    expect(kept).toContain('.local/state/plus.svc.xworkmate/xworkmate/assistant-state-backup.json');
    // A notice code this UI does not know: a generic sentence, the message as a detail.
    expect($('#plan-warnings li')!.dataset.note).toBe('from_a_newer_core');
    expect(text('#plan-warnings .callout-body > p:first-child')).toBe(
      'XWorkmate reported something to look at (see the details).',
    );
    expect(text('#plan-warnings .tech-detail')).toBe('Details: a plan warning');
    expect(text('#plan-total')).toBe('6.4 KB');
    expect(($('#clear-confirm') as HTMLButtonElement).disabled).toBe(true);
    expect(($('#clear-backup') as HTMLInputElement).checked).toBe(true);
    expect(($('#clear-understand') as HTMLInputElement).checked).toBe(false);
    app.actions.setUnderstand(true);
    expect(($('#clear-confirm') as HTMLButtonElement).disabled).toBe(false);
    app.actions.confirmClear();
    await settle(app);
    expect($('#clear-result')!.dataset.verified).toBe('true');
    expect($('#clear-result')!.dataset.removed).toBe('4');
    expect(text('#clear-result')).toContain('Every secret is still there (2 checked after clearing).');
  });
});

describe('clear dialog: a part (generation A)', () => {
  const choose = async (app: App, kind: string) => {
    const radio = $(`#clear-scope-${kind}`) as HTMLInputElement;
    radio.checked = true;
    radio.dispatchEvent(new Event('change'));
    await settle(app);
  };
  const setDate = async (app: App, value: string) => {
    const input = $('#clear-before') as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('change'));
    await settle(app);
  };
  const confirm = () => $('#clear-confirm') as HTMLButtonElement;

  it('a radio group with a legend; each part asks for its plan, and the consequences follow', async () => {
    const backend = fake('healthy');
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-clear')!.click();
    await settle(app);
    expect($('#clear-scope')!.tagName).toBe('FIELDSET');
    expect(text('#clear-scope legend')).toBe('What to clear');
    const radios = [...document.querySelectorAll<HTMLInputElement>('#clear-scope input[type="radio"]')];
    expect(radios.map((r) => [r.value, r.checked, r.name])).toEqual([
      ['all', true, 'clear-scope'],
      ['threads', false, 'clear-scope'],
      ['settings', false, 'clear-scope'],
      ['archivedThreads', false, 'clear-scope'],
      ['threadsBefore', false, 'clear-scope'],
    ]);
    expect(radios.every((r) => text(`label[for="${r.id}"]`))).toBe(true);
    expect(text('#consequence-removed')).toBe(
      '2 threads (5 messages), the account vector-user, and 2 gateway profiles will be removed.',
    );
    const seen: unknown[] = [];
    const plan = backend.clearPlan.bind(backend);
    backend.clearPlan = (generation, scope) => {
      seen.push(scope);
      return plan(generation, scope);
    };

    await choose(app, 'threads');
    expect(text('#consequence-removed')).toBe('2 threads (5 messages) will be removed.');
    expect(text('#consequence-afterwards')).toBe('Next time XWorkmate starts, it shows no threads.');
    expect($('#clear-consequences')!.dataset.scope).toBe('threads');

    await choose(app, 'settings');
    expect(text('#consequence-removed')).toBe('The account vector-user and 2 gateway profiles will be removed.');
    expect(text('#clear-consequences')).toContain('2 threads stay.');

    await choose(app, 'archivedThreads');
    expect(text('#consequence-removed')).toBe('1 thread (3 messages) will be removed.');
    expect(text('#clear-consequences')).toContain('1 thread stays.');
    // Nothing is deleted as a file, and the dialog does not say "nothing".
    expect($('#plan-empty')).toBeNull();
    expect(text('#plan-rewrite')).toMatch(/written again without this thread/);
    expect($('#clear-backup')).not.toBeNull();

    await choose(app, 'threadsBefore');
    const date = $('#clear-before') as HTMLInputElement;
    expect(text('label[for="clear-before"]')).toBe('Last updated before');
    expect(date.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await setDate(app, '2025-11-12');
    expect(text('#consequence-removed')).toBe('1 thread (3 messages) will be removed.');
    await setDate(app, '2000-01-01');
    expect(text('#consequence-removed')).toBe('Nothing will be removed: no thread was last updated before that date.');
    app.actions.setUnderstand(true);
    expect(confirm().disabled).toBe(true);
    // No date: no plan asked, nothing confirmable.
    await setDate(app, '');
    expect(text('#clear-need-date')).toBe('Choose a date: the threads last updated before it are cleared.');
    expect($('#consequence-removed')).toBeNull();
    expect($('#clear-storage')).toBeNull();
    app.actions.setUnderstand(true);
    expect(confirm().disabled).toBe(true);
    expect(seen).toEqual([
      { kind: 'threads' },
      { kind: 'settings' },
      { kind: 'archivedThreads' },
      { kind: 'threadsBefore', beforeMs: expect.any(Number) },
      { kind: 'threadsBefore', beforeMs: new Date(2025, 10, 12).getTime() },
      { kind: 'threadsBefore', beforeMs: new Date(2000, 0, 1).getTime() },
    ]);
    // Back to everything: the whole plan again, confirmable once understood.
    await choose(app, 'all');
    expect(app.state.clear.understand).toBe(false);
    app.actions.setUnderstand(true);
    expect(confirm().disabled).toBe(false);
  });

  it('in Chinese too', async () => {
    const app = await render(document, fake('healthy'), { urlLang: 'zh' });
    $('#btn-clear')!.click();
    await settle(app);
    expect(text('#clear-scope legend')).toBe('清理哪些内容');
    expect(text('label[for="clear-scope-archivedThreads"]')).toBe('仅已归档的线程');
    await choose(app, 'archivedThreads');
    expect(text('#consequence-removed')).toBe('将删除：1 个线程（3 条消息）。');
    expect(text('#clear-consequences')).toContain('保留 1 个线程。');
  });

  it('offers a later version its threads or its settings, and 0.6.1 every part', async () => {
    const app = await render(document, fake('upgraded'), { urlLang: 'en' });
    $('#btn-clear')!.click();
    await settle(app);
    expect($('#clear-generation')!.dataset.generation).toBe('C');
    const offered = () => [...document.querySelectorAll('#clear-scope input')].map((i) => (i as HTMLInputElement).value);
    expect(offered()).toEqual(['all', 'threads', 'settings']);
    await choose(app, 'threads');
    expect(text('#consequence-removed')).toBe('3 threads (6 messages) will be removed.');
    app.actions.openClear('A');
    await settle(app);
    expect(offered()).toEqual(['all', 'threads', 'settings', 'archivedThreads', 'threadsBefore']);
    expect(($('#clear-scope-all') as HTMLInputElement).checked).toBe(true);
  });

  it('a refused part shows the core’s words in the dialog; everything still clears', async () => {
    const backend = fake('sealed');
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-clear')!.click();
    await settle(app);
    await choose(app, 'threads');
    expect($('#clear-refused')!.dataset.code).toBe('selective_clear_unavailable');
    expect(text('#clear-refused')).toContain('Only a part cannot be cleared here');
    expect(text('#clear-refused')).toContain('Everything can still be cleared.');
    expect(text('#clear-refused .tech-detail')).toContain('old sealed state is still here');
    // Not a toast: the page behind the dialog is not where the answer is.
    expect($('#error')!.hidden).toBe(true);
    expect($('#consequence-removed')).toBeNull();
    expect($('#clear-backup')).toBeNull();
    // Nor the rows of the plan shown before (another part's).
    expect($('#clear-storage')).toBeNull();
    app.actions.setUnderstand(true);
    expect(confirm().disabled).toBe(true);
    app.actions.confirmClear();
    await settle(app);
    expect(app.state.clearResult).toBeNull();
    expect((await backend.inspect()).storage[0]!.mirror!.form).toBe('sealed');
    // Everything: its plan again, and it clears.
    await choose(app, 'all');
    expect($('#clear-refused')).toBeNull();
    expect(text('#consequence-removed')).toMatch(/will be removed\.$/);
    app.actions.setUnderstand(true);
    app.actions.confirmClear();
    await settle(app);
    expect($('#clear-result')!.dataset.scope).toBe('all');
    expect(text('#clear-result h3')).toMatch(/^Cleared: 2 items removed/);
  });

  it('an earlier plan that answers late is not shown', async () => {
    const backend = fake('healthy');
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-clear')!.click();
    await settle(app);
    const plan = backend.clearPlan.bind(backend);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    backend.clearPlan = async (generation, scope) => {
      const answer = await plan(generation, scope);
      if (scope?.kind === 'threads') await held;
      return answer;
    };
    const radio = (kind: string) => {
      const r = $(`#clear-scope-${kind}`) as HTMLInputElement;
      r.checked = true;
      r.dispatchEvent(new Event('change'));
    };
    radio('threads');
    radio('settings');
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    await settle(app);
    expect(app.state.clear.scope).toBe('settings');
    expect(app.state.clear.plan!.scope).toEqual({ kind: 'settings' });
    expect(text('#consequence-removed')).toBe('The account vector-user and 2 gateway profiles will be removed.');
  });

  for (const [kind, en, zh] of [
    ['archivedThreads', 'Cleared: 1 thread removed; 1 stays.', '已清理：删除了 1 个线程；保留 1 个。'],
    ['threads', 'Cleared: 2 threads removed; the settings stay.', '已清理：删除了 2 个线程；设置保持不变。'],
    [
      'settings',
      'Cleared: the settings were removed (XWorkmate starts with its defaults); 2 threads stay.',
      '已清理：设置已删除（XWorkmate 将使用默认设置）；保留 2 个线程。',
    ],
  ] as const) {
    it(`says what a clear of a part did (${kind})`, async () => {
      for (const [lang, words] of [
        ['en', en],
        ['zh', zh],
      ] as const) {
        const app = await render(document, fake('healthy'), { urlLang: lang });
        $('#btn-clear')!.click();
        await settle(app);
        await choose(app, kind);
        app.actions.setBackup(false);
        app.actions.setUnderstand(true);
        app.actions.confirmClear();
        await settle(app);
        expect($('#clear-result')!.dataset.scope).toBe(kind);
        expect(text('#clear-result h3')).toBe(words);
        expect(text('#clear-result')).toContain(lang === 'en' ? 'Every secret is still there' : '所有密钥都还在');
      }
    });
  }

  it('after the archived threads go, the other thread is still listed', async () => {
    const app = await render(document, fake('healthy'), { urlLang: 'en' });
    $('#btn-clear')!.click();
    await settle(app);
    await choose(app, 'archivedThreads');
    app.actions.setUnderstand(true);
    app.actions.confirmClear();
    await settle(app);
    expect($('#clear-result')!.dataset.rewritten).toBe('1/1');
    expect(text('#threads-count')).toBe('1');
    expect([...document.querySelectorAll('#thread-list .thread-title')].map((e) => e.textContent)).toEqual(['本地线程']);
  });
});

describe('rebuilding a damaged database', () => {
  it('corrupt-mirrors: the primary action; a Cancel-first dialog says what will happen; then the status is readable', async () => {
    const backend = fake('corrupt-mirrors');
    const app = await render(document, backend, { urlLang: 'en' });
    expect($('#status')!.dataset.status).toBe('damaged');
    expect(text('#btn-rebuild')).toBe('Rebuild the database…');
    expect($('#btn-rebuild')!.classList.contains('btn-primary')).toBe(true);
    expect($('#btn-export-threads')!.classList.contains('btn-primary')).toBe(false);
    expect($('#btn-rebuild')!.getAttribute('aria-describedby')).toBe('rebuild-hint');
    expect(document.body.textContent).not.toContain('move config-store.sqlite3');
    const steps = [...document.querySelectorAll('#status-steps li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(steps).toEqual([
      'Save your threads now: Export 2 threads… writes them to a file you choose.',
      'Send a report to support: Export report… saves what is damaged, with no secrets and no message texts.',
      'Rebuild the database: Rebuild the database… makes a new one from the mirror files and keeps the damaged one for support.',
    ]);

    $('#btn-rebuild')!.click();
    await settle(app);
    expect(($('#rebuild-dialog') as HTMLDialogElement).open).toBe(true);
    expect(document.activeElement?.id).toBe('rebuild-cancel');
    const buttons = [...document.querySelectorAll('#rebuild-dialog button')].map((b) => b.id);
    expect(buttons).toEqual(['rebuild-cancel', 'rebuild-confirm']);
    expect(text('#rebuild-title')).toBe('Rebuild the database?');
    expect([...document.querySelectorAll('#rebuild-items li')].map((li) => li.textContent!.trim())).toEqual([
      'your settings, read back from their mirror file',
      'your 2 threads, read back from their mirror file',
    ]);
    expect(text('#rebuild-kept')).toMatch(
      /^The damaged database is kept as \.xworkmate-diagnostics\/damaged-\d+-config-store\.sqlite3, for support\.$/,
    );
    expect(text('#rebuild-untouched')).toBe('Secrets and the mirror files are not touched.');
    // The dry run changed nothing.
    expect((await backend.inspect()).database.integrity).toBe('corrupt');

    $('#rebuild-confirm')!.click();
    await settle(app);
    expect(($('#rebuild-dialog') as HTMLDialogElement).open).toBe(false);
    expect($('#status')!.dataset.status).toBe('ok');
    expect($('#btn-rebuild')).toBeNull();
    expect($('#rebuild-result')!.dataset.executed).toBe('true');
    expect(text('#rebuild-result h3')).toBe('The database was rebuilt.');
    expect(text('#rebuild-done-items')).toContain('your 2 threads, read back from their mirror file');
    expect(document.activeElement?.id).toBe('rebuild-result');
    expect(text('#threads-count')).toBe('2');
    expect($('#settings-present')!.dataset.present).toBe('true');
  });

  it('Cancel changes nothing and gives the focus back', async () => {
    const backend = fake('corrupt-mirrors');
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-rebuild')!.click();
    await settle(app);
    $('#rebuild-cancel')!.click();
    await settle(app);
    expect(($('#rebuild-dialog') as HTMLDialogElement).open).toBe(false);
    expect(document.activeElement?.id).toBe('btn-rebuild');
    expect((await backend.inspect()).database.integrity).toBe('corrupt');
    expect($('#rebuild-result')!.dataset.executed).toBeUndefined();
  });

  it('in Chinese', async () => {
    const app = await render(document, fake('corrupt-mirrors'), { urlLang: 'zh' });
    expect(text('#btn-rebuild')).toBe('重建数据库…');
    $('#btn-rebuild')!.click();
    await settle(app);
    expect(text('#rebuild-title')).toBe('重建数据库？');
    expect([...document.querySelectorAll('#rebuild-items li')].map((li) => li.textContent!.trim())).toEqual([
      '您的设置，从其副本文件读回',
      '您的 2 个线程，从其副本文件读回',
    ]);
    expect(text('#rebuild-untouched')).toBe('密钥和副本文件不会被改动。');
    expect(text('#rebuild-cancel')).toBe('取消');
  });

  it('corrupt (a mirror file unreadable): no rebuild; wait for support', async () => {
    await render(document, fake('corrupt'), { urlLang: 'en' });
    expect($('#status')!.dataset.status).toBe('damaged');
    expect($('#btn-rebuild')).toBeNull();
    expect($('#rebuild-hint')).toBeNull();
    expect(text('#status-steps')).toContain('Don’t clear anything before support has looked');
  });

  it('says so when the core refuses (XWorkmate running)', async () => {
    const backend = fake('corrupt-mirrors');
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-rebuild')!.click();
    await settle(app);
    backend.rebuildDatabase = async () => {
      throw new BackendError('xworkmate_running', 'XWorkmate is running (process 1, xworkmate)');
    };
    $('#rebuild-confirm')!.click();
    await settle(app);
    expect($('#error')!.dataset.code).toBe('xworkmate_running');
    expect($('#status')!.dataset.status).toBe('damaged');
  });

  it('shows what a dry run reads from the database too, and what is missing', async () => {
    const backend = fake('corrupt-mirrors');
    backend.rebuildDatabase = async (dryRun) => ({
      database: '/d/config-store.sqlite3',
      problem: 'database disk image is malformed',
      rows: [
        { storageKey: 'xworkmate.assistant.threads', from: 'database', bytes: 10 },
        { storageKey: 'xworkmate.secrets.audit', from: 'database', bytes: 10 },
      ],
      threads: 1,
      settings: false,
      keptAs: '/d/.xworkmate-diagnostics/damaged-1-config-store.sqlite3',
      executed: !dryRun,
    });
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-rebuild')!.click();
    await settle(app);
    expect([...document.querySelectorAll('#rebuild-items li')].map((li) => li.textContent!.trim())).toEqual([
      'your thread, read from the part of the damaged database that can still be read',
      '1 other saved value the damaged database still gives (such as the audit trail)',
    ]);
    expect(text('#rebuild-dialog .rebuild-missing')).toBe('No settings can be read: XWorkmate will start with its default settings.');
  });
});

describe('language', () => {
  it('follows the system locale unless chosen', async () => {
    const zhApp = await render(document, fake('healthy', { systemLocale: 'zh_CN.UTF-8' }));
    expect(zhApp.state.lang).toBe('zh');
    expect(text('h1')).toBe('诊断');
    expect(document.documentElement.lang).toBe('zh-CN');
    await render(document, fake('healthy', { systemLocale: 'C.UTF-8' }));
    expect(text('h1')).toBe('Diagnostics');
    await render(document, fake('healthy', { systemLocale: 'fr_FR.UTF-8' }));
    expect(text('h1')).toBe('Diagnostics');
    await render(document, fake('healthy', { systemLocale: 'ja_JP.UTF-8' }));
    expect(text('h1')).toBe('Diagnostics');
    expect($('#hant-note')).toBeNull();
  });

  it('says once, beside the language, that zh_TW gets Simplified Chinese', async () => {
    const storage = memoryStorage();
    const app = await render(document, fake('healthy', { systemLocale: 'zh_TW.UTF-8' }), { storage });
    expect(app.state.lang).toBe('zh');
    expect(text('#hant-note span')).toBe('系统语言为繁体中文，本应用以简体中文显示。');
    expect($('#lang-select')!.getAttribute('aria-describedby')).toBe('hant-note');
    // A refresh keeps it; dismissing it takes the focus back to the language.
    app.actions.refresh();
    await settle(app);
    expect($('#hant-note')).not.toBeNull();
    $('#btn-hant-ok')!.click();
    expect($('#hant-note')).toBeNull();
    expect(document.activeElement?.id).toBe('lang-select');
    // The next start does not say it again.
    await render(document, fake('healthy', { systemLocale: 'zh_HK' }), { storage });
    expect($('#hant-note')).toBeNull();
    // Simplified Chinese, or a chosen language: never.
    await render(document, fake('healthy', { systemLocale: 'zh_CN.UTF-8' }), { storage: memoryStorage() });
    expect($('#hant-note')).toBeNull();
    await render(document, fake('healthy', { systemLocale: 'zh_TW.UTF-8' }), { storage: memoryStorage(), urlLang: 'zh' });
    expect($('#hant-note')).toBeNull();
  });

  it('remembers the choice, and the URL overrides it', async () => {
    const storage = memoryStorage();
    const app = await render(document, fake('healthy', { systemLocale: 'en_US.UTF-8' }), { storage });
    expect(app.state.lang).toBe('en');
    app.actions.setLang('zh');
    expect(storage.map.get(LANG_STORAGE_KEY)).toBe('zh');
    expect(text('h1')).toBe('诊断');
    const again = await render(document, fake('healthy', { systemLocale: 'en_US.UTF-8' }), { storage });
    expect(again.state.lang).toBe('zh');
    const url = await render(document, fake(), { storage, urlLang: 'en' });
    expect(url.state.lang).toBe('en');
  });

  it('tells the shell the language once at start, and at each change (native dialog titles)', async () => {
    const backend = fake('healthy', { systemLocale: 'zh_CN.UTF-8' });
    const app = await render(document, backend, { storage: memoryStorage() });
    await settle(app);
    expect(backend.languages).toEqual(['zh']);
    app.actions.setLang('en');
    await settle(app);
    expect(backend.languages).toEqual(['zh', 'en']);
    // A chosen language is told as it is, not the system's.
    const chosen = fake('healthy', { systemLocale: 'zh_CN.UTF-8' });
    await settle(await render(document, chosen, { urlLang: 'en' }));
    expect(chosen.languages).toEqual(['en']);
    // A shell that cannot be told is no error on the page.
    const failing = fake('healthy');
    failing.setLanguage = () => Promise.reject(new BackendError('internal', 'no shell'));
    const quiet = await render(document, failing, { urlLang: 'en' });
    await settle(quiet);
    expect($('#error')!.hidden).toBe(true);
  });

  it('reads ?lang, ?theme and ?screenshot', () => {
    expect(optionsFromUrl('http://x/?lang=zh&theme=dark')).toEqual({ lang: 'zh', theme: 'dark', screenshot: false });
    expect(optionsFromUrl('http://x/?lang=fr&theme=blue&screenshot=1')).toEqual({
      lang: null,
      theme: null,
      screenshot: true,
    });
  });
});

describe('pathText', () => {
  it('keeps the text and adds break opportunities', () => {
    const el = document.createElement('code');
    document.body.append(el);
    // Rendering through lit keeps textContent equal to the path.
    return import('lit-html').then(({ render: r }) => {
      r(pathText('/home/a/b.txt'), el);
      expect(el.textContent).toBe('/home/a/b.txt');
      expect(el.querySelectorAll('wbr')).toHaveLength(3);
    });
  });
});

describe('withNames and majorOf', () => {
  it('sets file names and paths in a sentence as code', async () => {
    const { render: r } = await import('lit-html');
    const el = document.createElement('p');
    r(withNames('See gateway-auth/local-state-key.txt, then config-store.sqlite3 (0.5 – 0.6.1).'), el);
    expect([...el.querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      'gateway-auth/local-state-key.txt',
      'config-store.sqlite3',
    ]);
    expect(el.textContent).toBe('See gateway-auth/local-state-key.txt, then config-store.sqlite3 (0.5 – 0.6.1).');
  });

  it('names a version range by its major version', () => {
    expect(majorOf('1.0.0-beta.2 – 1.1.7')).toBe('1.x');
    expect(majorOf('0.5 – 0.6.1')).toBe('0.x');
    expect(majorOf('2.0.0')).toBe('2.x');
    expect(majorOf('next')).toBe('next');
  });
});

describe('TauriBackend', () => {
  it('calls each command with its arguments', async () => {
    invoke.mockResolvedValue(null);
    const b = new TauriBackend();
    await b.appInfo();
    await b.inspect();
    await b.lockedReport();
    await b.recover({ dryRun: true, useCandidateKey: false });
    await b.testKey(null);
    await b.testKey('k');
    await b.forgetCandidateKey();
    await b.clearPlan();
    await b.clearExecute({ backup: true });
    await b.exportReport();
    await b.copyReport();
    await b.copyDataDir();
    await b.openDataDir();
    await b.chooseDataDir();
    await b.clearPlan('A');
    await b.clearPlan('A', { kind: 'threads' });
    await b.clearPlan(undefined, { kind: 'threadsBefore', beforeMs: 1_700_000_000_000 });
    await b.exportThreads('C');
    await b.restorePlan();
    await b.restoreExecute({ replace: true });
    await b.openReport();
    await b.rebuildDatabase(true);
    await b.rebuildDatabase(false);
    await b.setLanguage('zh');
    await b.painted();
    expect(invoke.mock.calls).toEqual([
      ['app_info', undefined],
      ['inspect', undefined],
      ['locked_report', undefined],
      ['recover', { dryRun: true, useCandidateKey: false }],
      ['test_key', { key: null }],
      ['test_key', { key: 'k' }],
      ['forget_candidate_key', undefined],
      ['clear_plan', undefined],
      ['clear_execute', { backup: true }],
      ['export_report', undefined],
      ['copy_report', undefined],
      ['copy_data_dir', undefined],
      ['open_data_dir', undefined],
      ['choose_data_dir', undefined],
      ['clear_plan', { generation: 'A' }],
      ['clear_plan', { generation: 'A', scope: { kind: 'threads' } }],
      ['clear_plan', { scope: { kind: 'threadsBefore', beforeMs: 1_700_000_000_000 } }],
      ['export_threads', { generation: 'C' }],
      ['restore_plan', undefined],
      ['restore_execute', { replace: true }],
      ['open_report', undefined],
      ['rebuild_database', { dryRun: true }],
      ['rebuild_database', { dryRun: false }],
      ['set_language', { lang: 'zh' }],
      ['painted', undefined],
    ]);
  });

  it('turns a {code, message} rejection into a BackendError', async () => {
    invoke.mockRejectedValue({ code: 'no_data_dir', message: 'no home' });
    const failure = await new TauriBackend().appInfo().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendError);
    expect(failure).toMatchObject({ code: 'no_data_dir', message: 'no home' });
  });
});

describe('BackendError.from', () => {
  it('keeps anything else readable', () => {
    expect(BackendError.from('boom')).toMatchObject({ code: 'internal', message: 'boom' });
    expect(BackendError.from(new Error('bad'))).toMatchObject({ code: 'internal', message: 'bad' });
    expect(BackendError.from({ code: 1 })).toMatchObject({ code: 'internal' });
  });
});

describe('backend choice', () => {
  it('is Tauri only where its IPC bridge is', () => {
    expect(inTauri(window)).toBe(false);
    expect(inTauri({ __TAURI_INTERNALS__: {} } as unknown as Window)).toBe(true);
  });
});

describe('an upgraded install (generation A left beside C)', () => {
  it('shows each generation, the current first, and says which threads are not shown', async () => {
    await render(document, fake('upgraded'), { urlLang: 'en' });
    const gens = [...document.querySelectorAll<HTMLElement>('#generations .generation')];
    expect(gens.map((g) => g.dataset.generation)).toEqual(['C', 'A']);
    expect(gens.map((g) => g.dataset.current)).toEqual(['true', 'false']);
    expect(gens[0]!.querySelector('.gen-threads')!.textContent).toBe('3');
    expect(gens[1]!.querySelector('[data-code="threads_left_behind"]')).not.toBeNull();
    expect(text('#status-heading')).toBe('XWorkmate 1.x doesn’t show your earlier threads');
    expect(text('#status-explain')).toBe(
      'XWorkmate 1.0.0-beta.2 – 1.1.7 does not show the 2 threads your earlier version (0.5 – 0.6.1) left here.',
    );
    expect(text('#status-safe')).toBe(
      'They are kept: nothing removes them unless you choose it. Export them to read or keep them.',
    );
  });

  it('exports the threads an earlier version left, from the banner', async () => {
    const app = await render(document, fake('upgraded'), { urlLang: 'zh' });
    expect(text('#banner-export-A')).toBe('导出之前的 2 个线程…');
    $('#banner-export-A')!.click();
    await settle(app);
    expect(text('#threads-notice')).toBe('已将 2 个线程导出到 /home/sample/Documents/xworkmate-threads-a-2025-11-14.html。');
    expect(text('#btn-export-threads-C')).toBe('导出 3 个线程…');
  });

  it('shows a threads export being written, and Cancel leaves no file', async () => {
    const backend = fake('upgraded');
    const app = await render(document, backend, { urlLang: 'en' });
    backend.slowDown(1600);
    $('#banner-export-A')!.click();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect($('#op-progress')!.dataset.kind).toBe('export');
    expect(text('#op-progress-words')).toMatch(/^Writing the threads… \d+%$/);
    $('#btn-cancel-op')!.click();
    for (let i = 0; i < 30 && app.state.busy > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect($('#op-progress')).toBeNull();
    expect(text('#threads-notice')).toBe('Export cancelled: nothing was written.');
  });

  it('shows a backup being read for a restore, and Cancel opens no dialog and changes nothing', async () => {
    const backend = fake('healthy');
    const app = await render(document, backend, { urlLang: 'zh' });
    backend.slowDown(1600);
    $('#btn-restore')!.click();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect($('#op-progress')!.dataset.kind).toBe('restorePlan');
    expect(text('#op-progress-words')).toMatch(/^正在读取备份…… \d+%$/);
    expect($('#op-progress-bar')!.getAttribute('aria-label')).toBe('还原进度');
    expect(document.activeElement?.id).toBe('btn-cancel-op');
    // Escape cancels, as the button does.
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    for (let i = 0; i < 30 && app.state.busy > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect($('#op-progress')).toBeNull();
    expect(text('#op-notice')).toBe('已取消还原：未更改任何内容。');
    expect((document.getElementById('restore-dialog') as HTMLDialogElement).open).toBe(false);
    expect(text('#threads-count')).toBe('2');
  });

  it('a restore that writes already says it can no longer be cancelled, and finishes', async () => {
    const backend = fake('healthy');
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-restore')!.click();
    await settle(app);
    app.actions.setReplace(true);
    backend.slowDown(1600);
    app.actions.confirmRestore();
    for (let i = 0; i < 40 && !$('#op-progress'); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect($('#op-progress')!.dataset.kind).toBe('restore');
    expect(text('#op-progress-words')).toMatch(/^Preparing the restore… \d+%$/);
    for (let i = 0; i < 30 && $('#op-progress')?.dataset.writing !== 'true'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(text('#op-progress-words')).toBe(
      'Writing back what the backup holds. This can no longer be cancelled; it takes a moment.',
    );
    expect($('#btn-cancel-op')).toBeNull();
    // What follows (reloading the page's reports) at full speed.
    backend.slowDown(0);
    for (let i = 0; i < 40 && app.state.busy > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect($('#restore-result')!.dataset.restored).toBe('2');
  }, 10_000);

  it('shows a rebuild being made, and Cancel leaves the damaged database as it was', async () => {
    const backend = fake('corrupt-mirrors');
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-rebuild')!.click();
    await settle(app);
    backend.slowDown(1600);
    $('#rebuild-confirm')!.click();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect($('#op-progress')!.dataset.kind).toBe('rebuild');
    expect(text('#op-progress-words')).toMatch(/^Making the new database… \d+%$/);
    $('#btn-cancel-op')!.click();
    for (let i = 0; i < 30 && app.state.busy > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect($('#op-progress')).toBeNull();
    expect(text('#op-notice')).toBe('Rebuild cancelled: nothing was changed.');
    expect($('#rebuild-result')!.dataset.executed).toBeUndefined();
    expect((await backend.inspect()).database.integrity).toBe('corrupt');
    expect(document.activeElement?.id).toBe('btn-rebuild');
  });

  it('shows the support report being made, and Cancel saves no report', async () => {
    const backend = fake('healthy');
    const app = await render(document, backend, { urlLang: 'en' });
    backend.slowDown(1600);
    $('#btn-export-report')!.click();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect($('#op-progress')!.dataset.kind).toBe('report');
    expect(text('#op-progress-words')).toMatch(/^Reading the data folder for the report… \d+%$/);
    $('#btn-cancel-op')!.click();
    for (let i = 0; i < 30 && app.state.busy > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(text('#op-notice')).toBe('Export cancelled: no report was saved.');
    expect(app.state.reportNotice).toBeNull();
  });

  it('says legacy recovery concerns 0.6 data, and does not offer to write it back', async () => {
    await render(document, fake('upgraded'), { urlLang: 'en' });
    expect(text('#recovery-newer')).toContain('(1.0.0-beta.2 – 1.1.7) does not read it');
    expect(($('#btn-recover') as HTMLButtonElement).disabled).toBe(true);
    expect(($('#btn-preview') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows neither on a folder of generation A alone', async () => {
    await render(document, fake('healthy'), { urlLang: 'en' });
    expect($('#generations')).toBeNull();
    expect($('#status')!.dataset.status).toBe('ok');
    expect($('#banner-export-A')).toBeNull();
    expect($('#recovery-newer')).toBeNull();
  });

  it('clears the current generation by default, and another only when chosen', async () => {
    const backend = fake('upgraded');
    const app = await render(document, backend, { urlLang: 'zh' });
    // Through the button, as a user does (the click event is not a generation).
    $('#btn-clear')!.click();
    await settle(app);
    expect($('#clear-generation')!.dataset.generation).toBe('C');
    expect(text('#clear-generation')).toMatch(/存储版本 C/);
    const rows = [...document.querySelectorAll<HTMLElement>('#plan-table tbody tr')];
    expect(rows.map((r) => r.textContent)).not.toContain('assistant-threads.json');
    expect(rows).toHaveLength(3);
    const select = $('#clear-generation-select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['C', 'A']);
    select.value = 'A';
    select.dispatchEvent(new Event('change'));
    await settle(app);
    expect($('#clear-generation')!.dataset.generation).toBe('A');
    expect(app.state.clear.understand).toBe(false);
    app.actions.setUnderstand(true);
    app.actions.confirmClear();
    await settle(app);
    // A's copies are gone; C's threads are untouched.
    const i = await backend.inspect();
    expect(i.generations.find((g) => g.id === 'C')!.threads.count).toBe(3);
    expect(i.threads.count).toBe(0);
  });
});

describe('a clear that stops part-way', () => {
  it('says what was removed and what remains, in words', async () => {
    const backend = new FakeBackend(SAMPLE_APP_INFO, undefined, { scenario: 'healthy', delayMs: 0, stopPartWay: true });
    const app = await render(document, backend, { urlLang: 'en' });
    $('#btn-clear')!.click();
    await settle(app);
    app.actions.setBackup(false);
    app.actions.setUnderstand(true);
    app.actions.confirmClear();
    await settle(app);
    expect($('#clear-result')!.dataset.remaining).toBe('2');
    expect(text('#clear-incomplete p')).toBe(
      'Clearing stopped part-way: 2 items remain. What remains reads as before; run Clear again to finish.',
    );
    expect($('#clear-incomplete')!.getAttribute('role')).toBe('alert');
    expect(document.querySelectorAll('#remaining-table tbody tr')).toHaveLength(2);
    expect($('#clear-result .result-box')!.classList.contains('result-danger')).toBe(true);
  });
});

describe('round trips', () => {
  it('restores the last backup after a clear, Cancel first, and says what came back', async () => {
    const backend = fake('healthy');
    const app = await render(document, backend, { urlLang: 'en' });
    // Clear first (backup on).
    $('#btn-clear')!.click();
    await settle(app);
    app.actions.setUnderstand(true);
    app.actions.confirmClear();
    await settle(app);
    expect(text('#threads-count')).toBe('0');
    $('#btn-restore')!.click();
    await settle(app);
    expect((document.getElementById('restore-dialog') as HTMLDialogElement).open).toBe(true);
    expect(document.activeElement?.id).toBe('restore-cancel');
    expect(text('#restore-holds')).toBe('settings and 2 threads');
    expect($('#restore-replace')).toBeNull();
    ($('#restore-confirm') as HTMLButtonElement).click();
    await settle(app);
    expect($('#restore-result')!.dataset.restored).toBe('2');
    expect(text('#threads-count')).toBe('2');
  });

  it('over readable data, restore waits for "Replace the current data" and says where it was saved', async () => {
    const app = await render(document, fake('healthy'), { urlLang: 'zh' });
    $('#btn-restore')!.click();
    await settle(app);
    expect(($('#restore-confirm') as HTMLButtonElement).disabled).toBe(true);
    app.actions.setReplace(true);
    expect(($('#restore-confirm') as HTMLButtonElement).disabled).toBe(false);
    app.actions.confirmRestore();
    await settle(app);
    expect(text('#restore-safety')).toMatch(/^被替换的内容已保存到 .*restore-backup-/);
  });

  it('opens a report a user sent, read-only, under a banner saying whose it is', async () => {
    const app = await render(document, fake('healthy'), { urlLang: 'en' });
    $('#btn-open-report')!.click();
    await settle(app);
    expect(text('#opened-report-banner p')).toMatch(
      /^You are looking at a report from another data folder: \/home\/alice\/.* Nothing of this computer is shown here\.$/,
    );
    expect($('#opened-status')!.dataset.status).toBe('locked_legacy_state');
    expect(document.querySelectorAll('#opened-locked li').length).toBeGreaterThan(0);
    // This machine's own overview is still its own.
    expect(text('#threads-count')).toBe('2');
    $('#btn-close-report')!.click();
    expect($('#opened-report')).toBeNull();
  });
});

describe('accessibility', () => {
  it('lets the pasted key be shown to check it, without keeping it anywhere', async () => {
    const app = await render(document, fake('locked-key-missing'), { urlLang: 'en' });
    const input = $('#key-input') as HTMLInputElement;
    const show = $('#btn-show-key')!;
    expect(input.type).toBe('password');
    expect(show.getAttribute('aria-pressed')).toBe('false');
    input.value = 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA';
    show.click();
    expect(input.type).toBe('text');
    expect(show.getAttribute('aria-pressed')).toBe('true');
    expect(JSON.stringify(app.state)).not.toContain('AQIDBAUG');
    show.click();
    expect(input.type).toBe('password');
  });

  it('labels the navigation as the settings navigation', async () => {
    await render(document, fake('healthy'), { urlLang: 'zh' });
    expect(document.querySelector('nav.sidebar')!.getAttribute('aria-label')).toBe('设置导航');
  });
});

describe('task-first panel', () => {
  it('opens with the status and the actions; the details are folded, a real disclosure', async () => {
    const app = await render(document, fake('healthy'), { urlLang: 'en' });
    const order = [...document.querySelectorAll('.sections > section')].map((el) => el.id);
    expect(order).toEqual(['status', 'saved', 'support']);
    expect([...document.querySelectorAll('#task-actions button')].map((b) => b.id)).toEqual([
      'btn-export-threads',
      'btn-clear',
      'btn-restore',
    ]);
    const toggle = $('#support-toggle')!;
    expect(toggle.tagName).toBe('BUTTON');
    expect(toggle.closest('h2')).not.toBeNull();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe('support-body');
    expect($('#support-body')!.hidden).toBe(true);
    toggle.click();
    expect(app.state.supportOpen).toBe(true);
    expect($('#support-toggle')!.getAttribute('aria-expanded')).toBe('true');
    expect($('#support-body')!.hidden).toBe(false);
    $('#support-toggle')!.click();
    expect($('#support-body')!.hidden).toBe(true);
  });

  it('the sidebar link to the details unfolds them', async () => {
    await render(document, fake('healthy'), { urlLang: 'en' });
    const link = document.querySelector<HTMLAnchorElement>('.nav-sub a[href="#support"]')!;
    link.click();
    expect($('#support-body')!.hidden).toBe(false);
  });

  it('"Show why it is locked" unfolds the details and takes the focus to the report', async () => {
    await render(document, fake('locked-key-missing'), { urlLang: 'en' });
    $('#btn-show-report')!.click();
    expect($('#support-body')!.hidden).toBe(false);
    expect(document.activeElement?.id).toBe('locked-report-heading');
  });

  it.each<[Scenario, string, string]>([
    ['healthy', 'ok', 'Everything is readable'],
    ['sealed', 'recoverable', 'Old data can be recovered'],
    ['locked-key-missing', 'locked', 'Old data is locked'],
    ['corrupt', 'damaged', 'The database cannot be read'],
    ['upgraded', 'left-behind', 'XWorkmate 1.x doesn’t show your earlier threads'],
    ['empty', 'empty', 'Nothing is saved here yet'],
  ])('%s: "%s" status', async (scenario, kind, heading) => {
    await render(document, fake(scenario), { urlLang: 'en' });
    expect($('#status')!.dataset.status).toBe(kind);
    expect(text('#status-heading')).toBe(heading);
    // Run recovery only where recovering is the task; never while locked.
    expect($('#status #btn-recover') !== null).toBe(kind === 'recoverable');
    expect($('#btn-recover') !== null).toBe(kind !== 'locked');
  });

  it('a damaged database never says "no threads", and says where the data still is', async () => {
    await render(document, fake('corrupt'), { urlLang: 'en' });
    expect(text('#threads-count')).toBe('—');
    expect(text('#threads-none')).toBe(
      'The threads cannot be read, so they cannot be counted. This does not mean there are none.',
    );
    expect(document.body.textContent).not.toContain('No threads are saved');
    expect(text('#status-explain')).toBe(
      'XWorkmate’s database (config-store.sqlite3) is damaged. The threads’ mirror file cannot be read either, so the threads cannot be counted. Your settings are still in their mirror file.',
    );
    expect($('#status-steps')!.dataset.steps).toBe('damaged');

    await render(document, fake('corrupt-mirrors'), { urlLang: 'zh' });
    expect(text('#threads-count')).toBe('2');
    expect(text('#status-explain')).toBe(
      'XWorkmate 的数据库（config-store.sqlite3）已损坏。您的 2 个线程仍保存在旁边的副本文件中。您的设置仍保存在其副本文件中。',
    );
    const steps = [...document.querySelectorAll('#status-steps li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(steps[0]).toBe('现在保存您的线程：“导出 2 个线程…”会把它们写入您选择的文件。');
    expect(steps[2]).toBe('重建数据库：“重建数据库…”会用副本文件新建数据库，并保留损坏的数据库供技术支持查看。');
    expect(text('#btn-export-threads')).toBe('导出 2 个线程…');
  });

  it('sealed threads are not "no threads" either', async () => {
    await render(document, fake('locked-key-missing'), { urlLang: 'en' });
    expect(text('#threads-count')).toBe('—');
    expect(text('#threads-none')).toMatch(/^The threads are sealed by an older XWorkmate/);
  });

  it('all-damaged sealed data: no key field, what to do instead', async () => {
    await render(document, fake('locked-malformed'), { urlLang: 'en' });
    expect($('#status-steps')!.dataset.steps).toBe('damaged-sealed');
    expect($('#key-input')).toBeNull();
    expect(text('#status-explain')).toBe('Some of your older, sealed data is damaged, so no key can open it.');
  });

  it('shows the newest 5 of 4,500 threads, then all of them with a filter on the title', async () => {
    const backend = new FakeBackend(SAMPLE_APP_INFO, undefined, { scenario: 'healthy', delayMs: 0, threadCount: 4500 });
    const app = await render(document, backend, { urlLang: 'en' });
    expect(text('#threads-count')).toBe('4,500');
    expect(document.querySelectorAll('#thread-list li')).toHaveLength(5);
    expect(text('#thread-list-count')).toBe('The newest 5 of 4,500 threads.');
    const more = $('#btn-all-threads')!;
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(more.getAttribute('aria-controls')).toBe('thread-list');
    expect(text('#btn-all-threads')).toBe('Show all 4,500 threads');
    expect($('#thread-filter')).toBeNull();
    more.click();
    expect($('#btn-all-threads')!.getAttribute('aria-expanded')).toBe('true');
    const filter = $('#thread-filter') as HTMLInputElement;
    expect(document.querySelector('label[for="thread-filter"]')!.textContent).toBe('Filter by title');
    expect(document.activeElement).toBe(filter);
    expect(document.querySelectorAll('#thread-list li')).toHaveLength(200);
    expect(text('#thread-list-count')).toBe(
      'All 4,500 threads, newest first. The first 200 are listed; type more of a title to narrow the list.',
    );
    filter.value = 'gateway setup 44';
    filter.dispatchEvent(new Event('input'));
    expect(app.state.threadsFilter).toBe('gateway setup 44');
    const titles = [...document.querySelectorAll('#thread-list .thread-title')].map((el) => el.textContent);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((title) => title!.startsWith('Gateway setup 44'))).toBe(true);
    expect(text('#thread-list-count')).toBe(`${titles.length} of 4,500 threads match.`);
    filter.value = 'nothing like this';
    filter.dispatchEvent(new Event('input'));
    expect(document.querySelectorAll('#thread-list li')).toHaveLength(0);
    expect(text('#thread-list-count')).toBe('No thread title contains “nothing like this”.');
    $('#btn-all-threads')!.click();
    expect(document.querySelectorAll('#thread-list li')).toHaveLength(5);
  });

  it('the clear dialog leads with consequences in words; the rows are folded for support', async () => {
    const app = await render(document, fake('healthy'), { urlLang: 'en' });
    $('#btn-clear')!.click();
    await settle(app);
    expect(text('#consequence-removed')).toBe(
      '2 threads (5 messages), the account vector-user, and 2 gateway profiles will be removed.',
    );
    expect(text('#consequence-kept')).toBe('Secrets stay: gateway token and AI gateway API key.');
    expect(text('#consequence-afterwards')).toBe('Next time XWorkmate starts, it shows no threads and default settings.');
    expect($('#clear-dialog')!.getAttribute('aria-describedby')).toBe('clear-consequences');
    // The storage rows are under a fold; the consequences name no storage key.
    expect($('#plan-table')!.closest('details')!.id).toBe('clear-storage');
    expect(text('#clear-consequences')).not.toMatch(/xworkmate\.|sqlite|_/);
    // The backup is the safe default, in the body; "I understand" sits with Cancel and Clear.
    expect(($('#clear-backup') as HTMLInputElement).checked).toBe(true);
    expect($('#clear-backup')!.closest('.dialog-body')).not.toBeNull();
    expect($('#clear-understand')!.closest('.dialog-foot')).not.toBeNull();
    expect(text('label[for="clear-understand"]')).toBe('I understand that this removes them from this computer');
    app.actions.setBackup(false);
    expect(text('label[for="clear-understand"]')).toBe('I understand this cannot be undone');
  });
});
