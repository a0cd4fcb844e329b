import { describe, expect, it } from 'vitest';

import {
  FAKE_KEY,
  FakeBackend,
  isValidKey,
  rebuildReport,
  SAMPLE_APP_INFO,
  SCENARIOS,
  type Scenario,
  scenarioWorld,
} from './fake-backend';

const fake = (scenario: Scenario, extra: ConstructorParameters<typeof FakeBackend>[2] = {}) =>
  new FakeBackend(SAMPLE_APP_INFO, undefined, { scenario, ...extra });

const WRONG_KEY = 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8';

describe('keys', () => {
  it('accepts base64url of exactly 32 bytes', () => {
    expect(isValidKey(FAKE_KEY)).toBe(true);
    expect(isValidKey(`${FAKE_KEY}=`)).toBe(true);
    expect(isValidKey(` ${FAKE_KEY}\n`)).toBe(true);
    expect(isValidKey(WRONG_KEY)).toBe(true);
    expect(isValidKey('abc')).toBe(false);
    expect(isValidKey(`${FAKE_KEY}AA`)).toBe(false);
    expect(isValidKey(FAKE_KEY.replace('A', '+'))).toBe(false);
  });
});

describe('scenarios', () => {
  it('every scenario answers every read', async () => {
    for (const scenario of SCENARIOS) {
      const b = fake(scenario);
      const inspection = await b.inspect();
      const locked = await b.lockedReport();
      const plan = await b.clearPlan();
      expect(inspection.secrets.entries).toHaveLength(9);
      expect(locked.candidates.length).toBeGreaterThan(3);
      expect(plan.totalBytes).toBe(plan.removals.reduce((n, r) => n + r.bytes, 0));
      // Never a value: masks only.
      for (const e of inspection.secrets.entries) {
        if (e.present) expect(e.masked).toMatch(/^.{3}••••.{3}$/);
        else expect(e.masked).toBe('Not set');
      }
    }
  });

  it('healthy: two threads with messages, two secrets in the file fallback', async () => {
    const i = await fake('healthy').inspect();
    expect(i.database.integrity).toBe('ok');
    expect(i.threads).toMatchObject({ count: 2, archived: 1, messages: 5 });
    expect(i.settings.present).toBe(true);
    expect(i.storage.map((s) => s.relation)).toEqual(['in_sync', 'in_sync', 'no_mirror']);
    const set = i.secrets.entries.filter((e) => e.present);
    expect(set.map((e) => [e.name, e.backend, e.masked])).toEqual([
      ['gateway_token', 'file', 'sam••••001'],
      ['ai_gateway_api_key', 'file', 'sam••••002'],
    ]);
    expect(i.warnings).toEqual([]);
  });

  it('empty: nothing there', async () => {
    const b = fake('empty');
    const i = await b.inspect();
    expect(i.dataDirExists).toBe(false);
    expect(i.database.integrity).toBe('missing');
    expect(i.warnings.map((w) => w.code)).toEqual(['data_dir_missing']);
    expect((await b.lockedReport()).status).toBe('none');
    expect((await b.clearPlan()).removals).toEqual([]);
    await expect(b.openDataDir()).rejects.toMatchObject({ code: 'not_found' });
  });

  it('corrupt: damaged database, an unreadable value', async () => {
    const i = await fake('corrupt').inspect();
    expect(i.database.integrity).toBe('corrupt');
    expect(i.warnings.map((w) => w.code)).toEqual(['database_corrupt', 'unreadable_value', 'secret_unreadable']);
    expect(i.storage[1]!.relation).toBe('unreadable');
    const vault = i.secrets.entries.find((e) => e.name === 'vault_token');
    expect(vault).toMatchObject({ present: false, backend: 'file', problem: 'the file is not valid UTF-8' });
  });

  it('keyring-down: file fallback with a warning', async () => {
    const i = await fake('keyring-down').inspect();
    expect(i.secrets.usingFileFallback).toBe(true);
    expect(i.secrets.keyring?.reachable).toBe(false);
    expect(i.warnings.map((w) => w.code)).toContain('keyring_unavailable');
  });
});

