import { describe, expect, it } from 'vitest';

import type { ClearScope } from './bindings/ClearScope';
import type { GenerationId } from './bindings/GenerationId';
import { clearConsequences, computeConsequences, describeConsequences, listOf } from './consequences';
import { FakeBackend, SAMPLE_APP_INFO, type Scenario } from './fake-backend';
import { translator } from './i18n';
import { secretWord } from './words';

async function planOf(scenario: Scenario, generation?: GenerationId, scope?: ClearScope) {
  const b = new FakeBackend(SAMPLE_APP_INFO, undefined, { scenario, delayMs: 0 });
  return { plan: await b.clearPlan(generation, scope), inspection: await b.inspect() };
}

const en = translator('en');
const zh = translator('zh');

describe('clear consequences', () => {
  it('generation A: threads and messages, the account and its gateways go; secrets stay', async () => {
    const { plan, inspection } = await planOf('healthy');
    const c = computeConsequences(plan, inspection);
    expect(c).toMatchObject({
      generation: 'A',
      nothing: false,
      threads: 2,
      messages: 5,
      settings: true,
      account: 'vector-user',
      gateways: 2,
      keptSecrets: ['gateway_token', 'ai_gateway_api_key'],
      afterwards: { kind: 'fresh', threads: true, settings: true },
    });
    expect(describeConsequences(en, 'en', c)).toEqual({
      also: [],
      removed: '2 threads (5 messages), the account vector-user, and 2 gateway profiles will be removed.',
      kept: 'Secrets stay: gateway token and AI gateway API key.',
      afterwards: 'Next time XWorkmate starts, it shows no threads and default settings.',
    });
    expect(describeConsequences(zh, 'zh', c)).toEqual({
      also: [],
      removed: '将删除：2 个线程（5 条消息）、账号 vector-user 和 2 个网关配置。',
      kept: '密钥保持不变：网关令牌和 AI 网关 API 密钥。',
      afterwards: 'XWorkmate 下次启动时不显示任何线程，并使用默认设置。',
    });
  });

  it('sealed data: removed, but not counted', async () => {
    const { plan, inspection } = await planOf('sealed');
    const c = computeConsequences(plan, inspection);
    expect(c).toMatchObject({ threads: null, messages: null, settings: true, account: null, gateways: null });
    expect(describeConsequences(en, 'en', c).removed).toBe(
      'The threads (sealed or unreadable, so they cannot be counted) and the settings will be removed.',
    );
  });

  it('an empty folder: nothing goes, and nothing is promised', async () => {
    const { plan, inspection } = await planOf('empty');
    const c = computeConsequences(plan, inspection);
    expect(c.nothing).toBe(true);
    expect(describeConsequences(en, 'en', c)).toEqual({
      also: [],
      removed: 'Nothing will be removed: there are no threads or settings to clear.',
      kept: 'No secrets are saved, so none are touched.',
      afterwards: null,
    });
  });

  it('a damaged database stays: no promise about the next start', async () => {
    const { plan, inspection } = await planOf('corrupt');
    const c = computeConsequences(plan, inspection);
    expect(c.afterwards).toEqual({ kind: 'unsure' });
    expect(describeConsequences(en, 'en', c).afterwards).toBeNull();
  });

  it('generations B–D: from the generation report', async () => {
    const { plan, inspection } = await planOf('upgraded');
    const c = computeConsequences(plan, inspection);
    expect(c).toMatchObject({ generation: 'C', threads: 3, messages: null, settings: true, account: null });
    expect(describeConsequences(en, 'en', c)).toEqual({
      also: [],
      removed: '3 threads and the settings will be removed.',
      kept: 'Secrets stay: token of gateway profile 1.',
      afterwards: 'Next time XWorkmate starts, it shows no threads and default settings.',
    });
  });

  it('the data of a version not in use: what XWorkmate shows does not change', async () => {
    const { plan, inspection } = await planOf('upgraded', 'A');
    const c = computeConsequences(plan, inspection);
    expect(c.threads).toBe(2);
    expect(describeConsequences(en, 'en', c).afterwards).toBe(
      'The XWorkmate in use (1.0.0-beta.2 – 1.1.7) does not read this data, so what it shows does not change.',
    );
  });

  it('takes the counts the core sends with its plan, and what it cannot count from the inspection', async () => {
    const { plan, inspection } = await planOf('healthy');
    const core = {
      threads: 7,
      messages: 1,
      threadsKept: 3,
      settingsReset: false,
      account: null,
      gatewayProfiles: 0,
      sealedStateRemoved: true,
    };
    const c = clearConsequences({ ...plan, consequences: core }, inspection);
    expect(c.threads).toBe(7);
    expect(c.threadsKept).toBe(3);
    const words = describeConsequences(en, 'en', c);
    expect(words.removed).toBe('7 threads (1 message) will be removed.');
    expect(words.also).toEqual(['3 threads stay.', 'Old sealed data goes too: it can no longer be recovered.']);
    // Threads the core could not count (0) but the plan removes: the inspection says why.
    const uncounted = clearConsequences({ ...plan, consequences: { ...core, threads: 0, messages: 0 } }, inspection);
    expect(uncounted.threads).toBe(clearConsequences({ ...plan, consequences: undefined as never }, inspection).threads);
  });
});