describe('recovery', () => {
  it('sealed: recoverable, preview writes nothing, run migrates', async () => {
    const b = fake('sealed');
    expect((await b.lockedReport()).status).toBe('recoverable');
    const preview = await b.recover({ dryRun: true, useCandidateKey: false });
    expect(preview).toMatchObject({ status: 'migrated', dryRun: true });
    expect(preview.documents.find((d) => d.document === 'threads')?.threadCount).toBe(2);
    expect((await b.inspect()).storage[0]!.relation).toBe('sealed_legacy');

    const run = await b.recover({ dryRun: false, useCandidateKey: false });
    expect(run).toMatchObject({ status: 'migrated', dryRun: false });
    expect(run.keys.keyFileMoved).toBe(true);
    const after = await b.inspect();
    expect(after.storage.slice(0, 2).map((s) => s.relation)).toEqual(['in_sync', 'in_sync']);
    expect(after.warnings).toEqual([]);
    const locked = await b.lockedReport();
    expect(locked.status).toBe('none');
    expect(locked.lastRecovery?.report.status).toBe('migrated');
  });

  it.each([
    ['locked-key-missing', 'key_missing'],
    ['locked-key-mismatch', 'key_mismatch'],
    ['locked-key-invalid', 'key_invalid'],
  ] as const)('%s: locked for %s; the right key opens and recovers it', async (scenario, reason) => {
    const b = fake(scenario);
    const report = await b.lockedReport();
    expect(report.status).toBe('locked_legacy_state');
    expect(report.sources.filter((s) => s.state === 'locked').map((s) => s.reason)).toEqual([reason, reason]);

    expect((await b.testKey('abc'))?.test.valid).toBe(false);
    const wrong = await b.testKey(WRONG_KEY);
    expect(wrong?.test).toMatchObject({ valid: true, opens: [] });
    expect(wrong?.test.stillLocked).toHaveLength(2);

    const right = await b.testKey(FAKE_KEY);
    expect(right?.source).toBe('pasted');
    expect(right?.test.opens).toHaveLength(2);
    expect(right?.test.wouldRecover).toEqual(['settings', 'threads']);
    // Testing wrote nothing.
    expect((await b.lockedReport()).status).toBe('locked_legacy_state');

    const run = await b.recover({ dryRun: false, useCandidateKey: true });
    expect(run.status).toBe('migrated');
    expect(run.keys.suppliedKeyStored).toBe(true);
    const after = await b.inspect();
    expect(after.threads.count).toBe(2);
    expect(after.secrets.entries.find((e) => e.name === 'local_state_key')?.present).toBe(true);
    expect((await b.lockedReport()).status).toBe('none');
  });

  it('locked-malformed: no key opens damaged data', async () => {
    const b = fake('locked-malformed');
    const report = await b.lockedReport();
    expect(report.sources.filter((s) => s.state === 'locked').every((s) => s.reason === 'malformed')).toBe(true);
    const test = await b.testKey(FAKE_KEY);
    expect(test?.test.opens).toEqual([]);
  });

  it('picks a key file, or nothing when the dialog is cancelled', async () => {
    const picked = await fake('locked-key-missing').testKey(null);
    expect(picked).toMatchObject({ source: 'file', fileName: 'local-state-key.txt' });
    expect(picked?.test.opens).toHaveLength(2);
    expect(await fake('locked-key-missing', { cancel: { pick: true } }).testKey(null)).toBeNull();
  });

  it('recovering with a candidate key needs a tested key', async () => {
    await expect(fake('locked-key-missing').recover({ dryRun: false, useCandidateKey: true })).rejects.toMatchObject({
      code: 'key_invalid',
    });
    const b = fake('locked-key-missing');
    await b.testKey(FAKE_KEY);
    await b.forgetCandidateKey();
    await expect(b.recover({ dryRun: false, useCandidateKey: true })).rejects.toMatchObject({ code: 'key_invalid' });
  });

  it('a locked run is kept as the last run', async () => {
    const b = fake('locked-key-missing');
    const run = await b.recover({ dryRun: false, useCandidateKey: false });
    expect(run.status).toBe('locked_legacy_state');
    expect((await b.lockedReport()).lastRecovery?.report.status).toBe('locked_legacy_state');
  });
});

describe('clear', () => {
  it('removes settings and threads, keeps every secret', async () => {
    const b = fake('healthy');
    const plan = await b.clearPlan();
    expect(plan.removals.map((r) => r.kind)).toEqual(['file', 'file', 'sqlite_row', 'sqlite_row']);
    expect(plan.totalBytes).toBe(6526);
    expect(plan.kept.secretCount).toBe(2);
    expect(plan.kept.secrets).toEqual([{ backend: 'file', count: 2, names: ['gateway_token', 'ai_gateway_api_key'] }]);
    const outcome = await b.clearExecute({ backup: true });
    expect(outcome?.secretsVerified).toBe(true);
    expect(outcome?.removed).toHaveLength(4);
    expect(outcome?.backup).toMatch(/\.json$/);
    const after = await b.inspect();
    expect(after.settings.present).toBe(false);
    expect(after.threads.count).toBe(0);
    expect(after.secrets.entries.filter((e) => e.present)).toHaveLength(2);
    // The plan is used once.
    await expect(b.clearExecute({ backup: false })).rejects.toMatchObject({ code: 'stale_plan' });
  });

  it('a damaged database and an unreadable secret are plan warnings, with the core’s codes and words', async () => {
    const b = fake('corrupt');
    const plan = await b.clearPlan();
    expect(plan.removals.map((r) => r.kind)).toEqual(['file', 'file']);
    expect(plan.warnings).toEqual([
      {
        code: 'database_rows',
        message: 'the database cannot be read, so its rows cannot be removed: database disk image is malformed',
      },
      {
        code: 'secret_unchecked',
        subject: 'vault_token',
        message:
          'the secret vault_token could not be read (the file is not valid UTF-8); it is kept, but its presence cannot be checked',
      },
    ]);
    const outcome = await b.clearExecute({ backup: false });
    expect(outcome?.warnings).toEqual(plan.warnings);
  });

  it('a cancelled backup dialog removes nothing', async () => {
    const b = fake('healthy', { cancel: { backup: true } });
    await b.clearPlan();
    expect(await b.clearExecute({ backup: true })).toBeNull();
    expect((await b.inspect()).threads.count).toBe(2);
  });

  it('a changed store makes the plan stale', async () => {
    const b = fake('sealed');
    await b.clearPlan();
    await b.recover({ dryRun: false, useCandidateKey: false });
    await expect(b.clearExecute({ backup: false })).rejects.toMatchObject({ code: 'stale_plan' });
  });

  it('can pretend a secret went missing', async () => {
    const b = fake('healthy', { loseSecret: true });
    await b.clearPlan();
    const outcome = await b.clearExecute({ backup: false });
    expect(outcome).toMatchObject({ secretsVerified: false, secretsMissingAfter: ['gateway_token'] });
  });
});