describe('the consequences of a part (generation A)', () => {
  const words = async (scope: ClearScope, lang: 'en' | 'zh' = 'en') => {
    const { plan, inspection } = await planOf('healthy', undefined, scope);
    const c = clearConsequences(plan, inspection);
    return { c, w: describeConsequences(lang === 'en' ? en : zh, lang, c) };
  };

  it('threads only: the threads go, the settings stay', async () => {
    const { c, w } = await words({ kind: 'threads' });
    expect(c).toMatchObject({ scope: { kind: 'threads' }, nothing: false, threads: 2, settings: false, threadsKept: 0 });
    expect(w).toEqual({
      removed: '2 threads (5 messages) will be removed.',
      also: [],
      kept: 'Secrets stay: gateway token and AI gateway API key.',
      afterwards: 'Next time XWorkmate starts, it shows no threads.',
    });
    expect((await words({ kind: 'threads' }, 'zh')).w.removed).toBe('将删除：2 个线程（5 条消息）。');
  });

  it('settings only: the account and gateways go, the threads stay', async () => {
    const { w } = await words({ kind: 'settings' });
    expect(w).toEqual({
      removed: 'The account vector-user and 2 gateway profiles will be removed.',
      also: ['2 threads stay.'],
      kept: 'Secrets stay: gateway token and AI gateway API key.',
      afterwards: 'Next time XWorkmate starts, it uses default settings.',
    });
    expect((await words({ kind: 'settings' }, 'zh')).w).toMatchObject({
      removed: '将删除：账号 vector-user 和 2 个网关配置。',
      also: ['保留 2 个线程。'],
    });
  });

  it('archived threads: a rewrite removes nothing, yet it is not "nothing"; no promise of no threads', async () => {
    const { c, w } = await words({ kind: 'archivedThreads' });
    expect(c).toMatchObject({ nothing: false, threads: 1, messages: 3, threadsKept: 1, settings: false });
    expect(w).toEqual({
      removed: '1 thread (3 messages) will be removed.',
      also: ['1 thread stays.'],
      kept: 'Secrets stay: gateway token and AI gateway API key.',
      afterwards: null,
    });
    expect((await words({ kind: 'archivedThreads' }, 'zh')).w).toMatchObject({
      removed: '将删除：1 个线程（3 条消息）。',
      also: ['保留 1 个线程。'],
    });
  });

  it('threads before a date: every thread, or none', async () => {
    const all = await words({ kind: 'threadsBefore', beforeMs: Date.UTC(2030, 0, 1) });
    expect(all.w.removed).toBe('2 threads (5 messages) will be removed.');
    expect(all.w.afterwards).toBe('Next time XWorkmate starts, it shows no threads.');
    const none = await words({ kind: 'threadsBefore', beforeMs: Date.UTC(2000, 0, 1) });
    expect(none.c.nothing).toBe(true);
    expect(none.w.removed).toBe('Nothing will be removed: no thread was last updated before that date.');
    expect(none.w.afterwards).toBeNull();
  });

  it('nothing of that part: says which part', () => {
    const base = computeConsequences(
      {
        dataDir: '/d',
        generation: 'A',
        generationsPresent: ['A'],
        generationDir: '/d',
        scope: { kind: 'archivedThreads' },
        removals: [],
        rewrite: { kept: 2, removed: 0, messagesRemoved: 0 },
        consequences: { threads: 0, messages: 0, threadsKept: 2, settingsReset: false, gatewayProfiles: 0, sealedStateRemoved: false },
        totalBytes: 0,
        kept: { secrets: [], secretCount: 0, auditTrailEntries: 0, otherSqliteKeys: [], otherPreferences: 0, gatewayAuth: '/d/gateway-auth', forOtherGenerations: [] },
        leftInPlace: [],
        warnings: [],
      },
      null,
    );
    expect(base.nothing).toBe(true);
    expect(describeConsequences(en, 'en', base).removed).toBe('Nothing will be removed: no thread is archived.');
    expect(describeConsequences(zh, 'zh', { ...base, scope: { kind: 'threads' } }).removed).toBe(
      '不会删除任何内容：没有需要清理的线程。',
    );
    expect(describeConsequences(en, 'en', { ...base, scope: { kind: 'settings' } }).removed).toBe(
      'Nothing will be removed: there are no settings to clear.',
    );
  });
});

describe('listOf', () => {
  it('joins in each language, spacing 和 only next to Latin text', () => {
    expect(listOf(['a', 'b', 'c'], 'en')).toBe('a, b, and c');
    expect(listOf(['网关令牌', 'Vault 令牌', '设备公钥'], 'zh')).toBe('网关令牌、Vault 令牌和设备公钥');
    expect(listOf(['vault', '设备公钥'], 'zh')).toBe('vault 和设备公钥');
    expect(listOf(['设备公钥'], 'zh')).toBe('设备公钥');
  });
});

describe('secretWord', () => {
  it('words every secret, by name or storage key, never its raw name', () => {
    expect(secretWord(en, 'ai_gateway_api_key')).toBe('AI gateway API key');
    expect(secretWord(en, 'xworkmate.vault.token')).toBe('Vault token');
    expect(secretWord(zh, 'local_state_key')).toBe('解密密钥（用于打开旧数据）');
    expect(secretWord(en, 'xworkmate.gateway.profile.2.token')).toBe('token of gateway profile 3');
    expect(secretWord(en, 'something_else')).toBe('something_else');
    for (const name of [
      'gateway_token',
      'gateway_password',
      'vault_token',
      'ollama_cloud_api_key',
      'device_id',
      'device_public_key',
      'device_private_key',
    ]) {
      expect(secretWord(en, name)).not.toContain('_');
      expect(secretWord(zh, name)).not.toBe(secretWord(en, name));
    }
  });
});