describe('a part of a clear (generation A)', () => {
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);
  const DAY = 86_400_000;

  it('threads only: the thread list’s row and mirror go, the settings stay', async () => {
    const b = fake('healthy');
    const plan = await b.clearPlan(undefined, { kind: 'threads' });
    expect(plan.scope).toEqual({ kind: 'threads' });
    expect(plan.removals.map((r) => [r.kind, r.storageKey ?? r.path.split('/').pop()])).toEqual([
      ['file', 'assistant-threads.json'],
      ['sqlite_row', 'xworkmate.assistant.threads'],
    ]);
    expect(plan.totalBytes).toBe(2 * 1445);
    expect(plan.rewrite).toBeNull();
    expect(plan.consequences).toMatchObject({ threads: 2, messages: 5, threadsKept: 0, settingsReset: false, account: null });
    const outcome = await b.clearExecute({ backup: false });
    expect(outcome).toMatchObject({ scope: { kind: 'threads' }, rewritten: null, secretsVerified: true });
    expect(outcome?.removed).toHaveLength(2);
    const after = await b.inspect();
    expect(after.threads.present).toBe(false);
    expect(after.settings.present).toBe(true);
  });

  it('settings only: the settings go, the threads stay (counted as kept)', async () => {
    const b = fake('healthy');
    const plan = await b.clearPlan('A', { kind: 'settings' });
    expect(plan.removals.map((r) => r.storageKey ?? r.path.split('/').pop())).toEqual([
      'settings-snapshot.json',
      'xworkmate.settings.snapshot',
    ]);
    expect(plan.consequences).toMatchObject({
      threads: 0,
      threadsKept: 2,
      settingsReset: true,
      account: 'vector-user',
      gatewayProfiles: 2,
    });
    await b.clearExecute({ backup: false });
    const after = await b.inspect();
    expect(after.settings.present).toBe(false);
    expect(after.threads).toMatchObject({ present: true, count: 2 });
  });

  it('archived threads: nothing removed, the thread list written again without them', async () => {
    const b = fake('healthy');
    const plan = await b.clearPlan(undefined, { kind: 'archivedThreads' });
    expect(plan.removals).toEqual([]);
    expect(plan.totalBytes).toBe(0);
    expect(plan.rewrite).toEqual({ kept: 1, removed: 1, messagesRemoved: 3 });
    expect(plan.consequences).toMatchObject({ threads: 1, messages: 3, threadsKept: 1, settingsReset: false });
    const outcome = await b.clearExecute({ backup: true });
    expect(outcome).toMatchObject({ removed: [], rewritten: { kept: 1, removed: 1, messagesRemoved: 3 } });
    expect(outcome?.backup).toMatch(/\.json$/);
    const after = await b.inspect();
    expect(after.threads.threads.map((t) => t.title)).toEqual(['本地线程']);
    expect(after.threads).toMatchObject({ count: 1, archived: 0, messages: 2 });
    expect(after.settings.present).toBe(true);
    // Done: there are no archived threads left to clear.
    expect((await b.clearPlan(undefined, { kind: 'archivedThreads' })).rewrite).toEqual({
      kept: 1,
      removed: 0,
      messagesRemoved: 0,
    });
  });

  it('threads before a date: those last updated earlier go; an undated one stays', async () => {
    const b = fake('healthy');
    const threads = (await b.inspect()).threads.threads;
    const [newer, older] = threads.map((t) => t.updatedAtMs!);
    const plan = await b.clearPlan(undefined, { kind: 'threadsBefore', beforeMs: newer });
    expect(plan.rewrite).toEqual({ kept: 1, removed: 1, messagesRemoved: 3 });
    expect(older).toBeLessThan(newer!);
    expect((await b.clearPlan(undefined, { kind: 'threadsBefore', beforeMs: newer! + DAY })).rewrite).toMatchObject({
      removed: 2,
      kept: 0,
    });
    expect((await b.clearPlan(undefined, { kind: 'threadsBefore', beforeMs: 0 })).rewrite).toMatchObject({ removed: 0 });
    // The plan last made is the one executed.
    await b.clearPlan(undefined, { kind: 'threadsBefore', beforeMs: newer! });
    await b.clearExecute({ backup: false });
    expect((await b.inspect()).threads.threads.map((t) => t.title)).toEqual(['本地线程']);
  });

  it('a rewrite plan is used once', async () => {
    const b = fake('healthy');
    await b.clearPlan(undefined, { kind: 'archivedThreads' });
    await b.clearExecute({ backup: false });
    await expect(b.clearExecute({ backup: false })).rejects.toMatchObject({ code: 'stale_plan' });
  });

  it('refused where old sealed state is present (sealed, locked) and for a later version\'s archived threads; everything still is not', async () => {
    for (const scenario of ['sealed', 'locked-key-missing', 'locked-malformed'] as const) {
      const b = fake(scenario);
      for (const kind of ['threads', 'settings', 'archivedThreads'] as const) {
        expect(await code(b.clearPlan(undefined, { kind })), `${scenario} ${kind}`).toBe('selective_clear_unavailable');
      }
      expect(await code(b.clearPlan(undefined, { kind: 'all' }))).toBe('ok');
    }
    const upgraded = fake('upgraded');
    // A later version: its threads or its settings, never archived or older threads.
    expect(await code(upgraded.clearPlan(undefined, { kind: 'archivedThreads' }))).toBe('selective_clear_unavailable');
    const threads = await upgraded.clearPlan(undefined, { kind: 'threads' });
    expect(threads.removals.map((r) => r.path.split('/').slice(-2).join('/'))).toEqual(['tasks/threads.json']);
    expect(threads.consequences).toMatchObject({ threads: 3, settingsReset: false });
    const settings = await upgraded.clearPlan('C', { kind: 'settings' });
    expect(settings.removals.map((r) => r.path.split('/').slice(-2).join('/'))).toEqual(['config/settings.yaml']);
    expect(settings.consequences).toMatchObject({ threads: 0, threadsKept: 3, settingsReset: true });
    await upgraded.clearExecute({ backup: false });
    const after = (await upgraded.inspect()).generations.find((g) => g.id === 'C')!;
    expect([after.settings.present, after.threads.count]).toEqual([false, 3]);
    // Generation A in that folder can be cleared in part (the core refuses a rewrite at execution there).
    expect((await upgraded.clearPlan('A', { kind: 'threads' })).removals.length).toBeGreaterThan(0);
    await upgraded.clearPlan('A', { kind: 'archivedThreads' });
    expect(await code(upgraded.clearExecute({ backup: false }))).toBe('newer_generation_current');
  });

  it('a refused part leaves the last plan remembered (as the app’s command does)', async () => {
    const b = fake('sealed');
    const all = await b.clearPlan();
    await b.clearPlan(undefined, { kind: 'threads' }).catch(() => undefined);
    const outcome = await b.clearExecute({ backup: false });
    expect(outcome?.removed).toEqual(all.removals);
  });

  it('a damaged database: threads only removes the mirror; a rewrite is refused by the database', async () => {
    const b = fake('corrupt-mirrors');
    const plan = await b.clearPlan(undefined, { kind: 'threads' });
    expect(plan.removals.map((r) => r.path.split('/').pop())).toEqual(['assistant-threads.json']);
    await b.clearPlan(undefined, { kind: 'archivedThreads' });
    expect(await code(b.clearExecute({ backup: false }))).toBe('database_error');
    expect((await b.inspect()).threads.count).toBe(2);
  });
});

describe('rebuild', () => {
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);

  it('corrupt-mirrors: the plan reads both documents back from their mirror files, and changes nothing', async () => {
    const b = fake('corrupt-mirrors');
    const plan = await b.rebuildDatabase(true);
    expect(plan).toMatchObject({
      database: `${SAMPLE_APP_INFO.dataDir}/config-store.sqlite3`,
      problem: 'database disk image is malformed',
      threads: 2,
      settings: true,
      executed: false,
    });
    expect(plan.rows.map((r) => [r.storageKey, r.from])).toEqual([
      ['xworkmate.settings.snapshot', 'mirror'],
      ['xworkmate.assistant.threads', 'mirror'],
    ]);
    expect(plan.keptAs).toMatch(/\/\.xworkmate-diagnostics\/damaged-\d+-config-store\.sqlite3$/);
    expect((await b.inspect()).database.integrity).toBe('corrupt');
  });

  it('corrupt-mirrors: the rebuild makes the folder healthy, threads and settings back', async () => {
    const b = fake('corrupt-mirrors');
    const done = await b.rebuildDatabase(false);
    expect(done.executed).toBe(true);
    const i = await b.inspect();
    expect(i.database.integrity).toBe('ok');
    expect(i.threads).toMatchObject({ present: true, source: 'database', count: 2 });
    expect(i.settings).toMatchObject({ present: true, source: 'database' });
    expect(i.storage.map((s) => s.relation)).toEqual(['in_sync', 'in_sync', 'no_mirror']);
    expect(i.warnings).toEqual([]);
    // A healthy database is not rebuilt.
    expect(await code(b.rebuildDatabase(true))).toBe('invalid_input');
  });

  it('like the core: whatever is readable is rebuilt (corrupt: the settings only, the threads’ mirror stays unreadable)', async () => {
    const plan = await fake('corrupt').rebuildDatabase(true);
    expect(plan).toMatchObject({ settings: true, threads: 0 });
    expect(plan.rows.map((r) => r.storageKey)).toEqual(['xworkmate.settings.snapshot']);
  });

  it('refuses, writing nothing, when there is nothing to rebuild or from', async () => {
    expect(await code(fake('healthy').rebuildDatabase(true))).toBe('invalid_input');
    expect(await code(fake('empty').rebuildDatabase(false))).toBe('invalid_input');
    const world = scenarioWorld('corrupt');
    world.docs.settings.mirror = 'unreadable';
    expect(() => rebuildReport(world, false)).toThrow(/nothing to rebuild it from/);
  });

  it('refuses while XWorkmate runs (the plan is still shown)', async () => {
    const b = fake('xworkmate-running');
    expect(await code(b.rebuildDatabase(false))).toBe('xworkmate_running');
  });
});

describe('language', () => {
  it('records what the UI tells the shell', async () => {
    const b = fake('healthy');
    await b.setLanguage('zh');
    await b.setLanguage('en');
    expect(b.languages).toEqual(['zh', 'en']);
  });
});

describe('URL options', () => {
  it('reads the scenario, failures and dialogs from the URL', async () => {
    const b = FakeBackend.fromUrl('http://x/?scenario=sealed&delay=0');
    expect((await b.lockedReport()).status).toBe('recoverable');
    const failing = FakeBackend.fromUrl('http://x/?fail=permission_denied&delay=0');
    await expect(failing.appInfo()).rejects.toMatchObject({ code: 'permission_denied' });
    const one = FakeBackend.fromUrl('http://x/?fail=io_error&failOn=exportReport&delay=0');
    await expect(one.inspect()).resolves.toBeTruthy();
    await expect(one.exportReport()).rejects.toMatchObject({ code: 'io_error' });
    expect(await FakeBackend.fromUrl('http://x/?export=cancel&delay=0').exportReport()).toBeNull();
    expect(await FakeBackend.fromUrl('http://x/?choose=cancel&delay=0').chooseDataDir()).toBeNull();
    const info = await FakeBackend.fromUrl('http://x/?locale=zh_CN.UTF-8&delay=0').appInfo();
    expect(info.systemLocale).toBe('zh_CN.UTF-8');
    expect((await FakeBackend.fromUrl('http://x/?scenario=nope&delay=0').inspect()).threads.count).toBe(2);
  });

  it('opens another data folder', async () => {
    const b = FakeBackend.fromUrl('http://x/?delay=0');
    const info = await b.chooseDataDir();
    expect(info).toMatchObject({ dataDirOrigin: 'explicit' });
    const i = await b.inspect();
    expect(i.dataDir).toBe(info?.dataDir);
    expect(i.dataDirOrigin).toBe('explicit');
    expect((await b.lockedReport()).candidates.some((c) => c.includes('.local/state'))).toBe(false);
  });
});
